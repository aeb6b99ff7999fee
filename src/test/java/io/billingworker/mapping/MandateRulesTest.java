package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.DAY;
import static io.billingworker.mapping.SignupFixtures.NOW;
import static io.billingworker.mapping.SignupFixtures.TODAY_START;
import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.rejected;
import static io.billingworker.mapping.SignupFixtures.violations;
import static io.billingworker.mapping.SignupFixtures.withMandate;
import static io.billingworker.mapping.SignupFixtures.withPlan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.avro.Frequency;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** mandate.rule_value by frequency, plan.plan_rule_value, mandate.start_date and mandate.end_date. */
class MandateRulesTest {

    private static final String NOT_TODAY_WARNING =
            "mandate.start_date left out: not today's UTC date (2026-03-10), so Juspay starts the mandate today";

    @ParameterizedTest
    @CsvSource({"WEEKLY, 1", "WEEKLY, 7", "FORTNIGHTLY, 1", "FORTNIGHTLY, 16", "MONTHLY, 1", "MONTHLY, 31",
        "BIMONTHLY, 31", "QUARTERLY, 15", "HALFYEARLY, 1", "YEARLY, 31"})
    void shouldSendRuleValuesInRangeAsStrings(Frequency frequency, int ruleValue) {
        ObjectNode body = mapped(withMandate(m -> m.setFrequency(frequency).setRuleValue(ruleValue))).request().body();

        assertThat(body.get("mandate.frequency").asText()).isEqualTo(frequency.name());
        assertThat(body.get("mandate.rule_value").isTextual()).isTrue();
        assertThat(body.get("mandate.rule_value").asText()).isEqualTo(Integer.toString(ruleValue));
    }

    @ParameterizedTest
    @CsvSource({"WEEKLY, 0, 7", "WEEKLY, 8, 7", "FORTNIGHTLY, 17, 16", "MONTHLY, 32, 31", "BIMONTHLY, 0, 31",
        "QUARTERLY, -1, 31", "HALFYEARLY, 40, 31", "YEARLY, 32, 31"})
    void shouldRejectRuleValuesOutOfRange(Frequency frequency, int ruleValue, int max) {
        List<Violation> violations = violations(withMandate(m -> m.setFrequency(frequency).setRuleValue(ruleValue)));

        assertThat(violations).containsExactly(new Violation("mandate.rule_value", "OUT_OF_RANGE",
                "must be between 1 and " + max + " when mandate.frequency is " + frequency));
    }

    @ParameterizedTest
    @EnumSource(value = Frequency.class,
            names = {"WEEKLY", "FORTNIGHTLY", "MONTHLY", "BIMONTHLY", "QUARTERLY", "HALFYEARLY", "YEARLY"})
    void shouldRequireARuleValueForPeriodicFrequencies(Frequency frequency) {
        List<Violation> violations = violations(withMandate(m -> m.setFrequency(frequency)));

        assertThat(violations).containsExactly(new Violation("mandate.rule_value", "REQUIRED",
                "is required when mandate.frequency is " + frequency));
    }

    @ParameterizedTest
    @EnumSource(value = Frequency.class, names = {"ONETIME", "DAILY", "ASPRESENTED"})
    void shouldAcceptNoRuleValueForOtherFrequencies(Frequency frequency) {
        ObjectNode body = mapped(withMandate(m -> m.setFrequency(frequency))).request().body();

        assertThat(body.get("mandate.frequency").asText()).isEqualTo(frequency.name());
        assertThat(body.has("mandate.rule_value")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Frequency.class, names = {"ONETIME", "DAILY", "ASPRESENTED"})
    void shouldRejectARuleValueForOtherFrequencies(Frequency frequency) {
        List<Violation> violations = violations(withMandate(m -> m.setFrequency(frequency).setRuleValue(1)));

        assertThat(violations).containsExactly(new Violation("mandate.rule_value", "NOT_ALLOWED",
                "must not be set when mandate.frequency is " + frequency));
    }

    @Test
    void shouldRejectARuleValueWithoutAFrequency() {
        List<Violation> violations = violations(withMandate(m -> m.setRuleValue(1)));

        assertThat(violations).containsExactly(new Violation("mandate.rule_value", "NOT_ALLOWED",
                "must not be set when mandate.frequency is not set (Juspay then uses ASPRESENTED)"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 31})
    void shouldSendPlanRuleValuesAsIntegers(int planRuleValue) {
        ObjectNode body = mapped(withPlan(p -> p.setPlanRuleValue(planRuleValue))).request().body();

        assertThat(body.at("/payment_rules/payment_flows/billing_creation/info/rule_info/plan_rule_value").isInt())
                .isTrue();
        assertThat(body.at("/payment_rules/payment_flows/billing_creation/info/rule_info/plan_rule_value").intValue())
                .isEqualTo(planRuleValue);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 32, -5})
    void shouldRejectPlanRuleValuesOutOfRange(int planRuleValue) {
        List<Violation> violations = violations(withPlan(p -> p.setPlanRuleValue(planRuleValue)));

        assertThat(violations).containsExactly(
                new Violation("plan.plan_rule_value", "OUT_OF_RANGE", "must be between 1 and 31"));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, DAY - 1})
    void shouldSendAStartDateOfTodayAsAString(long secondOfDay) {
        long startDate = TODAY_START + secondOfDay;

        MappingResult.Mapped result = mapped(withMandate(m -> m.setStartDate(startDate)));

        assertThat(result.warnings()).isEmpty();
        assertThat(result.request().body().get("mandate.start_date").asText()).isEqualTo(Long.toString(startDate));
    }

