package io.billingworker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeSettingsTest {

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("schema.registry.url", "http://127.0.0.1:8081");
        values.put("merchants.ids", "m1");
        values.put("merchants.default", "m1");
        values.put("merchants.m1.payment-page-client-id", "client1");
        values.put("merchants.m1.api-key-env", "M1_KEY");
        return values;
    }

    @Test
    void shouldKeepTheSdkPayloadByDefault() {
        WorkerConfig config = WorkerConfig.from(new ConfigSource(minimal(), Map.of(), Map.of()));

        assertThat(config.outcomes().omitSdkPayload()).isFalse();
    }

    @Test
    void shouldOmitTheSdkPayloadWhenAsked() {
        WorkerConfig config = WorkerConfig.from(new ConfigSource(minimal(),
                Map.of("BILLING_OUTCOME_SDK_PAYLOAD", "omit"), Map.of()));

        assertThat(config.outcomes().omitSdkPayload()).isTrue();
    }

    @Test
    void shouldRefuseAnyOtherValueNamingTheKey() {
        Map<String, String> file = minimal();
        file.put("outcome.sdk-payload", "masked");

        assertThatThrownBy(() -> WorkerConfig.from(new ConfigSource(file, Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration:\n  outcome.sdk-payload: must be full or omit (was 'masked')");
    }
}
