package io.billingworker.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaFixtureIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaFixture kafka = KafkaFixture.shared();

    @Test
    void shouldHandOutTheSameRunningBrokerToEveryCaller() throws Exception {
        KafkaFixture again = KafkaFixture.shared();

        try (Admin admin = kafka.adminClient()) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
        assertThat(again).isSameAs(kafka);
        assertThat(kafka.bootstrapServers()).isNotBlank();
    }

    @Test
    void shouldCreateTopicsAndReadBackEverythingProduced() throws Exception {
        String topic = KafkaFixture.newTopicName("fixture");
        kafka.createTopics(3, topic);

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProps())) {
            for (int i = 0; i < 9; i++) {
                producer.send(new ProducerRecord<>(topic, bytes("k" + i), bytes("v" + i))).get();
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consumeAll(topic, 9, TIMEOUT);

        assertThat(records).extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8");
        try (Admin admin = kafka.adminClient()) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
        }
    }

    @Test
    void shouldReturnWhatArrivedWhenFewerRecordsThanExpectedExist() throws Exception {
        String topic = KafkaFixture.newTopicName("short");
        kafka.createTopics(1, topic);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProps())) {
            producer.send(new ProducerRecord<>(topic, bytes("only"))).get();
        }

        // Generous: on a loaded machine the first fetch of a new consumer can take seconds.
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consumeAll(topic, 2, Duration.ofSeconds(10));

        assertThat(records).hasSize(1);
    }

    @Test
    void shouldGiveConsumersInAGroupTheCommittedRecordsOnly() throws Exception {
        String topic = KafkaFixture.newTopicName("grouped");
        kafka.createTopics(1, topic);
        Map<String, Object> transactional = kafka.producerProps();
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(transactional)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, bytes("aborted")));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, bytes("committed")));
            producer.commitTransaction();
        }

        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumerProps("group-" + topic))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100))
                        .forEach(record -> values.add(new String(record.value(), StandardCharsets.UTF_8)));
            }
            consumer.poll(Duration.ofMillis(300))
                    .forEach(record -> values.add(new String(record.value(), StandardCharsets.UTF_8)));
        }

        assertThat(values).containsExactly("committed");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
