package io.billingworker.simulator;

/**
 * Which of Juspay's documented {@code 200} bodies the simulator answers with, so the worker can be tested
 * against both shapes it must parse.
 *
 * <ul>
 *   <li>{@link #SESSION}: the Session API reference (docs/contract.md, "Responses"): {@code status} NEW, {@code id},
 *       {@code order_id}, {@code payment_links}, {@code sdk_payload}.</li>
 *   <li>{@link #BILLING}: the Juspay Billing page (docs/contract.md, "Responses"), for requests carrying
 *       {@code payment_rules.payment_flows.billing_creation}: {@code payment.authentication},
 *       {@code status} PENDING_VBV, {@code txn_uuid}, {@code offer_details}, {@code order_id},
 *       {@code txn_id}, and nothing else.</li>
 *   <li>{@link #COMBINED} (default): for billing sessions, both field sets in one body with
 *       {@code status} PENDING_VBV; other sessions as {@link #SESSION}.</li>
 * </ul>
 * A request without {@code billing_creation} is answered in the {@link #SESSION} shape whatever the setting.
 */
public enum ResponseShape {
    COMBINED,
    SESSION,
    BILLING
}
