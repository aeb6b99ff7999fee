package io.billingworker.mapping;

import io.billingworker.avro.SubscriptionSignup;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a {@code SubscriptionSignup} event into a {@code POST /session} request (docs/contract.md, "Request body"), or
 * into the complete list of rules it breaks (section 3). Pure: no I/O; the clock only decides whether
 * {@code mandate.start_date} is today. Thread-safe.
 */
public final class SignupMapper {

    private final Clock clock;

    public SignupMapper(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param signup    the decoded event
     * @param merchants resolves the event's {@code merchant_id} (null = the default merchant)
     * @return {@link MappingResult.Mapped} with the request, or {@link MappingResult.Rejected} with every
     *         broken rule in the event's field order
     */
    public MappingResult map(SubscriptionSignup signup, MerchantDirectory merchants) {
        Objects.requireNonNull(signup, "signup");
        Objects.requireNonNull(merchants, "merchants");
        Optional<MerchantProfile> merchant = merchants.find(signup.getMerchantId());
        Findings findings = new Findings();
        SignupValidator.validate(signup, merchant, clock.instant(), findings);

        String merchantId = merchant.map(MerchantProfile::merchantId).orElse(signup.getMerchantId());
        String orderId = orderId(signup, merchantId);
        if (findings.hasViolations()) {
            return new MappingResult.Rejected(findings.violations(), orderId, merchantId, findings.warnings());
        }
        String customerId = signup.getCustomer().getCustomerId();
        // Seed 001: pass the customer id as x-routing-id; for a guest, an alternative id such as the order id.
        String routingId = customerId.isEmpty() ? orderId : customerId;
        SessionRequest request = new SessionRequest(merchantId, orderId, customerId, routingId,
                SessionBody.write(signup, merchant.orElseThrow(), orderId, findings));
        return new MappingResult.Mapped(request, findings.warnings());
    }

    /**
     * The event's order id when it is valid; a derived one when the event has none; null when neither
     * can be determined (an invalid given id, or no event id or merchant id to derive from).
     */
    private static String orderId(SubscriptionSignup signup, String merchantId) {
        String given = signup.getOrderId();
        if (given != null) {
            return OrderIds.isValid(given) ? given : null;
        }
        if (merchantId == null || Text.isEmpty(signup.getEventId())) {
            return null;
        }
        return OrderIds.derive(merchantId, signup.getEventId());
    }
}
