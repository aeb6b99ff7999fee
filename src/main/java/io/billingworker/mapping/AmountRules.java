package io.billingworker.mapping;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Rules for money: decimal strings with at most two decimal places, compared as {@link BigDecimal} only,
 * and the currency code.
 */
final class AmountRules {

    private static final Pattern AMOUNT = Pattern.compile("[0-9]+(\\.[0-9]{1,2})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final BigDecimal INR_MINIMUM = new BigDecimal("1.00");
    private static final String INR = "INR";

    private AmountRules() {
    }

    /**
     * Checks one amount and returns its value, or null when it is absent or broken.
     *
     * @param required whether null or empty is a violation; an optional amount may be null but not empty
     */
    static BigDecimal checkAmount(String field, String value, boolean required, String currency,
                                  Findings findings) {
        if (value == null || (required && value.isEmpty())) {
            if (required) {
                findings.reject(field, Violation.REQUIRED, "must not be empty");
            }
            return null;
        }
        if (!AMOUNT.matcher(value).matches()) {
            findings.reject(field, Violation.BAD_FORMAT,
                    "must be a decimal number with at most two decimal places, like 100 or 100.15");
            return null;
        }
        BigDecimal amount = new BigDecimal(value);
        if (INR.equals(currency) && amount.compareTo(INR_MINIMUM) < 0) {
            findings.reject(field, Violation.OUT_OF_RANGE, "must be at least 1.00 INR");
            return null;
        }
        if (amount.signum() <= 0) {
            findings.reject(field, Violation.OUT_OF_RANGE, "must be greater than 0");
            return null;
        }
        return amount;
    }

    static void checkCurrency(String currency, Findings findings) {
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            findings.reject("currency", Violation.BAD_FORMAT, "must be three upper-case letters, like INR");
        }
    }

    /** The mandate's ceiling must cover the plan amount when both are known. */
    static void checkMaxCoversPlan(BigDecimal maxAmount, BigDecimal planAmount, Findings findings) {
        if (maxAmount != null && planAmount != null && maxAmount.compareTo(planAmount) < 0) {
            findings.reject("mandate.max_amount", Violation.OUT_OF_RANGE, "must be at least plan.plan_amount");
        }
    }

    /** Whether the request carries {@code currency}: only when it is not Juspay's default, INR. */
    static boolean isDefaultCurrency(String currency) {
        return INR.equals(currency);
    }
}
