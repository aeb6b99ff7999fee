package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.DAY;
import static io.billingworker.mapping.SignupFixtures.MERCHANTS;
import static io.billingworker.mapping.SignupFixtures.NOW;
import static io.billingworker.mapping.SignupFixtures.TODAY_START;
import static io.billingworker.mapping.SignupFixtures.everyOptionalField;
import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.seedSample;
import static io.billingworker.mapping.SignupFixtures.signup;
import static io.billingworker.mapping.SignupFixtures.violations;
import static io.billingworker.mapping.SignupFixtures.withCustomer;
import static io.billingworker.mapping.SignupFixtures.withMandate;
import static io.billingworker.mapping.SignupFixtures.withPlan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.billingworker.avro.Customer;
import io.billingworker.avro.Frequency;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streamed body against {@link TreeSessionBody}, a tree-based writer of the same body: byte for byte the same
 * over Juspay's billing samples, a body with every optional field and the edge cases of escaping, decimals, guests,
 * currencies and left-out fields. Every body is also read back with duplicate keys treated as an error.
 */
class SessionBodyParityTest {

    /** Characters JSON must escape, characters it may pass through, and text outside the Basic Multilingual Plane. */
    private static final String NEEDS_ESCAPING =
            "quote \" backslash \\ slash / tab \t newline \n return \r nul \u0000 unit \u001f del \u007f";
    private static final String UNICODE = "Zahlung für „Plan“ – ₹ 499, 日本語, emoji 😀, separators \u2028\u2029, </script>";

