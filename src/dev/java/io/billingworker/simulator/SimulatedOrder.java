package io.billingworker.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * An order the simulator created, as Juspay would hold it: created once per (merchant, order id) and
 * answered identically on every repeat call.
 *
 * @param merchantId      the merchant it belongs to
 * @param orderId         the merchant's order id
 * @param id              Juspay's order id, {@code ordeh_} plus 20 characters
 * @param txnUuid         the billing transaction's uuid (docs/contract.md, "Responses")
 * @param txnId           the billing transaction's id, {@code <merchant>-<order id>-1}
 * @param clientAuthToken the SDK payload's {@code clientAuthToken}
 * @param requestId       the SDK payload's {@code requestId}
 * @param createdAt       when it was created (the simulator's clock)
 * @param billingSession  whether the creating request carried {@code payment_rules.payment_flows.billing_creation}
 * @param request         the fields of the creating request that answers are built from (order id, amount,
 *                        currency, customer and display fields, client id, action, return URL, deep-link flag);
 *                        only these are kept so that a long benchmark's orders stay small. Later calls never
 *                        change the order.
 */
public record SimulatedOrder(
        String merchantId,
        String orderId,
        String id,
        String txnUuid,
        String txnId,
        String clientAuthToken,
        String requestId,
        Instant createdAt,
        boolean billingSession,
        ObjectNode request) {

    public SimulatedOrder {
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(txnUuid, "txnUuid");
        Objects.requireNonNull(txnId, "txnId");
        Objects.requireNonNull(clientAuthToken, "clientAuthToken");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(request, "request");
        request = request.deepCopy();
    }

    /** A copy of the creating request's body. */
    @Override
    public ObjectNode request() {
        return request.deepCopy();
    }

    /** The creating body itself, for rendering responses without copying. */
    ObjectNode requestBody() {
        return request;
    }
}
