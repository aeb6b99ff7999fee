package io.billingworker.mapping;

import io.billingworker.avro.Frequency;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Rules for the mandate's debit day and dates, and the plan's custom debit day (docs/contract.md, "Validation
 * rules").
 */
final class MandateRules {

    static final Duration ONETIME_MAX_LENGTH = Duration.ofDays(90);

    private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();

    private MandateRules() {
    }

    /**
     * {@code mandate.rule_value}: required and ranged for the periodic frequencies, not allowed for
     * ONETIME, DAILY and ASPRESENTED (Juspay's default when no frequency is given).
     */
    static void checkRuleValue(Frequency frequency, Integer ruleValue, Findings findings) {
        String field = "mandate.rule_value";
        int max = maxRuleValue(frequency);
        if (max == 0) {
            if (ruleValue != null) {
                String when = frequency == null
                        ? "mandate.frequency is not set (Juspay then uses ASPRESENTED)"
                        : "mandate.frequency is " + frequency;
                findings.reject(field, Violation.NOT_ALLOWED, "must not be set when " + when);
            }
        } else if (ruleValue == null) {
            findings.reject(field, Violation.REQUIRED, "is required when mandate.frequency is " + frequency);
        } else if (ruleValue < 1 || ruleValue > max) {
            findings.reject(field, Violation.OUT_OF_RANGE,
                    "must be between 1 and " + max + " when mandate.frequency is " + frequency);
        }
    }

    /** The highest allowed rule value for the frequency, 0 when the frequency takes none. */
    private static int maxRuleValue(Frequency frequency) {
        if (frequency == null) {
            return 0;
        }
        return switch (frequency) {
            case WEEKLY -> 7;
            case FORTNIGHTLY -> 16;
            case MONTHLY, BIMONTHLY, QUARTERLY, HALFYEARLY, YEARLY -> 31;
            case ONETIME, DAILY, ASPRESENTED -> 0;
        };
    }

    static void checkPlanRuleValue(Integer planRuleValue, Findings findings) {
        if (planRuleValue != null && (planRuleValue < 1 || planRuleValue > 31)) {
            findings.reject("plan.plan_rule_value", Violation.OUT_OF_RANGE, "must be between 1 and 31");
        }
    }

    /**
     * A start date that is not today's UTC date is left out (Juspay then starts the mandate today). The
     * end date must come after the start that Juspay will use, and a ONETIME mandate lasts at most 90 days.
     */
    static void checkDates(Frequency frequency, Long startDate, Long endDate, Instant now, Findings findings) {
        boolean startSent = startDate != null && isToday(startDate, now, findings);
        if (endDate == null) {
            return;
        }
        long start = startSent ? startDate : now.getEpochSecond();
        if (endDate <= start) {
            findings.reject("mandate.end_date", Violation.OUT_OF_RANGE, startSent
                    ? "must be after mandate.start_date"
                    : "must be in the future (the mandate starts today)");
        } else if (frequency == Frequency.ONETIME && endDate - start > ONETIME_MAX_LENGTH.toSeconds()) {
            findings.reject("mandate.end_date", Violation.OUT_OF_RANGE,
                    "must be at most 90 days after the start for a ONETIME mandate");
        }
    }

    private static boolean isToday(long startDate, Instant now, Findings findings) {
        long today = Math.floorDiv(now.getEpochSecond(), SECONDS_PER_DAY);
        if (Math.floorDiv(startDate, SECONDS_PER_DAY) != today) {
            findings.omit("mandate.start_date", "not today's UTC date (" + LocalDate.ofEpochDay(today)
                    + "), so Juspay starts the mandate today");
            return false;
        }
        return true;
    }
}
