package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.CLOCK;
import static io.billingworker.mapping.SignupFixtures.MERCHANTS;
import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.rejected;
import static io.billingworker.mapping.SignupFixtures.signup;
import static io.billingworker.mapping.SignupFixtures.withCustomer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.avro.Customer;
import io.billingworker.avro.Frequency;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignupMapperTest {

    @Test
    void shouldReuseTheSameDerivedOrderIdForTheSameEvent() {
        SubscriptionSignup signup = signup(s -> s.setOrderId(null));
        SignupMapper later = new SignupMapper(Clock.fixed(Instant.parse("2026-03-10T23:59:00Z"), ZoneOffset.UTC));

        MappingResult.Mapped first = mapped(signup);
        MappingResult second = later.map(signup, MERCHANTS);

        assertThat(first.request().orderId()).isEqualTo("bs_jn63fASaaaU1pDdPt");
        assertThat(first.request().body().get("order_id").asText()).isEqualTo("bs_jn63fASaaaU1pDdPt");
        assertThat(second).isInstanceOfSatisfying(MappingResult.Mapped.class,
                m -> assertThat(m.request().orderId()).isEqualTo("bs_jn63fASaaaU1pDdPt"));
    }

    @Test
    void shouldDeriveTheOrderIdFromTheResolvedDefaultMerchantId() {
        SubscriptionSignup withoutMerchant = signup(s -> s.setOrderId(null).setMerchantId(null));
        SubscriptionSignup withDefaultMerchant = signup(s -> s.setOrderId(null).setMerchantId("mandate_juspay"));

        String implicit = mapped(withoutMerchant).request().orderId();
        String explicit = mapped(withDefaultMerchant).request().orderId();

        assertThat(implicit).isEqualTo(OrderIds.derive("mandate_juspay", "evt-0001")).isEqualTo(explicit);
    }

    @Test
    void shouldDeriveDifferentOrderIdsForOtherMerchantsAndEvents() {
        String base = mapped(signup(s -> s.setOrderId(null))).request().orderId();

        String otherMerchant = mapped(signup(s -> s.setOrderId(null).setMerchantId("other_shop"))).request().orderId();
        String otherEvent = mapped(signup(s -> s.setOrderId(null).setEventId("evt-0002"))).request().orderId();

        assertThat(otherMerchant).isEqualTo("bs_Q93mUjAidvrPgcLwE").isNotEqualTo(base);
        assertThat(otherEvent).isEqualTo("bs_TdT0jWZ2qZgA1iKq3").isNotEqualTo(base);
    }

    @Test
    void shouldUseTheEventsOrderIdWhenGiven() {
        MappingResult.Mapped result = mapped(signup(s -> s.setOrderId("ord_given-1")));

        assertThat(result.request().orderId()).isEqualTo("ord_given-1");
        assertThat(result.request().body().get("order_id").asText()).isEqualTo("ord_given-1");
    }

    @Test
    void shouldRouteAGuestCheckoutByOrderId() {
        SubscriptionSignup guest = withCustomer(c -> c.setCustomerId(""));

        SessionRequest request = mapped(guest).request();

        assertThat(request.customerId()).isEmpty();
        assertThat(request.routingId()).isEqualTo("1777379785");
        assertThat(request.body().get("customer_id").asText()).isEmpty();
    }

    @Test
    void shouldRouteAGuestCheckoutByTheDerivedOrderId() {
        SubscriptionSignup guest = SubscriptionSignup.newBuilder(withCustomer(c -> c.setCustomerId("")))
                .setOrderId(null)
                .build();

        SessionRequest request = mapped(guest).request();

        assertThat(request.routingId()).isEqualTo("bs_jn63fASaaaU1pDdPt").isEqualTo(request.orderId());
    }

    @Test
    void shouldTakeHeaderValuesFromTheMerchantAndTheCustomer() {
        SessionRequest request = mapped(signup(s -> s.setMerchantId("other_shop"))).request();

        assertThat(request.merchantId()).isEqualTo("other_shop");
        assertThat(request.customerId()).isEqualTo("cth_rPj21roNSjEbumSy");
        assertThat(request.routingId()).isEqualTo("cth_rPj21roNSjEbumSy");
    }

    @Test
    void shouldTakeTheDefaultMerchantsIdForHeadersWhenTheEventHasNone() {
        SessionRequest request = mapped(signup(s -> s.setMerchantId(null))).request();

        assertThat(request.merchantId()).isEqualTo("mandate_juspay");
    }

    @Test
    void shouldTakeClientIdAndOptionsFromTheMerchant() {
        ObjectNode body = mapped(signup(s -> s.setMerchantId("other_shop"))).request().body();

        assertThat(body.get("payment_page_client_id").asText()).isEqualTo("othershop");
        assertThat(body.get("options.create_mandate").asText()).isEqualTo("OPTIONAL");
        assertThat(body.get("options.get_upi_deep_links").isBoolean()).isTrue();
        assertThat(body.get("options.get_upi_deep_links").booleanValue()).isFalse();
        assertThat(body.get("action").asText()).isEqualTo("paymentPage");
    }

    @Test
    void shouldLeaveOutCurrencyForInrAndSendItOtherwise() {
        ObjectNode inr = mapped(signup(s -> s.setCurrency("INR"))).request().body();
        ObjectNode usd = mapped(signup(s -> s.setCurrency("USD"))).request().body();

        assertThat(inr.has("currency")).isFalse();
        assertThat(usd.get("currency").asText()).isEqualTo("USD");
    }

    @Test
    void shouldUseTheMerchantsDefaultReturnUrlWhenTheEventHasNone() {
        ObjectNode absent = mapped(signup(s -> s.setMerchantId("other_shop").setReturnUrl(null))).request().body();
        ObjectNode empty = mapped(signup(s -> s.setMerchantId("other_shop").setReturnUrl(""))).request().body();
        ObjectNode neither = mapped(signup(s -> s.setReturnUrl(null))).request().body();

        assertThat(absent.get("return_url").asText()).isEqualTo("https://other.example.com/done");
        assertThat(empty.get("return_url").asText()).isEqualTo("https://other.example.com/done");
        assertThat(neither.has("return_url")).isFalse();
    }

    @Test
    void shouldLeaveOutEmptyOptionalValuesWithAWarningEach() {
        SubscriptionSignup signup = SubscriptionSignup.newBuilder(withCustomer(c -> c.setEmail("").setPhone("")))
                .setGatewayId("")
                .setMetadata(Map.of("auto_refund_post_success", "true", "note", ""))
                .setUdf(Map.of("udf1", "", "udf7", "kept"))
                .build();

        MappingResult.Mapped result = mapped(signup);

        assertThat(result.warnings()).containsExactly(
                "customer.email left out: it is empty",
                "customer.phone left out: it is empty",
                "gateway_id left out: it is empty",
                "metadata.note left out: it is empty",
                "udf.udf1 left out: it is empty");
        ObjectNode body = result.request().body();
        assertThat(body.has("customer_email")).isFalse();
        assertThat(body.has("customer_phone")).isFalse();
        assertThat(body.has("gateway_id")).isFalse();
        assertThat(body.has("metadata.note")).isFalse();
        assertThat(body.has("udf1")).isFalse();
        assertThat(body.get("udf7").asText()).isEqualTo("kept");
    }

    @Test
    void shouldLeaveOutFieldsWhoseSourceIsNull() {
        ObjectNode body = mapped(SignupFixtures.seedSignup().build()).request().body();

        assertThat(body.has("customer_email")).isFalse();
        assertThat(body.has("customer_phone")).isFalse();
        assertThat(body.has("mobile_country_code")).isFalse();
        assertThat(body.has("mandate.frequency")).isFalse();
        assertThat(body.has("mandate.start_date")).isFalse();
        assertThat(body.at("/payment_rules/payment_flows/billing_creation/info").has("plan_amount")).isFalse();
        body.properties().forEach(field -> {
            assertThat(field.getValue().isNull()).as(field.getKey()).isFalse();
            if (field.getValue().isValueNode()) {
                assertThat(field.getValue().asText()).as(field.getKey()).isNotEqualTo("");
            }
        });
    }

    @Test
    void shouldReportEveryBrokenRuleAtOnceInTheEventsFieldOrder() {
        SubscriptionSignup signup = SubscriptionSignup.newBuilder(SignupFixtures.seedSignup().build())
                .setEventId("")
                .setMerchantId("ghost")
                .setSubscriptionId("")
                .setOrderId("order id")
                .setAmount("1e3")
                .setCurrency("inr")
                .setCustomer(Customer.newBuilder().setCustomerId("cust\r\n").setEmail("@mail.com").build())
                .setPlan(Plan.newBuilder().setPlanId("").setPlanAmount("20.001").setPlanRuleValue(32).build())
                .setMandate(Mandate.newBuilder().setMaxAmount("").setFrequency(Frequency.WEEKLY).build())
                .setReturnUrl("http://shop.merchant.com")
                .setUdf(Map.of("udf11", "x", "udf3", "a_b"))
                .build();

        MappingResult.Rejected result = rejected(signup);

        assertThat(result.violations()).containsExactly(
                new Violation("event_id", "REQUIRED", "must not be empty"),
                new Violation("merchant_id", "UNKNOWN_MERCHANT", "no merchant with id \"ghost\" is configured"),
                new Violation("subscription_id", "REQUIRED", "must not be empty"),
                new Violation("order_id", "BAD_FORMAT", "must be 1 to 20 characters of A-Z a-z 0-9 _ -"),
                new Violation("amount", "BAD_FORMAT",
                        "must be a decimal number with at most two decimal places, like 100 or 100.15"),
                new Violation("currency", "BAD_FORMAT", "must be three upper-case letters, like INR"),
                new Violation("customer.customer_id", "CONTROL_CHARACTER",
                        "must not contain control characters: it is sent in the x-routing-id header"),
                new Violation("customer.email", "BAD_FORMAT", "must be a local part and a domain joined by one @"),
                new Violation("plan.plan_id", "REQUIRED", "must not be empty"),
                new Violation("plan.plan_amount", "BAD_FORMAT",
                        "must be a decimal number with at most two decimal places, like 100 or 100.15"),
                new Violation("plan.plan_rule_value", "OUT_OF_RANGE", "must be between 1 and 31"),
                new Violation("mandate.max_amount", "REQUIRED", "must not be empty"),
                new Violation("mandate.rule_value", "REQUIRED", "is required when mandate.frequency is WEEKLY"),
                new Violation("return_url", "BAD_FORMAT", "must be an absolute https URL"),
                new Violation("udf.udf3", "BAD_FORMAT", "may contain only letters, digits and spaces"),
                new Violation("udf.udf11", "NOT_ALLOWED", "unknown udf key; allowed keys are udf1 to udf10"));
        assertThat(result.orderId()).isNull();
        assertThat(result.merchantId()).isEqualTo("ghost");
    }

    @Test
    void shouldNameTheOrderIdAndMerchantOfARejectedEvent() {
        SubscriptionSignup signup = signup(s -> s.setOrderId(null).setMerchantId("ghost"));

        MappingResult.Rejected result = rejected(signup);

        assertThat(result.merchantId()).isEqualTo("ghost");
        assertThat(result.orderId()).isEqualTo(OrderIds.derive("ghost", "evt-0001"));
    }

    @Test
    void shouldNameTheGivenOrderIdAndResolvedMerchantOfARejectedEvent() {
        SubscriptionSignup signup = signup(s -> s.setMerchantId(null).setAmount("0"));

        MappingResult.Rejected result = rejected(signup);

        assertThat(result.orderId()).isEqualTo("1777379785");
        assertThat(result.merchantId()).isEqualTo("mandate_juspay");
    }

    @Test
    void shouldNotDeriveAnOrderIdWithoutAnEventId() {
        SubscriptionSignup signup = signup(s -> s.setOrderId(null).setEventId(""));

        MappingResult.Rejected result = rejected(signup);

        assertThat(result.orderId()).isNull();
        assertThat(result.violations()).containsExactly(new Violation("event_id", "REQUIRED", "must not be empty"));
    }

    @Test
    void shouldReportWhenNoDefaultMerchantIsConfigured() {
        MerchantDirectory onlyNamed = merchantId -> merchantId == null
                ? Optional.<MerchantProfile>empty()
                : MERCHANTS.find(merchantId);
        SubscriptionSignup signup = signup(s -> s.setMerchantId(null).setOrderId(null));

        MappingResult result = new SignupMapper(CLOCK).map(signup, onlyNamed);

        assertThat(result).isInstanceOfSatisfying(MappingResult.Rejected.class, r -> {
            assertThat(r.violations()).containsExactly(
                    new Violation("merchant_id", "UNKNOWN_MERCHANT", "no default merchant is configured"));
            assertThat(r.merchantId()).isNull();
            assertThat(r.orderId()).isNull();
        });
    }

    @Test
    void shouldCarryWarningsOnARejectedEvent() {
        SubscriptionSignup signup = SubscriptionSignup.newBuilder(withCustomer(c -> c.setFirstName("J@ne")))
                .setAmount("")
                .build();

        MappingResult.Rejected result = rejected(signup);

        assertThat(result.violations()).containsExactly(new Violation("amount", "REQUIRED", "must not be empty"));
        assertThat(result.warnings())
                .containsExactly("customer.first_name left out: may contain only letters, digits and ().-_");
    }

    @Test
    void shouldRejectMissingNestedRecords() {
        SubscriptionSignup signup = SignupFixtures.seedSignup().build();
        signup.setCustomer(null);
        signup.setPlan(null);
        signup.setMandate(null);

        List<Violation> violations = SignupFixtures.violations(signup);

        assertThat(violations).containsExactly(
                new Violation("customer", "REQUIRED", "must be present"),
                new Violation("plan", "REQUIRED", "must be present"),
                new Violation("mandate", "REQUIRED", "must be present"));
    }

    @Test
    void shouldTreatMissingMapsAsEmpty() {
        SubscriptionSignup signup = SignupFixtures.seedSignup().build();
        signup.setMetadata(null);
        signup.setUdf(null);

        ObjectNode body = mapped(signup).request().body();

        assertThat(body.has("metadata.auto_refund_post_success")).isFalse();
    }
}
