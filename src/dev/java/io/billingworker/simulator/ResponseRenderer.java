package io.billingworker.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Renders the {@code 200} body for an order in the configured {@link ResponseShape}, field for field as
 * Juspay's pages show it (docs/contract.md, "Responses"). Everything is derived from the stored order, so a repeat
 * call gets the same answer.
 */
final class ResponseRenderer {

    /** The authentication URL query of Juspay's billing sample response, percent-encoded exactly as shown there. */
    static final String AUTHENTICATION_QUERY =
            "?cardIssuerBankName%3DUPI_COLLECT%26cardType%3DUPI%26paymentMethod%3DUPI_COLLECT%26paymentMethodType%3DUPI";
    static final String SDK_SERVICE = "in.juspay.hyperpay";
    static final Duration CLIENT_AUTH_TOKEN_TTL = Duration.ofMinutes(15);
    /** Seed 001 shows {@code "expiry" : "null"} (a string) when no expiry is set. */
    static final String NO_EXPIRY = "null";

    /** The request keys copied into {@code sdk_payload.payload}, in the order of Juspay's sample, and their SDK names. */
    private static final String[][] SDK_FIELDS = {
        {"last_name", "lastName"},
        {"action", "action"},
        {"customer_id", "customerId"},
        {"return_url", "returnUrl"},
        {"currency", "currency"},
        {"first_name", "firstName"},
        {"customer_phone", "customerPhone"},
        {"customer_email", "customerEmail"},
        {"order_id", "orderId"},
        {"description", "description"},
    };

    private final String linkBaseUrl;
    private final String environment;
    private final Duration paymentLinkExpiry;

    /**
     * @param linkBaseUrl       where payment and authentication links point, e.g. {@code https://sandbox.juspay.in}
     * @param environment       the SDK payload's {@code environment}
     * @param paymentLinkExpiry the payment link's lifetime, or null for Juspay's sample {@code "null"}
     */
    ResponseRenderer(String linkBaseUrl, String environment, Duration paymentLinkExpiry) {
        this.linkBaseUrl = Objects.requireNonNull(linkBaseUrl, "linkBaseUrl");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.paymentLinkExpiry = paymentLinkExpiry;
    }

    ObjectNode render(SimulatedOrder order, ResponseShape shape) {
        if (!order.billingSession() || shape == ResponseShape.SESSION) {
            return session(order, "NEW");
        }
        if (shape == ResponseShape.BILLING) {
            return billing(order);
        }
        ObjectNode combined = session(order, "PENDING_VBV");
        ObjectNode billing = billing(order);
        combined.set("payment", billing.get("payment"));
        combined.set("txn_uuid", billing.get("txn_uuid"));
        combined.set("offer_details", billing.get("offer_details"));
        combined.set("txn_id", billing.get("txn_id"));
        return combined;
    }

    /** Seed 001: status, id, order_id, payment_links, sdk_payload. */
    private ObjectNode session(SimulatedOrder order, String status) {
        ObjectNode request = order.requestBody();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", status);
        body.put("id", order.id());
        body.put("order_id", order.orderId());
        ObjectNode links = body.putObject("payment_links");
        links.put("web", linkBaseUrl + "/orders/" + order.id() + "/payment-page");
        links.put("expiry", paymentLinkExpiry == null
                ? NO_EXPIRY
                : order.createdAt().plus(paymentLinkExpiry).truncatedTo(ChronoUnit.SECONDS).toString());
        if (wantsDeepLinks(request)) {
            links.put("deep_link", deepLink(order));
        }
        ObjectNode sdk = body.putObject("sdk_payload");
        sdk.put("requestId", order.requestId());
        sdk.put("service", SDK_SERVICE);
        ObjectNode payload = sdk.putObject("payload");
        payload.put("clientId", request.path("payment_page_client_id").asText());
        payload.put("amount", request.path("amount").asText());
        payload.put("merchantId", order.merchantId());
        payload.put("clientAuthToken", order.clientAuthToken());
        Instant tokenExpiry = order.createdAt().plus(CLIENT_AUTH_TOKEN_TTL).truncatedTo(ChronoUnit.SECONDS);
        payload.put("clientAuthTokenExpiry", tokenExpiry.toString());
        payload.put("environment", environment);
        JsonNode deepLinks = request.get("options.get_upi_deep_links");
        if (deepLinks != null && !deepLinks.isNull()) {
            payload.put("options.getUpiDeepLinks", deepLinks.asText());
        }
        for (String[] field : SDK_FIELDS) {
            JsonNode value = request.get(field[0]);
            if (value != null && !value.isNull()) {
                payload.put(field[1], value.asText());
            } else if ("currency".equals(field[0])) {
                payload.put("currency", "INR");
            }
        }
        return body;
    }

    /** Seed 000, exactly: payment, status, txn_uuid, offer_details, order_id, txn_id. */
    private ObjectNode billing(SimulatedOrder order) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode authentication = body.putObject("payment").putObject("authentication");
        authentication.put("method", "GET");
        authentication.put("url", linkBaseUrl + "/v2/pay/start/" + order.merchantId() + "/" + order.txnUuid()
                + AUTHENTICATION_QUERY);
        body.put("status", "PENDING_VBV");
        body.put("txn_uuid", order.txnUuid());
        body.putObject("offer_details").putArray("offers");
        body.put("order_id", order.orderId());
        body.put("txn_id", order.txnId());
        return body;
    }

    private static boolean wantsDeepLinks(JsonNode request) {
        JsonNode value = request.get("options.get_upi_deep_links");
        return value != null && (value.asBoolean(false) || "true".equals(value.asText()));
    }

    /** A UPI intent link in the form of Juspay's sample: {@code upi://pay?tr=...&tid=...&mc=...&pa=...&pn=...&am=...&cu=...}. */
    private static String deepLink(SimulatedOrder order) {
        ObjectNode request = order.requestBody();
        String merchant = URLEncoder.encode(order.merchantId(), StandardCharsets.UTF_8);
        String currency = request.path("currency").asText("INR");
        return "upi://pay?tr=" + order.txnUuid()
                + "&tid=PY" + order.id().substring("ordeh_".length())
                + "&mc=5411"
                + "&pa=" + merchant + "@juspay"
                + "&pn=" + merchant
                + "&am=" + URLEncoder.encode(request.path("amount").asText(), StandardCharsets.UTF_8)
                + "&cu=" + URLEncoder.encode(currency.isEmpty() ? "INR" : currency, StandardCharsets.UTF_8);
    }
}
