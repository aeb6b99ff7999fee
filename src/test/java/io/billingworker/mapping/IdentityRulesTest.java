package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.CLOCK;
import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.signup;
import static io.billingworker.mapping.SignupFixtures.violations;
import static io.billingworker.mapping.SignupFixtures.withCustomer;
import static io.billingworker.mapping.SignupFixtures.withPlan;
import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.SubscriptionSignup;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** event_id, subscription_id, merchant_id, order_id, customer.customer_id and plan.plan_id. */
class IdentityRulesTest {

    @Test
    void shouldRequireAnEventId() {
        List<Violation> violations = violations(signup(s -> s.setEventId("")));

        assertThat(violations).containsExactly(new Violation("event_id", "REQUIRED", "must not be empty"));
    }

    @Test
    void shouldRequireASubscriptionId() {
        List<Violation> violations = violations(signup(s -> s.setSubscriptionId("")));

        assertThat(violations).containsExactly(new Violation("subscription_id", "REQUIRED", "must not be empty"));
    }

    @Test
    void shouldRequireAPlanId() {
        List<Violation> violations = violations(withPlan(p -> p.setPlanId("")));

        assertThat(violations).containsExactly(new Violation("plan.plan_id", "REQUIRED", "must not be empty"));
    }

    @Test
    void shouldAcceptKnownMerchants() {
        assertThat(mapped(signup(s -> s.setMerchantId("other_shop"))).request().merchantId()).isEqualTo("other_shop");
        assertThat(mapped(signup(s -> s.setMerchantId(null))).request().merchantId()).isEqualTo("mandate_juspay");
    }

    @Test
    void shouldRejectAnUnknownMerchant() {
        List<Violation> violations = violations(signup(s -> s.setMerchantId("ghost\r\nX-Evil: 1")));

        assertThat(violations).containsExactly(new Violation("merchant_id", "UNKNOWN_MERCHANT",
                "no merchant with id \"ghost\\u000d\\u000aX-Evil: 1\" is configured"));
    }

    @Test
    void shouldRejectAConfiguredMerchantIdWithControlCharacters() {
        MerchantProfile broken = new MerchantProfile("shop\n", "client", null, "REQUIRED", false);
        SubscriptionSignup signup = signup(s -> s.setMerchantId(null));

        MappingResult result = new SignupMapper(CLOCK).map(signup, MerchantDirectory.of(broken, List.of()));

        assertThat(result).isInstanceOfSatisfying(MappingResult.Rejected.class, r ->
                assertThat(r.violations()).containsExactly(new Violation("merchant_id", "CONTROL_CHARACTER",
                        "the configured merchant id must not contain control characters: it is sent in the "
                                + "x-merchantid header")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "1777379785", "order-id_9876580", "ABCDEFGHIJ0123456789"})
    void shouldAcceptValidOrderIds(String orderId) {
        assertThat(mapped(signup(s -> s.setOrderId(orderId))).request().orderId()).isEqualTo(orderId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "order id", "order.id", "ordér", "order\r\n", "order/1"})
    void shouldRejectMalformedOrderIds(String orderId) {
        List<Violation> violations = violations(signup(s -> s.setOrderId(orderId)));

        assertThat(violations).containsExactly(
                new Violation("order_id", "BAD_FORMAT", "must be 1 to 20 characters of A-Z a-z 0-9 _ -"));
    }

    @Test
    void shouldRejectAnOrderIdLongerThan20Characters() {
        List<Violation> violations = violations(signup(s -> s.setOrderId("ABCDEFGHIJ01234567890")));

        assertThat(violations).containsExactly(new Violation("order_id", "TOO_LONG", "must be at most 20 characters"));
    }

    @Test
    void shouldAcceptACustomerIdOf128Characters() {
        String customerId = "c".repeat(128);

        assertThat(mapped(withCustomer(c -> c.setCustomerId(customerId))).request().routingId()).isEqualTo(customerId);
    }

    @Test
    void shouldAcceptAnEmptyCustomerIdForAGuest() {
        assertThat(mapped(withCustomer(c -> c.setCustomerId(""))).request().customerId()).isEmpty();
    }

    @Test
    void shouldRejectACustomerIdLongerThan128Characters() {
        List<Violation> violations = violations(withCustomer(c -> c.setCustomerId("c".repeat(129))));

        assertThat(violations).containsExactly(
                new Violation("customer.customer_id", "TOO_LONG", "must be at most 128 characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cust\r\nX-Injected: 1", "cust\n", "\tcust", "cust\u0000", "cust\u007f", "cust\u0085"})
    void shouldRejectControlCharactersInTheCustomerId(String customerId) {
        List<Violation> violations = violations(withCustomer(c -> c.setCustomerId(customerId)));

        assertThat(violations).containsExactly(new Violation("customer.customer_id", "CONTROL_CHARACTER",
                "must not contain control characters: it is sent in the x-routing-id header"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ग्राहक", "cust🙂", "José", "a\u2028b", "zero\u200Dwidth"})
    void shouldRejectACustomerIdThatIsNotPrintableAscii(String customerId) {
        List<Violation> violations = violations(withCustomer(c -> c.setCustomerId(customerId)));

        assertThat(violations).containsExactly(new Violation("customer.customer_id", "BAD_FORMAT",
                "must contain printable ASCII characters only: it is sent in the x-routing-id header"));
    }

    @Test
    void shouldReportBothLengthAndControlCharactersOfACustomerId() {
        List<Violation> violations = violations(withCustomer(c -> c.setCustomerId("c".repeat(128) + "\n")));

        assertThat(violations).containsExactly(
                new Violation("customer.customer_id", "TOO_LONG", "must be at most 128 characters"),
                new Violation("customer.customer_id", "CONTROL_CHARACTER",
                        "must not contain control characters: it is sent in the x-routing-id header"));
    }

    @Test
    void shouldRejectANullCustomerId() {
        SubscriptionSignup signup = SignupFixtures.seedSignup().build();
        signup.getCustomer().setCustomerId(null);

        List<Violation> violations = violations(signup);

        assertThat(violations).containsExactly(new Violation("customer.customer_id", "REQUIRED",
                "must be present (an empty string for a guest checkout)"));
    }
}
