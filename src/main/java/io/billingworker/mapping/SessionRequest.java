package io.billingworker.mapping;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One {@code POST /session} call, fully prepared: the headers that vary per call and the JSON body
 * exactly as it goes on the wire (docs/contract.md, "Request body"). Credentials are not part of it; the session API
 * client adds {@code Authorization} from the merchant's secret.
 *
 * @param merchantId value of {@code x-merchantid}
 * @param orderId    the order id in the body (given by the event or derived from it)
 * @param customerId the customer id in the body; empty for a guest checkout
 * @param routingId  value of {@code x-routing-id}: the customer id, or the order id for a guest
 * @param bodyBytes  the JSON body as UTF-8 bytes, flat dotted keys plus the nested {@code payment_rules} object;
 *                   the request owns the array: nobody modifies it once it is handed over
 */
public record SessionRequest(String merchantId, String orderId, String customerId, String routingId,
                             byte[] bodyBytes) {

    public SessionRequest {
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(routingId, "routingId");
        Objects.requireNonNull(bodyBytes, "bodyBytes");
    }

    /**
     * The body as it goes on the wire, UTF-8 JSON. The same array on every call, retries included: read it, never
     * modify it.
     */
    @Override
    public byte[] bodyBytes() {
        return bodyBytes;
    }

    /**
     * The body parsed into a tree, for inspection in tests and tools; parses on every call. Decimals keep their
     * scale: {@code 20.0} is a decimal 20.0, {@code 1} an integer. Sending uses {@link #bodyBytes()}.
     */
    public ObjectNode body() {
        try {
            return (ObjectNode) Inspection.JSON.readTree(bodyBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionRequest that
                && merchantId.equals(that.merchantId)
                && orderId.equals(that.orderId)
                && customerId.equals(that.customerId)
                && routingId.equals(that.routingId)
                && Arrays.equals(bodyBytes, that.bodyBytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(merchantId, orderId, customerId, routingId, Arrays.hashCode(bodyBytes));
    }

    @Override
    public String toString() {
        return "SessionRequest[merchantId=" + merchantId + ", orderId=" + orderId + ", customerId=" + customerId
                + ", routingId=" + routingId + ", body=" + new String(bodyBytes, StandardCharsets.UTF_8) + "]";
    }

    /** Reads the body for {@link #body()}; created on first use, never on the send path. */
    private static final class Inspection {

        static final ObjectMapper JSON = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }
}
