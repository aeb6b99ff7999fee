package io.billingworker.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers path of {@link KafkaFixture}: an {@code apache/kafka} KRaft container configured like the
 * embedded broker (internal topics at replication factor 1, no initial rebalance delay, no topic auto-creation).
 * Kept in its own class so that container classes load only where Docker is used.
 */
final class TestcontainersKafka implements AutoCloseable {

    static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.1.1");

    private final KafkaContainer container;

    private TestcontainersKafka(KafkaContainer container) {
        this.container = container;
    }

    static boolean isDockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @SuppressWarnings("resource") // closed by close()
    static TestcontainersKafka start() {
        KafkaContainer container = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
        return new TestcontainersKafka(container);
    }

    String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
