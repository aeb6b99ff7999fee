package io.billingworker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnknownKeysTest {

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("schema.registry.url", "http://127.0.0.1:8081");
        values.put("merchants.ids", "acme,m2");
        values.put("merchants.default", "acme");
        values.put("merchants.acme.payment-page-client-id", "client1");
        values.put("merchants.acme.api-key-env", "ACME_KEY");
        values.put("merchants.m2.payment-page-client-id", "client2");
        values.put("merchants.m2.api-key-env", "M2_KEY");
        return values;
    }

    @Test
    void shouldReportAMisspeltKeyAtStartWithTheNearestKnownKey() {
        Map<String, String> file = minimal();
        file.put("procesing.max-in-flight", "64");

        assertThatThrownBy(() -> WorkerConfig.from(new ConfigSource(file, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration:\n  procesing.max-in-flight: unknown key, the worker does not read"
                        + " it; did you mean processing.max-in-flight?");
    }

    @Test
    void shouldReportEveryUnknownKeyWithoutItsValue() {
        Map<String, String> file = minimal();
        file.put("merchants.acne.api-key-env", "ACME_KEY");
        file.put("breaker.open-wait", "1000");
        file.put("juspay.api-key", "sk_live_do_not_print");

        ConfigException failure = null;
        try {
            WorkerConfig.from(new ConfigSource(file, Map.of(), Map.of()));
        } catch (ConfigException e) {
            failure = e;
        }

        assertThat(failure).isNotNull();
        assertThat(failure.problems()).containsExactly(
                "breaker.open-wait: unknown key, the worker does not read it; did you mean breaker.open-wait-ms?",
                "juspay.api-key: unknown key, the worker does not read it; did you mean juspay.base-url?",
                "merchants.acne.api-key-env: unknown key, the worker does not read it; did you mean"
                        + " merchants.acme.api-key-env?");
        assertThat(failure.getMessage()).doesNotContain("sk_live_do_not_print");
    }

    @Test
    void shouldAcceptKafkaAndSerdePassThroughKeysAndEveryDocumentedKey() {
        Map<String, String> file = minimal();
        file.put("kafka.consumer.session.timeout.ms", "6000");
        file.put("kafka.security.protocol", "SSL");
        file.put("serde.basic.auth.user.info", "user:password");
        file.put("processing.max-in-flight", "64");
        file.put("merchants.m2.rate-limit-per-second", "25");

        WorkerConfig config = WorkerConfig.from(new ConfigSource(file, Map.of(), Map.of()));

        assertThat(config.processing().maxInFlight()).isEqualTo(64);
    }

    @Test
    void shouldTreatABarePassThroughPrefixAsUnknown() {
        UnknownKeys keys = UnknownKeys.forMerchants(List.of("m1"));

        List<String> problems = keys.problems(List.of("kafka.", "kafak.bootstrap.servers", "ops.prot"),
                List.of("ops.prot: already reported"));

        assertThat(problems).containsExactly(
                "kafka.: unknown key, the worker does not read it; did you mean kafka.group.id?",
                "kafak.bootstrap.servers: unknown key, the worker does not read it; did you mean"
                        + " kafka.bootstrap.servers?");
    }

    @Test
    void shouldCountSingleCharacterEdits() {
        assertThat(UnknownKeys.distance("procesing.max-in-flight", "processing.max-in-flight")).isEqualTo(1);
        assertThat(UnknownKeys.distance("abc", "abc")).isZero();
        assertThat(UnknownKeys.distance("", "abc")).isEqualTo(3);
        assertThat(UnknownKeys.distance("kitten", "sitting")).isEqualTo(3);
    }
}
