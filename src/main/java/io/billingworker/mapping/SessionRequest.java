package io.billingworker.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
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
 * @param body       the JSON body, flat dotted keys plus the nested {@code payment_rules} object
 */
public record SessionRequest(String merchantId, String orderId, String customerId, String routingId, ObjectNode body) {

    /**
     * Writes decimals such as {@code plan_amount} as plain digits, never in exponent notation. Jackson's default
     * buffer recycling is per thread, which a virtual thread per record defeats; a shared pool reuses the buffers.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build())
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    public SessionRequest {
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(routingId, "routingId");
        Objects.requireNonNull(body, "body");
    }

    /** The body serialized as UTF-8 JSON, keys in insertion order. */
    public byte[] bodyBytes() {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
