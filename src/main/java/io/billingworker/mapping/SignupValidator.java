package io.billingworker.mapping;

import io.billingworker.avro.Customer;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Runs every rule of docs/contract.md, "Validation rules", over one event, in the event's field order, so that
 * all broken rules are reported at once and always in the same order.
 */
final class SignupValidator {

    private SignupValidator() {
    }

    static void validate(SubscriptionSignup signup, Optional<MerchantProfile> merchant, Instant now,
                         Findings findings) {
        IdentityRules.requireText("event_id", signup.getEventId(), findings);
        IdentityRules.checkMerchant(signup.getMerchantId(), merchant, findings);
        IdentityRules.requireText("subscription_id", signup.getSubscriptionId(), findings);
        IdentityRules.checkOrderId(signup.getOrderId(), findings);
        String currency = signup.getCurrency();
        AmountRules.checkAmount("amount", signup.getAmount(), true, currency, findings);
        AmountRules.checkCurrency(currency, findings);
        checkCustomer(signup.getCustomer(), findings);
        BigDecimal planAmount = checkPlan(signup.getPlan(), currency, findings);
        checkMandate(signup.getMandate(), planAmount, currency, now, findings);
        checkReturnUrl(signup.getReturnUrl(), merchant, findings);
        DisplayFieldRules.checkDescription(signup.getDescription(), findings);
        findings.present("gateway_id", signup.getGatewayId());
        UdfRules.checkMetadata(orEmpty(signup.getMetadata()), findings);
        UdfRules.checkUdf(orEmpty(signup.getUdf()), findings);
    }

    private static void checkCustomer(Customer customer, Findings findings) {
        if (customer == null) {
            findings.reject("customer", Violation.REQUIRED, "must be present");
            return;
        }
        IdentityRules.checkCustomerId(customer.getCustomerId(), findings);
        ContactRules.checkEmail(customer.getEmail(), findings);
        ContactRules.checkPhone(customer.getPhone(), findings);
        ContactRules.checkMobileCountryCode(customer.getMobileCountryCode(), findings);
        DisplayFieldRules.checkName("customer.first_name", customer.getFirstName(), findings);
        DisplayFieldRules.checkName("customer.last_name", customer.getLastName(), findings);
    }

    private static BigDecimal checkPlan(Plan plan, String currency, Findings findings) {
        if (plan == null) {
            findings.reject("plan", Violation.REQUIRED, "must be present");
            return null;
        }
        IdentityRules.requireText("plan.plan_id", plan.getPlanId(), findings);
        BigDecimal planAmount =
                AmountRules.checkAmount("plan.plan_amount", plan.getPlanAmount(), false, currency, findings);
        MandateRules.checkPlanRuleValue(plan.getPlanRuleValue(), findings);
        return planAmount;
    }

    private static void checkMandate(Mandate mandate, BigDecimal planAmount, String currency, Instant now,
                                     Findings findings) {
        if (mandate == null) {
            findings.reject("mandate", Violation.REQUIRED, "must be present");
            return;
        }
        BigDecimal maxAmount =
                AmountRules.checkAmount("mandate.max_amount", mandate.getMaxAmount(), true, currency, findings);
        AmountRules.checkMaxCoversPlan(maxAmount, planAmount, findings);
        MandateRules.checkRuleValue(mandate.getFrequency(), mandate.getRuleValue(), findings);
        MandateRules.checkDates(mandate.getFrequency(), mandate.getStartDate(), mandate.getEndDate(), now, findings);
    }

    /**
     * The event's URL when it has a non-empty one, else the merchant's default; whichever is sent must be
     * valid.
     */
    private static void checkReturnUrl(String eventUrl, Optional<MerchantProfile> merchant, Findings findings) {
        if (!Text.isEmpty(eventUrl)) {
            ReturnUrls.check("return_url", eventUrl)
                    .ifPresent(v -> findings.reject(v.field(), v.code(), v.message()));
            return;
        }
        String defaultUrl = merchant.map(MerchantProfile::defaultReturnUrl).orElse(null);
        if (!Text.isEmpty(defaultUrl)) {
            ReturnUrls.check("return_url", defaultUrl).ifPresent(v -> findings.reject(v.field(), v.code(),
                    "the merchant's default return URL " + v.message()));
        }
    }

    static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
