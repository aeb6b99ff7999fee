package io.billingworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.builder().build().start();
        System.out.printf("EmbeddedKafkaBroker started in %d ms%n", broker.startupDuration().orElseThrow().toMillis());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldProduceAndConsumeRecordsAcrossThreePartitions() throws Exception {
        String topic = "signups-" + UUID.randomUUID();
        broker.createTopic(topic, 3);
        List<String> sent = new ArrayList<>();

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(Map.of()))) {
            for (int i = 0; i < 30; i++) {
                String value = "signup-" + i;
                producer.send(new ProducerRecord<>(topic, "customer-" + i, value)).get();
                sent.add(value);
            }
        }
        List<ConsumerRecord<String, String>> received = readAll(topic, "read_uncommitted", 30);

        try (Admin admin = admin()) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
        }
        assertThat(received).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(received).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2).contains(0, 1, 2);
    }

    @Test
    void shouldShowCommittedTransactionsAndHideAbortedOnesFromReadCommittedConsumers() throws Exception {
        String topic = "outcomes-" + UUID.randomUUID();
        broker.createTopic(topic, 3);
        Map<String, Object> transactional = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(transactional))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, "order-" + i, "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "order-0", "aborted-0"));
            producer.send(new ProducerRecord<>(topic, "order-1", "aborted-1"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "order-2", "committed-after-abort"));
            producer.commitTransaction();
        }
        List<ConsumerRecord<String, String>> committedView = readAll(topic, "read_committed", 4);
        List<ConsumerRecord<String, String>> uncommittedView = readAll(topic, "read_uncommitted", 6);

        assertThat(committedView).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("committed-0", "committed-1", "committed-2", "committed-after-abort");
        assertThat(uncommittedView).extracting(ConsumerRecord::value)
                .contains("aborted-0", "aborted-1");
    }

    @Test
    void shouldRefuseToExitTheJvmWhileRunning() {
        assertThatThrownBy(() -> Exit.exit(3, "simulated fatal fault"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Embedded Kafka broker asked to exit the JVM with status 3: simulated fatal fault");
        assertThatThrownBy(() -> Exit.halt(4, "simulated halt"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Embedded Kafka broker asked to halt the JVM with status 4: simulated halt");
    }

    @Test
    void shouldCreateTopicsOnFirstUseWhenAutoCreationIsEnabled() throws Exception {
        try (EmbeddedKafkaBroker autoCreating = EmbeddedKafkaBroker.builder().autoCreateTopics(true).build().start()) {
            Map<String, Object> props = new HashMap<>(producerProps(Map.of()));
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, autoCreating.bootstrapServers());

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                producer.send(new ProducerRecord<>("auto-created", "k", "v")).get();
            }

            try (Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, autoCreating.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).contains("auto-created");
            }
        }
    }

    @Test
    void shouldFreeItsPortsAndDeleteItsLogDirOnClose() {
        EmbeddedKafkaBroker closing = EmbeddedKafkaBroker.builder().build().start();
        int brokerPort = closing.brokerPort();
        int controllerPort = closing.controllerPort();
        Path logDir = closing.logDir();
        boolean portsBusyWhileRunning = !LoopbackPorts.isFree(brokerPort) && !LoopbackPorts.isFree(controllerPort);
        boolean logDirFormatted = Files.exists(logDir.resolve("meta.properties"));

        closing.close();

        assertThat(portsBusyWhileRunning).isTrue();
        assertThat(logDirFormatted).isTrue();
        assertThat(LoopbackPorts.isFree(brokerPort)).isTrue();
        assertThat(LoopbackPorts.isFree(controllerPort)).isTrue();
        assertThat(logDir).doesNotExist();
        assertThat(logDir.getParent()).doesNotExist();
        assertThat(closing.isRunning()).isFalse();
        assertThatThrownBy(closing::bootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Embedded Kafka broker is not running; it is CLOSED");
        assertThatThrownBy(closing::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("EmbeddedKafkaBroker can be started once; it is CLOSED");
    }

    @Test
    void shouldReportWhichTopicCouldNotBeCreated() {
        String topic = "duplicate-" + UUID.randomUUID();
        broker.createTopic(topic, 1);

        assertThatThrownBy(() -> broker.createTopic(topic, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot create topic " + topic + " with 1 partitions on "
                        + broker.bootstrapServers() + ": org.apache.kafka.common.errors.TopicExistsException");
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, String isolation, int expected) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            // One more poll: records beyond the expected count (e.g. aborted ones leaking) would show up here.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static Map<String, Object> producerProps(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all"));
        props.putAll(extra);
        return props;
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
