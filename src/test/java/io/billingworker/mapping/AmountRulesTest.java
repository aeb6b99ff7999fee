package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.signup;
import static io.billingworker.mapping.SignupFixtures.violations;
import static io.billingworker.mapping.SignupFixtures.withMandate;
import static io.billingworker.mapping.SignupFixtures.withPlan;
import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** amount, plan.plan_amount, mandate.max_amount and currency. */
class AmountRulesTest {

    private static final String FORMAT_MESSAGE =
            "must be a decimal number with at most two decimal places, like 100 or 100.15";

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.0", "1.00", "100", "100.15", "99999999.99"})
    void shouldAcceptWellFormedAmounts(String amount) {
        assertThat(mapped(signup(s -> s.setAmount(amount))).request().body().get("amount").asText()).isEqualTo(amount);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e3", " 1", "1 ", "-1", "+1", "NaN", "Infinity", "1.001", "100.1532", "1.", ".5",
        "1,00", "0x10", "١", "1\n"})
    void shouldRejectMalformedAmounts(String amount) {
        List<Violation> violations = violations(signup(s -> s.setAmount(amount)));

        assertThat(violations).containsExactly(new Violation("amount", "BAD_FORMAT", FORMAT_MESSAGE));
    }

    @Test
    void shouldRequireAnAmount() {
        List<Violation> violations = violations(signup(s -> s.setAmount("")));

        assertThat(violations).containsExactly(new Violation("amount", "REQUIRED", "must not be empty"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "0.99"})
    void shouldRejectInrAmountsBelowOneRupee(String amount) {
        List<Violation> violations = violations(signup(s -> s.setAmount(amount)));

        assertThat(violations).containsExactly(new Violation("amount", "OUT_OF_RANGE", "must be at least 1.00 INR"));
    }

    @Test
    void shouldAcceptSmallAmountsInOtherCurrencies() {
        assertThat(mapped(signup(s -> s.setCurrency("USD").setAmount("0.50"))).request().body().get("amount").asText())
                .isEqualTo("0.50");
    }

    @Test
    void shouldRejectZeroInOtherCurrencies() {
        List<Violation> violations = violations(signup(s -> s.setCurrency("USD").setAmount("0.00")));

        assertThat(violations).containsExactly(new Violation("amount", "OUT_OF_RANGE", "must be greater than 0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"inr", "IN", "INRR", "", "US1", "ÜSD"})
    void shouldRejectMalformedCurrencies(String currency) {
        List<Violation> violations = violations(signup(s -> s.setCurrency(currency).setAmount("10")));

        assertThat(violations).containsExactly(
                new Violation("currency", "BAD_FORMAT", "must be three upper-case letters, like INR"));
    }

    @Test
    void shouldRejectANullCurrency() {
        SubscriptionSignup signup = SignupFixtures.seedSignup().build();
        signup.setCurrency(null);

        List<Violation> violations = violations(signup);

        assertThat(violations).containsExactly(
                new Violation("currency", "BAD_FORMAT", "must be three upper-case letters, like INR"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "20.0", "20.55", "100"})
    void shouldAcceptWellFormedPlanAmounts(String planAmount) {
        assertThat(mapped(withPlan(p -> p.setPlanAmount(planAmount))).request().body()
                .at("/payment_rules/payment_flows/billing_creation/info/plan_amount").decimalValue())
                .isEqualByComparingTo(planAmount);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "20.001", "2e1", "-20", "twenty"})
    void shouldRejectMalformedPlanAmounts(String planAmount) {
        List<Violation> violations = violations(withPlan(p -> p.setPlanAmount(planAmount)));

        assertThat(violations).containsExactly(new Violation("plan.plan_amount", "BAD_FORMAT", FORMAT_MESSAGE));
    }

    @Test
    void shouldRejectAnInrPlanAmountBelowOneRupee() {
        List<Violation> violations = violations(withPlan(p -> p.setPlanAmount("0.50")));

        assertThat(violations).containsExactly(
                new Violation("plan.plan_amount", "OUT_OF_RANGE", "must be at least 1.00 INR"));
    }

    @Test
    void shouldRequireAMandateMaxAmount() {
        List<Violation> violations = violations(withMandate(m -> m.setMaxAmount("")));

        assertThat(violations).containsExactly(new Violation("mandate.max_amount", "REQUIRED", "must not be empty"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e2", "100.001", "100,00"})
    void shouldRejectMalformedMandateMaxAmounts(String maxAmount) {
        List<Violation> violations = violations(withMandate(m -> m.setMaxAmount(maxAmount)));

        assertThat(violations).containsExactly(new Violation("mandate.max_amount", "BAD_FORMAT", FORMAT_MESSAGE));
    }

    @Test
    void shouldRejectAnInrMandateMaxAmountBelowOneRupee() {
        List<Violation> violations = violations(withMandate(m -> m.setMaxAmount("0.99")));

        assertThat(violations).containsExactly(
                new Violation("mandate.max_amount", "OUT_OF_RANGE", "must be at least 1.00 INR"));
    }

    @Test
    void shouldRejectAMandateMaxAmountBelowThePlanAmount() {
        SubscriptionSignup signup = signup(s -> s
                .setPlan(Plan.newBuilder().setPlanId("p").setPlanAmount("100.01").build())
                .setMandate(Mandate.newBuilder().setMaxAmount("100").build()));

        List<Violation> violations = violations(signup);

        assertThat(violations).containsExactly(
                new Violation("mandate.max_amount", "OUT_OF_RANGE", "must be at least plan.plan_amount"));
    }

    @Test
    void shouldCompareMaxAndPlanAmountsAsDecimals() {
        SubscriptionSignup signup = signup(s -> s
                .setPlan(Plan.newBuilder().setPlanId("p").setPlanAmount("20.0").build())
                .setMandate(Mandate.newBuilder().setMaxAmount("20").build()));

        assertThat(mapped(signup).request().body().get("mandate.max_amount").asText()).isEqualTo("20");
    }
}
