package io.billingworker.app;

import io.billingworker.avro.Customer;
import io.billingworker.avro.Frequency;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sample signups: the four shapes of Juspay's billing session samples (fixed or variable plan, default or
 * custom debit day), plus events that end as an invalid-event failure, an API rejection and a dead letter.
 */
public final class DemoSignups {

    /** Order id the demo's simulator rejects with HTTP 400. */
    public static final String REJECTED_ORDER_ID = "demo_reject_1";
    /** Order id the demo's simulator always answers with HTTP 503, so retries run out. */
    public static final String EXHAUSTED_ORDER_ID = "demo_retry_1";

    private DemoSignups() {
    }

    /**
     * A valid signup in one of Juspay's billing sample shapes (docs/contract.md, "Billing sample shapes"): plan
     * amount only for variable plans, debit day only when custom.
     */
    public static SubscriptionSignup seedShape(String subscriptionId, String eventId, String planAmount,
            Integer planRuleValue, Instant occurredAt) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("auto_refund_post_success", "true");
        return SubscriptionSignup.newBuilder()
                .setEventId(eventId)
                .setOccurredAt(occurredAt)
                .setMerchantId(null)
                .setSubscriptionId(subscriptionId)
                .setOrderId(null)
                .setAmount("1.0")
                .setCurrency("INR")
                .setCustomer(Customer.newBuilder()
                        .setCustomerId("cth_" + subscriptionId)
                        .setEmail(null)
                        .setPhone(null)
                        .setMobileCountryCode(null)
                        .setFirstName("John")
                        .setLastName("wick")
                        .build())
                .setPlan(Plan.newBuilder()
                        .setPlanId("sample_fixed_plan")
                        .setPlanAmount(planAmount)
                        .setPlanRuleValue(planRuleValue)
                        .build())
                .setMandate(Mandate.newBuilder()
                        .setMaxAmount("100")
                        .setFrequency(null)
                        .setRuleValue(null)
                        .setAmountRule(null)
                        .setStartDate(null)
                        .setEndDate(null)
                        .setRevokableByCustomer(null)
                        .setBlockFunds(null)
                        .build())
                .setReturnUrl("https://shop.merchant.com")
                .setDescription("Complete your payment")
                .setGatewayId("100")
                .setMetadata(metadata)
                .setUdf(Map.of())
                .build();
    }

    /** The demo's set, in publishing order. */
    public static List<SubscriptionSignup> all(Instant now) {
        SubscriptionSignup invalid = seedShape("sub_invalid", "evt_invalid", null, null, now);
        invalid.setAmount("1.001");
        invalid.getMandate().setMaxAmount("1e3");
        invalid.getMandate().setFrequency(Frequency.MONTHLY);
        invalid.getCustomer().setEmail(".john@example.com");
        SubscriptionSignup rejected = seedShape("sub_rejected", "evt_rejected", null, null, now);
        rejected.setOrderId(REJECTED_ORDER_ID);
        SubscriptionSignup exhausted = seedShape("sub_retry", "evt_retry", null, null, now);
        exhausted.setOrderId(EXHAUSTED_ORDER_ID);
        return List.of(
                seedShape("sub_fixed_default", "evt_fixed_default", null, null, now),
                seedShape("sub_fixed_custom", "evt_fixed_custom", null, 1, now),
                seedShape("sub_variable_default", "evt_variable_default", "20.0", null, now),
                seedShape("sub_variable_custom", "evt_variable_custom", "20.0", 1, now),
                invalid,
                rejected,
                exhausted);
    }
}
