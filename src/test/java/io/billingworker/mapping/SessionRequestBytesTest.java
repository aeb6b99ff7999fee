package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.DEFAULT_MERCHANT;
import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.withPlan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.billingworker.avro.SubscriptionSignup;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionRequestBytesTest {

    @ParameterizedTest
    @CsvSource({"2E+1, 20", "20.0, 20.0", "20.50, 20.50"})
    void shouldWriteDecimalsAsPlainDigits(String planAmount, String written) {
        SubscriptionSignup signup = withPlan(p -> p.setPlanAmount(planAmount));

        String json = new String(SessionBody.write(signup, DEFAULT_MERCHANT, "o", new Findings()),
                StandardCharsets.UTF_8);

        assertThat(json).contains("\"plan_amount\":" + written + "}");
    }

    @Test
    void shouldHandOutTheBodyWrittenByTheMapperOnEveryCall() {
        SessionRequest request = mapped(withPlan(p -> p.setPlanAmount("20.0"))).request();

        byte[] first = request.bodyBytes();

        assertThat(request.bodyBytes()).isSameAs(first);
        assertThat(new String(first, StandardCharsets.UTF_8)).startsWith("{\"order_id\":\"1777379785\",");
    }

    @Test
    void shouldReadTheBodyBackWithDecimalsAtTheirScale() {
        SessionRequest request = mapped(withPlan(p -> p.setPlanAmount("20.0").setPlanRuleValue(3))).request();

        JsonNode info = request.body().at("/payment_rules/payment_flows/billing_creation/info");

        assertThat(info.get("plan_amount").isBigDecimal()).isTrue();
        assertThat(info.get("plan_amount").decimalValue()).isEqualTo(new BigDecimal("20.0"));
        assertThat(info.at("/rule_info/plan_rule_value").isInt()).isTrue();
        assertThat(request.body()).isNotSameAs(request.body()).isEqualTo(request.body());
    }

    @Test
    void shouldCompareRequestsByTheirBodyBytes() {
        SessionRequest request = mapped(withPlan(p -> p.setPlanAmount("20.0"))).request();
        SessionRequest copy = new SessionRequest(request.merchantId(), request.orderId(), request.customerId(),
                request.routingId(), request.bodyBytes().clone());

        assertThat(copy).isEqualTo(request).hasSameHashCodeAs(request);
        assertThat(copy.toString()).contains("body={\"order_id\":\"1777379785\",");
    }
}
