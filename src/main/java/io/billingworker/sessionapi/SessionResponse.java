package io.billingworker.sessionapi;

/**
 * What a successful {@code /session} response held, field by field; any field may be {@code null} when the
 * response did not carry it. Both 200 shapes of docs/contract.md, "Responses", map here: the session shape
 * ({@code id}, {@code payment_links}, {@code sdk_payload}) and the direct-transaction shape
 * ({@code payment.authentication}, {@code txn_id}, {@code txn_uuid}).
 *
 * @param status               order status, e.g. {@code NEW} or {@code PENDING_VBV}
 * @param juspayOrderId        {@code id}
 * @param orderId              {@code order_id}
 * @param paymentLinkWeb       {@code payment_links.web}
 * @param paymentLinkExpiry    {@code payment_links.expiry}; the string {@code "null"} counts as absent
 *                             (docs/contract.md, "Responses")
 * @param upiDeepLink          {@code payment_links.deep_link}
 * @param authenticationUrl    {@code payment.authentication.url}
 * @param authenticationMethod {@code payment.authentication.method}
 * @param txnId                {@code txn_id}
 * @param txnUuid              {@code txn_uuid}
 * @param sdkPayloadJson       {@code sdk_payload} as compact JSON text
 */
public record SessionResponse(
        String status,
        String juspayOrderId,
        String orderId,
        String paymentLinkWeb,
        String paymentLinkExpiry,
        String upiDeepLink,
        String authenticationUrl,
        String authenticationMethod,
        String txnId,
        String txnUuid,
        String sdkPayloadJson) {

    /** Leaves out the SDK payload's content: it carries a client auth token meant for the customer's app. */
    @Override
    public String toString() {
        return "SessionResponse[status=" + status + ", juspayOrderId=" + juspayOrderId + ", orderId=" + orderId
                + ", paymentLinkWeb=" + paymentLinkWeb + ", paymentLinkExpiry=" + paymentLinkExpiry
                + ", upiDeepLink=" + (upiDeepLink == null ? null : "present")
                + ", authenticationUrl=" + (authenticationUrl == null ? null : "present")
                + ", authenticationMethod=" + authenticationMethod + ", txnId=" + txnId + ", txnUuid=" + txnUuid
                + ", sdkPayloadJson=" + (sdkPayloadJson == null ? null : sdkPayloadJson.length() + " chars") + "]";
    }
}
