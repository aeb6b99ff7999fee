package io.billingworker.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import io.billingworker.testsupport.KafkaFixture.Source;

class KafkaFixtureTest {

    private final AtomicInteger dockerChecks = new AtomicInteger();

    @Test
    void shouldUseTheBrokerNamedInTheEnvironmentWithoutAskingDocker() {
        Map<String, String> environment = Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");

        Source source = KafkaFixture.chooseSource(environment, null, docker(true));

        assertThat(source).isEqualTo(Source.EXTERNAL);
        assertThat(dockerChecks).hasValue(0);
    }

    @Test
    void shouldUseTestcontainersWhenDockerAnswers() {
        Source source = KafkaFixture.chooseSource(Map.of(), null, docker(true));

        assertThat(source).isEqualTo(Source.TESTCONTAINERS);
        assertThat(dockerChecks).hasValue(1);
    }

    @Test
    void shouldFallBackToTheEmbeddedBrokerWithoutDocker() {
        Source source = KafkaFixture.chooseSource(Map.of("KAFKA_BOOTSTRAP_SERVERS", " "), null, docker(false));

        assertThat(source).isEqualTo(Source.EMBEDDED);
        assertThat(dockerChecks).hasValue(1);
    }

    @Test
    void shouldSkipTheDockerCheckWhenTheEmbeddedBrokerIsForced() {
        Source source = KafkaFixture.chooseSource(Map.of(), "Embedded", docker(true));

        assertThat(source).isEqualTo(Source.EMBEDDED);
        assertThat(dockerChecks).hasValue(0);
    }

    @Test
    void shouldRejectAForcedExternalBrokerWithoutAnAddress() {
        assertThatThrownBy(() -> KafkaFixture.chooseSource(Map.of(), "external", docker(true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("kafka.fixture=external needs KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldRejectAnUnknownForcedSource() {
        assertThatThrownBy(() -> KafkaFixture.chooseSource(Map.of(), "zookeeper", docker(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kafka.fixture must be one of external, testcontainers, embedded; was zookeeper");
    }

    @Test
    void shouldNameTopicsUniquelyAfterThePrefix() {
        String first = KafkaFixture.newTopicName("signups");
        String second = KafkaFixture.newTopicName("signups");

        assertThat(first).matches("signups-[0-9a-f]{12}");
        assertThat(second).matches("signups-[0-9a-f]{12}").isNotEqualTo(first);
    }

    private BooleanSupplier docker(boolean available) {
        return () -> {
            dockerChecks.incrementAndGet();
            return available;
        };
    }
}