    private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static Stream<Arguments> validSignups() {
        return Stream.of(
                Arguments.of("seed: fixed plan, default debit day", seedSample(null, null)),
                Arguments.of("seed: fixed plan, custom debit day", seedSample(null, 1)),
                Arguments.of("seed: variable plan, default debit day", seedSample("20.0", null)),
                Arguments.of("seed: variable plan, custom debit day", seedSample("20.0", 1)),
                Arguments.of("every optional field", everyOptionalField()),
                Arguments.of("plan amount 1", withPlan(p -> p.setPlanAmount("1"))),
                Arguments.of("plan amount 20.55", withPlan(p -> p.setPlanAmount("20.55"))),
                Arguments.of("plan amount with leading zeros 0020.50", withPlan(p -> p.setPlanAmount("0020.50"))),
                Arguments.of("plan amount beyond a long", signup(s -> s
                        .setPlan(Plan.newBuilder().setPlanId("p").setPlanAmount("123456789012345678901.10").build())
                        .setMandate(Mandate.newBuilder().setMaxAmount("999999999999999999999").build()))),
                Arguments.of("guest checkout with a derived order id", signup(s -> s.setOrderId(null)
                        .setCustomer(Customer.newBuilder().setCustomerId("").build()))),
                Arguments.of("USD", signup(s -> s.setCurrency("USD").setAmount("0.50"))),
                Arguments.of("EUR at the other merchant", signup(s -> s.setCurrency("EUR").setMerchantId("other_shop"))),
                Arguments.of("description needing escapes", signup(s -> s.setDescription(NEEDS_ESCAPING))),
                Arguments.of("unicode description", signup(s -> s.setDescription(UNICODE))),
                Arguments.of("metadata needing escapes", signup(s -> s.setMetadata(Map.of(
                        "k\"ey\\\n", "v\"\r\n", "tab\tkey", NEEDS_ESCAPING, "ünïcödé 😀", UNICODE)))),
                Arguments.of("metadata keys in string order", signup(s -> s.setMetadata(unorderedMetadata()))),
                Arguments.of("udf6 to udf10 needing escapes", signup(s -> s.setUdf(Map.of(
                        "udf6", NEEDS_ESCAPING, "udf7", UNICODE, "udf10", "</script>", "udf1", "a b 1")))),
                Arguments.of("empty optional fields left out", signup(s -> s
                        .setCustomer(Customer.newBuilder().setCustomerId("c-1").setEmail("").setPhone("")
                                .setMobileCountryCode("").setFirstName("").setLastName("").build())
                        .setDescription("").setGatewayId("").setReturnUrl("")
                        .setMetadata(Map.of("empty", "", "kept", "x"))
                        .setUdf(Map.of("udf6", "", "udf7", "y")))),
                Arguments.of("display fields outside the rules left out", signup(s -> s
                        .setCustomer(Customer.newBuilder().setCustomerId("c-1").setFirstName("Jöhn")
                                .setLastName("w".repeat(256)).build())
                        .setDescription("d".repeat(256)))),
                Arguments.of("start date not today left out", withMandate(m -> m.setFrequency(Frequency.MONTHLY)
                        .setRuleValue(5).setStartDate(TODAY_START + DAY).setEndDate(TODAY_START + 30 * DAY))),
                Arguments.of("start date today sent", withMandate(m -> m.setFrequency(Frequency.WEEKLY)
                        .setRuleValue(7).setStartDate(TODAY_START).setEndDate(TODAY_START + 7 * DAY)
                        .setRevokableByCustomer(false).setBlockFunds(true))),
                Arguments.of("merchant's default return URL", signup(s -> s.setMerchantId("other_shop")
                        .setReturnUrl(null))),
                Arguments.of("no return URL at all", signup(s -> s.setReturnUrl(null))),
                Arguments.of("empty metadata and udf", signup(s -> s.setMetadata(Map.of()).setUdf(Map.of()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSignups")
    void shouldStreamTheSameBytesAsTheTreeWriter(String name, SubscriptionSignup signup) throws Exception {
        SessionRequest request = mapped(signup).request();

        byte[] expected = treeBytes(signup, request.orderId());

        assertThat(new String(request.bodyBytes(), StandardCharsets.UTF_8))
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
        assertThat(request.bodyBytes()).isEqualTo(expected);
        assertThat(STRICT_JSON.readTree(request.bodyBytes()).isObject()).isTrue();
    }

    /** Decimals the rules reject still come out the same from both writers, as plain digits. */
    @ParameterizedTest
    @ValueSource(strings = {"1E+3", "2E+1", "1.5E-3", "-0.00", "1e40", "0.000"})
    void shouldStreamDecimalsOutsideTheRulesAsTheTreeWriterDoes(String planAmount) {
        SubscriptionSignup signup = withPlan(p -> p.setPlanAmount(planAmount));

        byte[] streamed = SessionBody.write(signup, SignupFixtures.DEFAULT_MERCHANT, "o", new Findings());

        assertThat(new String(streamed, StandardCharsets.UTF_8))
                .isEqualTo(new String(TreeSessionBody.bytes(signup, SignupFixtures.DEFAULT_MERCHANT, "o",
                        new Findings()), StandardCharsets.UTF_8))
                .contains("\"plan_amount\":" + new BigDecimal(planAmount).toPlainString() + "}");
    }

    @Test
    void shouldRejectPlanAmountsInExponentNotation() {
        assertThat(violations(withPlan(p -> p.setPlanAmount("1E+3"))))
                .extracting(Violation::field, Violation::code)
                .containsExactly(tuple("plan.plan_amount", Violation.BAD_FORMAT));
    }

    /** A udf key can never repeat a fixed key: anything but udf1 to udf10 is rejected before the body is written. */
    @ParameterizedTest
    @ValueSource(strings = {"order_id", "amount", "payment_rules", "metadata.x", "mandate.max_amount"})
    void shouldRejectUdfKeysThatWouldRepeatAFixedKey(String key) {
        assertThat(violations(signup(s -> s.setUdf(Map.of(key, "x")))))
                .extracting(Violation::field, Violation::code)
                .containsExactly(tuple("udf." + key, Violation.NOT_ALLOWED));
    }

    @Test
    void shouldWriteMetadataKeysNamedLikeFixedKeysOnlyUnderTheirPrefix() {
        SubscriptionSignup signup = signup(s -> s.setMetadata(Map.of("order_id", "m1", "udf1", "m2",
                "payment_rules", "m3")));

        SessionRequest request = mapped(signup).request();

        assertThatCode(() -> STRICT_JSON.readTree(request.bodyBytes())).doesNotThrowAnyException();
        assertThat(request.body().get("order_id").asText()).isEqualTo("1777379785");
        assertThat(request.body().get("metadata.order_id").asText()).isEqualTo("m1");
        assertThat(request.body().get("metadata.udf1").asText()).isEqualTo("m2");
        assertThat(request.body().get("metadata.payment_rules").asText()).isEqualTo("m3");
    }

    private static byte[] treeBytes(SubscriptionSignup signup, String orderId) {
        Optional<MerchantProfile> merchant = MERCHANTS.find(signup.getMerchantId());
        Findings findings = new Findings();
        SignupValidator.validate(signup, merchant, NOW, findings);
        assertThat(findings.hasViolations()).isFalse();
        return TreeSessionBody.bytes(signup, merchant.orElseThrow(), orderId, findings);
    }

    /** Keys whose string order differs from both insertion order and case-insensitive order. */
    private static Map<String, String> unorderedMetadata() {
        Map<String, String> metadata = new HashMap<>();
        for (String key : new String[] {"b", "B", "a", "A", "aa", "a.b", "é", "😀", "Z", "_", "10", "9", "ﬀ"}) {
            metadata.put(key, "value of " + key);
        }
        return metadata;
    }
}
