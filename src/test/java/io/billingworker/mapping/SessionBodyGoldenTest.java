package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.EXACT_JSON;
import static io.billingworker.mapping.SignupFixtures.everyOptionalField;
import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.resource;
import static io.billingworker.mapping.SignupFixtures.seedSample;
import static io.billingworker.mapping.SignupFixtures.seedSignup;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
        SubscriptionSignup signup = seedSample(planAmount, planRuleValue);
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
        SubscriptionSignup signup = everyOptionalField();
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
