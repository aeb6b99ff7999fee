package io.billingworker.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.billingworker.avro.AmountRule;
import io.billingworker.avro.Customer;
import io.billingworker.avro.Frequency;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Events, merchants and a clock for the mapping tests; the base event is Juspay's first billing sample
 * (docs/contract.md, "Billing sample shapes").
 */
final class SignupFixtures {

    /** 2026-03-10T00:00:00Z, the first second of the clock's UTC day (a constant, for annotations). */
    static final long TODAY_START = 1_773_100_800L;
    static final long DAY = 86_400L;
    /** 2026-03-10T08:30:00Z. */
    static final Instant NOW = Instant.ofEpochSecond(TODAY_START + 8 * 3_600 + 30 * 60);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final String DEFAULT_MERCHANT_ID = "mandate_juspay";
    static final MerchantProfile DEFAULT_MERCHANT =
            new MerchantProfile(DEFAULT_MERCHANT_ID, "stageott", null, "REQUIRED", true);
    static final MerchantProfile OTHER_MERCHANT =
            new MerchantProfile("other_shop", "othershop", "https://other.example.com/done", "OPTIONAL", false);
    static final MerchantDirectory MERCHANTS = MerchantDirectory.of(DEFAULT_MERCHANT, List.of(OTHER_MERCHANT));

    /** Reads JSON decimals exactly: 20.0 stays a decimal with scale 1, 1 stays an integer. */
    static final ObjectMapper EXACT_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private SignupFixtures() {
    }

    /** Seed 000's "fixed plan with default plan debit date" sample as an event. */
    static SubscriptionSignup.Builder seedSignup() {
        return SubscriptionSignup.newBuilder()
                .setEventId("evt-0001")
                .setOccurredAt(NOW.minusSeconds(60))
                .setSubscriptionId("sub-0001")
                .setOrderId("1777379785")
                .setAmount("1.0")
                .setCustomer(Customer.newBuilder()
                        .setCustomerId("cth_rPj21roNSjEbumSy")
                        .setFirstName("John")
                        .setLastName("wick")
                        .build())
                .setPlan(Plan.newBuilder().setPlanId("sample_fixed_plan").build())
                .setMandate(Mandate.newBuilder().setMaxAmount("100").build())
                .setReturnUrl("https://shop.merchant.com")
                .setDescription("Complete your payment")
                .setGatewayId("100")
                .setMetadata(Map.of("auto_refund_post_success", "true"));
    }

    static SubscriptionSignup signup(Consumer<SubscriptionSignup.Builder> edit) {
        SubscriptionSignup.Builder builder = seedSignup();
        edit.accept(builder);
        return builder.build();
    }

    static SubscriptionSignup withCustomer(Consumer<Customer.Builder> edit) {
        SubscriptionSignup.Builder builder = seedSignup();
        Customer.Builder customer = Customer.newBuilder(builder.getCustomer());
        edit.accept(customer);
        return builder.setCustomer(customer.build()).build();
    }

    static SubscriptionSignup withPlan(Consumer<Plan.Builder> edit) {
        SubscriptionSignup.Builder builder = seedSignup();
        Plan.Builder plan = Plan.newBuilder(builder.getPlan());
        edit.accept(plan);
        return builder.setPlan(plan.build()).build();
    }

    static SubscriptionSignup withMandate(Consumer<Mandate.Builder> edit) {
        SubscriptionSignup.Builder builder = seedSignup();
        Mandate.Builder mandate = Mandate.newBuilder(builder.getMandate());
        edit.accept(mandate);
        return builder.setMandate(mandate.build()).build();
    }

    /** The seed samples' signup with the given plan amount and rule value (null: left out). */
    static SubscriptionSignup seedSample(String planAmount, Integer planRuleValue) {
        return seedSignup()
                .setPlan(Plan.newBuilder()
                        .setPlanId("sample_fixed_plan")
                        .setPlanAmount(planAmount)
                        .setPlanRuleValue(planRuleValue)
                        .build())
                .build();
    }

    /** A valid signup with every optional field set (the body of full_fields.json), at the other merchant. */
    static SubscriptionSignup everyOptionalField() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("auto_refund_post_success", "true");
        metadata.put("JUSPAY:gateway_reference_id", "BUS");
        Map<String, String> udf = new LinkedHashMap<>();
        udf.put("udf10", "a-b/c");
        udf.put("udf6", "user_5349");
        udf.put("udf2", "plan 2");
        udf.put("udf1", "user5349");
        return SubscriptionSignup.newBuilder(seedSignup().build())
                .setMerchantId("other_shop")
                .setOrderId("ord_full-01")
                .setAmount("1.00")
                .setCurrency("USD")
                .setCustomer(Customer.newBuilder()
                        .setCustomerId("testing-customer-one")
                        .setEmail("test@mail.com")
                        .setPhone("9876543210")
                        .setMobileCountryCode("91")
                        .setFirstName("John")
                        .setLastName("wick")
                        .build())
                .setPlan(Plan.newBuilder().setPlanId("sample_variable_plan").setPlanAmount("20.55")
                        .setPlanRuleValue(5).build())
                .setMandate(Mandate.newBuilder()
                        .setMaxAmount("100")
                        .setFrequency(Frequency.MONTHLY)
                        .setRuleValue(1)
                        .setAmountRule(AmountRule.VARIABLE)
                        .setStartDate(TODAY_START + 3_600)
                        .setEndDate(TODAY_START + 3_600 + 365 * DAY)
                        .setRevokableByCustomer(true)
                        .setBlockFunds(false)
                        .build())
                .setReturnUrl("https://shop.merchant.com/billing/done")
                .setMetadata(metadata)
                .setUdf(udf)
                .build();
    }

    static MappingResult map(SubscriptionSignup signup) {
        return new SignupMapper(CLOCK).map(signup, MERCHANTS);
    }

    static MappingResult.Mapped mapped(SubscriptionSignup signup) {
        MappingResult result = map(signup);
        assertThat(result).isInstanceOf(MappingResult.Mapped.class);
        return (MappingResult.Mapped) result;
    }

    static MappingResult.Rejected rejected(SubscriptionSignup signup) {
        MappingResult result = map(signup);
        assertThat(result).isInstanceOf(MappingResult.Rejected.class);
        return (MappingResult.Rejected) result;
    }

    static List<Violation> violations(SubscriptionSignup signup) {
        return rejected(signup).violations();
    }

    static JsonNode resource(String name) {
        try (InputStream in = SignupFixtures.class.getResourceAsStream("/mapping/" + name)) {
            assertThat(in).as("test resource /mapping/%s", name).isNotNull();
            return EXACT_JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
