package io.billingworker.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;

/**
 * The secrets and customer contact data that must never show up outside the API request: an API key, the
 * {@code Authorization} header value built from it (with and without {@code Basic }), the customer e-mail and
 * phone. {@link #findIn} names every place (log line, outcome, header, metric) that contains one.
 */
final class SecretScan {

    private final Map<String, String> secrets;
    private final List<String> findings = new ArrayList<>();

    private SecretScan(Map<String, String> secrets) {
        this.secrets = secrets;
    }

    /** The secrets of {@code apiKey} plus the corpus' customer e-mail and phone. */
    static SecretScan forApiKey(String apiKey) {
        String basic = Base64.getEncoder().encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8));
        return new SecretScan(Map.of(
                "API key", apiKey,
                "Authorization value", basic,
                "Authorization value without padding", basic.replace("=", ""),
                "customer e-mail", CorpusSignups.CUSTOMER_EMAIL,
                "customer phone", CorpusSignups.CUSTOMER_PHONE));
    }

    /** Records a finding for each secret {@code text} contains; {@code where} names the place. */
    SecretScan findIn(String where, String text) {
        if (text == null) {
            return this;
        }
        secrets.forEach((name, secret) -> {
            if (text.contains(secret)) {
                findings.add(name + " in " + where + ": " + abbreviate(text));
            }
        });
        return this;
    }

    /**
     * Records a finding for the API key or Authorization value in {@code text}, but not for contact data: for
     * {@code sdk_payload_json}, which by docs/contract.md, "Outcome records", is Juspay's {@code sdk_payload} verbatim, and that object
     * carries {@code customerEmail} and {@code customerPhone} for the checkout front end (Juspay's sample response).
     */
    SecretScan findCredentialsIn(String where, String text) {
        if (text == null) {
            return this;
        }
        secrets.forEach((name, secret) -> {
            if (!name.startsWith("customer") && text.contains(secret)) {
                findings.add(name + " in " + where + ": " + abbreviate(text));
            }
        });
        return this;
    }

    /** Scans the key and every header value of a record. */
    SecretScan findInHeaders(String where, Iterable<Header> headers) {
        for (Header header : headers) {
            findIn(where + " header " + header.key(),
                    header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return this;
    }

    List<String> findings() {
        return List.copyOf(findings);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