    @ParameterizedTest
    @ValueSource(longs = {TODAY_START - 1, TODAY_START + DAY, 1633087969L, 0, -1, Long.MAX_VALUE, Long.MIN_VALUE})
    void shouldLeaveOutAStartDateThatIsNotTodayWithAWarning(long startDate) {
        MappingResult.Mapped result = mapped(withMandate(m -> m.setStartDate(startDate)));

        assertThat(result.warnings()).containsExactly(NOT_TODAY_WARNING);
        assertThat(result.request().body().has("mandate.start_date")).isFalse();
    }

    @Test
    void shouldSendAnEndDateAfterTheStartDateAsAString() {
        ObjectNode body = mapped(withMandate(m -> m.setStartDate(TODAY_START).setEndDate(TODAY_START + 1)))
                .request().body();

        assertThat(body.get("mandate.start_date").asText()).isEqualTo(Long.toString(TODAY_START));
        assertThat(body.get("mandate.end_date").asText()).isEqualTo(Long.toString(TODAY_START + 1));
    }

    @Test
    void shouldRejectAnEndDateNotAfterTheStartDate() {
        long start = TODAY_START + 3_600;

        List<Violation> violations = violations(withMandate(m -> m.setStartDate(start).setEndDate(start)));

        assertThat(violations).containsExactly(
                new Violation("mandate.end_date", "OUT_OF_RANGE", "must be after mandate.start_date"));
    }

    @Test
    void shouldAcceptAFutureEndDateWithoutAStartDate() {
        long end = NOW.getEpochSecond() + 1;

        assertThat(mapped(withMandate(m -> m.setEndDate(end))).request().body().get("mandate.end_date").asText())
                .isEqualTo(Long.toString(end));
    }

    @Test
    void shouldRejectAPastEndDateWithoutAStartDate() {
        List<Violation> violations = violations(withMandate(m -> m.setEndDate(NOW.getEpochSecond())));

        assertThat(violations).containsExactly(new Violation("mandate.end_date", "OUT_OF_RANGE",
                "must be in the future (the mandate starts today)"));
    }

    @Test
    void shouldCheckTheEndDateAgainstTodayWhenTheStartDateIsLeftOut() {
        long yesterday = TODAY_START - DAY;

        MappingResult.Rejected result =
                rejected(withMandate(m -> m.setStartDate(yesterday).setEndDate(yesterday + 3_600)));

        assertThat(result.violations()).containsExactly(new Violation("mandate.end_date", "OUT_OF_RANGE",
                "must be in the future (the mandate starts today)"));
        assertThat(result.warnings()).containsExactly(NOT_TODAY_WARNING);
    }

    @Test
    void shouldAcceptAOnetimeMandateOf90Days() {
        long end = TODAY_START + 90 * DAY;

        ObjectNode body = mapped(withMandate(m -> m.setFrequency(Frequency.ONETIME)
                .setStartDate(TODAY_START).setEndDate(end))).request().body();

        assertThat(body.get("mandate.end_date").asText()).isEqualTo(Long.toString(end));
    }

    @Test
    void shouldRejectAOnetimeMandateLongerThan90Days() {
        List<Violation> violations = violations(withMandate(m -> m.setFrequency(Frequency.ONETIME)
                .setStartDate(TODAY_START).setEndDate(TODAY_START + 90 * DAY + 1)));

        assertThat(violations).containsExactly(new Violation("mandate.end_date", "OUT_OF_RANGE",
                "must be at most 90 days after the start for a ONETIME mandate"));
    }

    @Test
    void shouldMeasureAOnetimeMandateWithoutStartDateFromNow() {
        long now = NOW.getEpochSecond();

        MappingResult accepted = SignupFixtures.map(withMandate(m -> m.setFrequency(Frequency.ONETIME)
                .setEndDate(now + 90 * DAY)));
        List<Violation> violations = violations(withMandate(m -> m.setFrequency(Frequency.ONETIME)
                .setEndDate(now + 90 * DAY + 1)));

        assertThat(accepted).isInstanceOf(MappingResult.Mapped.class);
        assertThat(violations).containsExactly(new Violation("mandate.end_date", "OUT_OF_RANGE",
                "must be at most 90 days after the start for a ONETIME mandate"));
    }

    @Test
    void shouldAcceptLongRecurringMandates() {
        long end = TODAY_START + 30 * 365 * DAY;

        ObjectNode body = mapped(withMandate(m -> m.setFrequency(Frequency.MONTHLY).setRuleValue(1)
                .setStartDate(TODAY_START).setEndDate(end))).request().body();

        assertThat(body.get("mandate.end_date").asText()).isEqualTo(Long.toString(end));
    }

    @Test
    void shouldSendMandateFlagsAsBooleans() {
        ObjectNode body = mapped(withMandate(m -> m.setRevokableByCustomer(false).setBlockFunds(true)))
                .request().body();

        assertThat(body.get("mandate.revokable_by_customer").isBoolean()).isTrue();
        assertThat(body.get("mandate.revokable_by_customer").booleanValue()).isFalse();
        assertThat(body.get("mandate.block_funds").isBoolean()).isTrue();
        assertThat(body.get("mandate.block_funds").booleanValue()).isTrue();
    }
}
