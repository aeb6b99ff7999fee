package io.billingworker.mapping;

import static io.billingworker.mapping.SignupFixtures.mapped;
import static io.billingworker.mapping.SignupFixtures.signup;
import static io.billingworker.mapping.SignupFixtures.violations;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** udf1-udf5, udf6-udf10, unknown udf keys and metadata keys. */
class UdfRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"udf1", "udf2", "udf3", "udf4", "udf5"})
    void shouldSendLettersDigitsAndSpacesInUdf1To5(String key) {
        ObjectNode body = mapped(signup(s -> s.setUdf(Map.of(key, "user 5349")))).request().body();

        assertThat(body.get(key).asText()).isEqualTo("user 5349");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_5349", "a-b", "é", "x\ny", "50%"})
    void shouldRejectOtherCharactersInUdf1To5(String value) {
        List<Violation> violations = violations(signup(s -> s.setUdf(Map.of("udf3", value))));

        assertThat(violations).containsExactly(
                new Violation("udf.udf3", "BAD_FORMAT", "may contain only letters, digits and spaces"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"udf6", "udf7", "udf8", "udf9", "udf10"})
    void shouldSendAnyCharactersInUdf6To10(String key) {
        ObjectNode body = mapped(signup(s -> s.setUdf(Map.of(key, "user_5349/€ \"x\"")))).request().body();

        assertThat(body.get(key).asText()).isEqualTo("user_5349/€ \"x\"");
    }

    @Test
    void shouldAcceptUdfValuesOf255Characters() {
        ObjectNode body = mapped(signup(s -> s.setUdf(Map.of("udf1", "a".repeat(255), "udf6", "_".repeat(255)))))
                .request().body();

        assertThat(body.get("udf1").asText()).hasSize(255);
        assertThat(body.get("udf6").asText()).hasSize(255);
    }

    @Test
    void shouldRejectUdfValuesLongerThan255Characters() {
        List<Violation> violations =
                violations(signup(s -> s.setUdf(Map.of("udf1", "a".repeat(256), "udf10", "_".repeat(256)))));

        assertThat(violations).containsExactly(
                new Violation("udf.udf1", "TOO_LONG", "must be at most 255 characters"),
                new Violation("udf.udf10", "TOO_LONG", "must be at most 255 characters"));
    }

    @Test
    void shouldRejectUnknownUdfKeysInAStableOrder() {
        List<Violation> violations = violations(signup(s -> s.setUdf(
                Map.of("udf0", "x", "UDF1", "x", "udf11", "x", "udf01", "x", "note\r\n", "x", "udf2", "ok"))));

        assertThat(violations).containsExactly(
                new Violation("udf.UDF1", "NOT_ALLOWED", "unknown udf key; allowed keys are udf1 to udf10"),
                new Violation("udf.note\\u000d\\u000a", "NOT_ALLOWED",
                        "unknown udf key; allowed keys are udf1 to udf10"),
                new Violation("udf.udf0", "NOT_ALLOWED", "unknown udf key; allowed keys are udf1 to udf10"),
                new Violation("udf.udf01", "NOT_ALLOWED", "unknown udf key; allowed keys are udf1 to udf10"),
                new Violation("udf.udf11", "NOT_ALLOWED", "unknown udf key; allowed keys are udf1 to udf10"));
    }

    @Test
    void shouldSendUdfsInNumericOrderAfterMetadata() {
        ObjectNode body = mapped(signup(s -> s.setUdf(Map.of("udf10", "j", "udf2", "b", "udf1", "a"))))
                .request().body();

        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsSubsequence("metadata.auto_refund_post_success", "udf1", "udf2", "udf10",
                "payment_rules");
    }

    @Test
    void shouldSendMetadataAsDottedKeys() {
        ObjectNode body = mapped(signup(s -> s.setMetadata(Map.of("JUSPAY:gateway_reference_id", "BUS",
                "RAZORPAY:notes[cust_id]", "c1")))).request().body();

        assertThat(body.get("metadata.JUSPAY:gateway_reference_id").asText()).isEqualTo("BUS");
        assertThat(body.get("metadata.RAZORPAY:notes[cust_id]").asText()).isEqualTo("c1");
    }

    @Test
    void shouldRejectAnEmptyMetadataKey() {
        List<Violation> violations = violations(signup(s -> s.setMetadata(Map.of("", "x"))));

        assertThat(violations).containsExactly(new Violation("metadata", "BAD_FORMAT", "keys must not be empty"));
    }
}
