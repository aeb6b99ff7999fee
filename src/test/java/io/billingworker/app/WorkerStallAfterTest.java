package io.billingworker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class WorkerStallAfterTest {

    @Test
    void shouldAllowTheProducersDefaultDeliveryTimeoutPlusAMinute() {
        assertThat(Worker.stallAfter(Map.of())).isEqualTo(Duration.ofSeconds(180));
    }

    @Test
    void shouldFollowAConfiguredDeliveryTimeout() {
        assertThat(Worker.stallAfter(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000")))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(Worker.stallAfter(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000)))
                .isEqualTo(Duration.ofSeconds(660));
    }
}
