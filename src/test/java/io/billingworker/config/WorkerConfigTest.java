package io.billingworker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("schema.registry.url", "http://127.0.0.1:8081");
        values.put("merchants.ids", "m1,m2");
        values.put("merchants.default", "m1");
        values.put("merchants.m1.payment-page-client-id", "client1");
        values.put("merchants.m1.api-key-env", "M1_KEY");
        values.put("merchants.m2.payment-page-client-id", "client2");
        values.put("merchants.m2.api-key-file", "/run/secrets/m2");
        values.put("merchants.m2.rate-limit-per-second", "25");
        return values;
    }

    @Test
    void shouldApplyDefaultsWhenOnlyRequiredKeysAreSet() {
        ConfigSource source = new ConfigSource(minimal(), Map.of(), Map.of());

        WorkerConfig config = WorkerConfig.from(source);

        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.topics().input()).isEqualTo("subscription.signups");
        assertThat(config.topics().deadLetter()).isEqualTo("subscription.signups.dlt");
        assertThat(config.processing().exactlyOnce()).isFalse();
        assertThat(config.processing().maxInFlight()).isEqualTo(256);
        assertThat(config.processing().commitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.api().baseUrl()).hasToString("https://sandbox.juspay.in");
        assertThat(config.api().maxConnections()).isEqualTo(256);
        assertThat(config.api().maxResponseBytes()).isEqualTo(1024 * 1024);
        assertThat(config.merchants()).extracting(WorkerConfig.Merchant::rateLimitPerSecond).containsExactly(200, 25);
        assertThat(config.merchants().get(1).keySource()).hasToString("file:/run/secrets/m2");
    }

    @Test
    void shouldLetEnvironmentOverrideFileAndOverridesWinOverBoth() {
        Map<String, String> file = minimal();
        file.put("processing.max-in-flight", "10");
        file.put("kafka.group.id", "from-file");
        ConfigSource source = new ConfigSource(file,
                Map.of("BILLING_PROCESSING_MAX_IN_FLIGHT", "20", "BILLING_KAFKA_GROUP_ID", "from-env"),
                Map.of("kafka.group.id", "from-override"));

        WorkerConfig config = WorkerConfig.from(source);

        assertThat(config.processing().maxInFlight()).isEqualTo(20);
        assertThat(config.kafka().groupId()).isEqualTo("from-override");
    }

    @Test
    void shouldPassKafkaClientPropertiesThroughToTheRightClient() {
        Map<String, String> file = minimal();
        file.put("kafka.security.protocol", "SSL");
        file.put("kafka.consumer.max.poll.records", "100");
        file.put("kafka.producer.linger.ms", "20");
        ConfigSource source = new ConfigSource(file, Map.of(), Map.of());

        WorkerConfig config = WorkerConfig.from(source);

        assertThat(config.kafka().common()).containsExactly(Map.entry("security.protocol", "SSL"));
        assertThat(config.kafka().consumer()).containsExactly(Map.entry("max.poll.records", "100"));
        assertThat(config.kafka().producer()).containsExactly(Map.entry("linger.ms", "20"));
    }

    @Test
    void shouldReportEveryProblemNamingTheKeyAndTheBadValue() {
        Map<String, String> file = minimal();
        file.put("processing.guarantee", "at-most-once");
        file.put("processing.max-in-flight", "many");
        file.put("juspay.base-url", "http://api.juspay.in");
        file.put("merchants.default", "m9");
        file.put("merchants.m1.api-key", "secret-value");
        file.remove("merchants.m2.payment-page-client-id");
        ConfigSource source = new ConfigSource(file, Map.of(), Map.of());

        assertThatThrownBy(() -> WorkerConfig.from(source))
                .isInstanceOf(ConfigException.class)
                .satisfies(error -> assertThat(((ConfigException) error).problems()).containsExactly(
                        "processing.guarantee: must be at-least-once or exactly-once (was 'at-most-once')",
                        "processing.max-in-flight: must be a whole number (was 'many')",
                        "juspay.base-url: plain http is refused; use https, or set juspay.allow-insecure-http=true "
                                + "for the local simulator (was 'http://api.juspay.in')",
                        "merchants.m1.api-key: API keys are never put in config; use merchants.m1.api-key-env or "
                                + "merchants.m1.api-key-file",
                        "merchants.m2.payment-page-client-id: required for merchant m2",
                        "merchants.default: must be one of merchants.ids (was 'm9')"))
                .hasMessageNotContaining("secret-value");
    }

    @Test
    void shouldRequireTheRegistryAndMerchants() {
        ConfigSource source = new ConfigSource(Map.of(), Map.of(), Map.of());

        assertThatThrownBy(() -> WorkerConfig.from(source))
                .isInstanceOf(ConfigException.class)
                .satisfies(error -> assertThat(((ConfigException) error).problems()).containsExactly(
                        "schema.registry.url: required (set it in the config file or BILLING_SCHEMA_REGISTRY_URL)",
                        "merchants.ids: required (set it in the config file or BILLING_MERCHANTS_IDS)",
                        "merchants.default: required (set it in the config file or BILLING_MERCHANTS_DEFAULT)"));
    }

    @Test
    void shouldRefuseBufferSmallerThanConcurrency() {
        Map<String, String> file = minimal();
        file.put("processing.max-in-flight", "500");
        file.put("processing.max-buffered", "100");
        ConfigSource source = new ConfigSource(file, Map.of(), Map.of());

        assertThatThrownBy(() -> WorkerConfig.from(source))
                .hasMessageContaining("processing.max-buffered: must be at least processing.max-in-flight (500) (was '100')");
    }

    @Test
    void shouldRefuseAResponseLimitBelowOneKibibyte() {
        Map<String, String> file = minimal();
        file.put("juspay.max-response-bytes", "512");
        ConfigSource source = new ConfigSource(file, Map.of(), Map.of());

        assertThatThrownBy(() -> WorkerConfig.from(source))
                .isInstanceOf(ConfigException.class)
                .satisfies(error -> assertThat(((ConfigException) error).problems()).containsExactly(
                        "juspay.max-response-bytes: must be between 1024 and 67108864 (was '512')"));
    }
}
