package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.EXACT_JSON;
import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.resource;
import static io.billingworker.mapping.SignupFixtures.seedSignup;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.billingworker.avro.AmountRule;
import io.billingworker.avro.Customer;
import io.billingworker.avro.Frequency;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The mapped body against Juspay's four billing samples (docs/contract.md, "Billing sample shapes") and a body
 * with every optional field, compared as Jackson trees (number types included) both in memory and after serialization.
 */
class SessionBodyGoldenTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
        "seed000_fixed_plan_default_debit_day.json,    null, null",
        "seed000_fixed_plan_custom_debit_day.json,     null, 1",
        "seed000_variable_plan_default_debit_day.json, 20.0, null",
        "seed000_variable_plan_custom_debit_day.json,  20.0, 1",
    })
    void shouldMapSeedSamplesExactly(String expectedFile, String planAmount, Integer planRuleValue)
            throws IOException {
        SubscriptionSignup signup = seedSignup()
                .setPlan(Plan.newBuilder()
                        .setPlanId("sample_fixed_plan")
                        .setPlanAmount(planAmount)
                        .setPlanRuleValue(planRuleValue)
                        .build())
                .build();
        JsonNode expected = resource(expectedFile);

        MappingResult.Mapped result = mapped(signup);

        assertThat(result.warnings()).isEmpty();
        assertThat(result.request().body()).isEqualTo(expected);
        assertThat(EXACT_JSON.readTree(result.request().bodyBytes())).isEqualTo(expected);
    }

    @Test
    void shouldKeepPlanAmountAsTheEventsExactDecimal() throws IOException {
        SubscriptionSignup signup = seedSignup()
                .setPlan(Plan.newBuilder().setPlanId("sample_fixed_plan").setPlanAmount("20.0").build())
                .build();

        MappingResult.Mapped result = mapped(signup);

        JsonNode planAmount =
                result.request().body().at("/payment_rules/payment_flows/billing_creation/info/plan_amount");
        assertThat(planAmount.isBigDecimal()).isTrue();
        assertThat(planAmount.decimalValue()).isEqualTo(new BigDecimal("20.0"));
        assertThat(new String(result.request().bodyBytes(), StandardCharsets.UTF_8))
                .contains("\"plan_amount\":20.0}");
    }

    @Test
    void shouldWriteEveryOptionalFieldInSpecOrder() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("auto_refund_post_success", "true");
        metadata.put("JUSPAY:gateway_reference_id", "BUS");
        Map<String, String> udf = new LinkedHashMap<>();
        udf.put("udf10", "a-b/c");
        udf.put("udf6", "user_5349");
        udf.put("udf2", "plan 2");
        udf.put("udf1", "user5349");
        SubscriptionSignup signup = SubscriptionSignup.newBuilder(seedSignup().build())
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
                .setPlan(Plan.newBuilder()
                        .setPlanId("sample_variable_plan")
                        .setPlanAmount("20.55")
                        .setPlanRuleValue(5)
                        .build())
                .setMandate(Mandate.newBuilder()
                        .setMaxAmount("100")
                        .setFrequency(Frequency.MONTHLY)
                        .setRuleValue(1)
                        .setAmountRule(AmountRule.VARIABLE)
                        .setStartDate(SignupFixtures.TODAY_START + 3_600)
                        .setEndDate(SignupFixtures.TODAY_START + 3_600 + 365 * SignupFixtures.DAY)
                        .setRevokableByCustomer(true)
                        .setBlockFunds(false)
                        .build())
                .setReturnUrl("https://shop.merchant.com/billing/done")
                .setMetadata(metadata)
                .setUdf(udf)
                .build();
        JsonNode expected = resource("full_fields.json");

        MappingResult.Mapped result = mapped(signup);

        assertThat(result.warnings()).isEmpty();
        assertThat(result.request().body()).isEqualTo(expected);
        assertThat(EXACT_JSON.readTree(result.request().bodyBytes())).isEqualTo(expected);
        assertThat(fieldNames(result.request().body())).containsExactlyElementsOf(fieldNames(expected));
        assertThat(result.request().body().at("/payment_rules/payment_flows/billing_creation/info/plan_amount")
                .decimalValue()).isEqualTo(new BigDecimal("20.55"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
