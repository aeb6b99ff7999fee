package io.billingworker.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request as the simulator received it, for tests to inspect. The {@code Authorization} header is
 * kept only as {@value #REDACTED}: secrets are never stored. {@link #authenticatedMerchantId()} tells which
 * merchant's key it carried, if any.
 *
 * @param method                  HTTP method
 * @param path                    request path, without the query
 * @param headers                 header names in lower case, each with its values in order
 * @param rawBody                 the body as received (UTF-8)
 * @param body                    the body parsed as JSON, or a missing node when it was not JSON
 * @param receivedAt              when it arrived (the simulator's clock)
 * @param authenticatedMerchantId the merchant whose API key and {@code x-merchantid} it carried, or null
 */
public record ReceivedRequest(
        String method,
        String path,
        Map<String, List<String>> headers,
        String rawBody,
        JsonNode body,
        Instant receivedAt,
        String authenticatedMerchantId) {

    /** What a recorded {@code Authorization} value is replaced by. */
    public static final String REDACTED = "<redacted>";

    public ReceivedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(rawBody, "rawBody");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body's {@code order_id}, when it is a JSON string. */
    public Optional<String> orderId() {
        JsonNode orderId = body.path("order_id");
        return orderId.isTextual() ? Optional.of(orderId.asText()) : Optional.empty();
    }
}
