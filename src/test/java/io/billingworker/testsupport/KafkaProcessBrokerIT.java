package io.billingworker.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.billingworker.app.LoopbackPorts;

class KafkaProcessBrokerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TOPIC = "signups";

    @Test
    void shouldKeepCommittedDataAndReconnectClientsAfterKillAndRestart() throws Exception {
        try (KafkaProcessBroker broker = KafkaProcessBroker.builder().build().start()) {
            System.out.printf("KafkaProcessBroker started in %d ms%n",
                    broker.lastStartupDuration().orElseThrow().toMillis());
            createTopic(broker, 3);
            String bootstrap = broker.bootstrapServers();
            long firstPid = broker.pid();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(bootstrap));
                    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(bootstrap, "billing"))) {
                sendAll(producer, "before-", 50);
                consumer.subscribe(List.of(TOPIC));
                List<String> readBeforeKill = pollValues(consumer, 50);
                consumer.commitSync();

                broker.kill();
                boolean aliveAfterKill = broker.isAlive();
                boolean firstProcessAlive = ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false);
                broker.restart();
                System.out.printf("KafkaProcessBroker restarted after kill -9 in %d ms%n",
                        broker.lastStartupDuration().orElseThrow().toMillis());
                sendAll(producer, "after-", 50);
                List<String> readAfterRestart = pollValues(consumer, 50);
                consumer.commitSync();
                long committedOffsets = committedOffsetSum(bootstrap, "billing");
                List<String> everything = pollValues(
                        new KafkaConsumer<>(consumerProps(bootstrap, "auditor")), 100);

                assertThat(readBeforeKill).containsExactlyInAnyOrderElementsOf(values("before-", 50));
                assertThat(aliveAfterKill).isFalse();
                assertThat(firstProcessAlive).isFalse();
                assertThat(broker.pid()).isNotEqualTo(firstPid);
                assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
                assertThat(readAfterRestart).containsExactlyInAnyOrderElementsOf(values("after-", 50));
                assertThat(committedOffsets).isEqualTo(100);
                List<String> expectedEverything = new ArrayList<>(values("before-", 50));
                expectedEverything.addAll(values("after-", 50));
                assertThat(everything).containsExactlyInAnyOrderElementsOf(expectedEverything);
            }
        }
    }

    @Test
    void shouldHideATransactionLeftOpenByAKilledBrokerOnceTheProducerIsReplaced() throws Exception {
        try (KafkaProcessBroker broker = KafkaProcessBroker.builder().build().start()) {
            createTopic(broker, 1);
            String bootstrap = broker.bootstrapServers();
            Map<String, Object> transactional = producerProps(bootstrap);
            transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "worker-0");
            try (KafkaProducer<String, String> first = new KafkaProducer<>(transactional)) {
                first.initTransactions();
                first.beginTransaction();
                first.send(new ProducerRecord<>(TOPIC, "order-1", "committed"));
                first.commitTransaction();
                first.beginTransaction();
                first.send(new ProducerRecord<>(TOPIC, "order-2", "open-at-kill"));
                first.flush();

                broker.kill();
                broker.restart();
            }
            try (KafkaProducer<String, String> replacement = new KafkaProducer<>(transactional)) {
                replacement.initTransactions();
                replacement.beginTransaction();
                replacement.send(new ProducerRecord<>(TOPIC, "order-3", "committed-after-restart"));
                replacement.commitTransaction();
            }
            List<String> committedView = pollValues(new KafkaConsumer<>(consumerProps(bootstrap, "reader")), 2);

            assertThat(committedView).containsExactly("committed", "committed-after-restart");
        }
    }

    @Test
    void shouldStopGracefullyAndFreeEverythingOnClose() throws Exception {
        KafkaProcessBroker broker = KafkaProcessBroker.builder().build().start();
        createTopic(broker, 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(broker.bootstrapServers()))) {
            sendAll(producer, "kept-", 5);
        }

        broker.stop();
        boolean aliveAfterStop = broker.isAlive();
        broker.restart();
        List<String> afterRestart = pollValues(
                new KafkaConsumer<>(consumerProps(broker.bootstrapServers(), "reader")), 5);
        Path logDir = broker.logDir();
        int brokerPort = broker.brokerPort();
        int controllerPort = broker.controllerPort();
        broker.close();

        assertThat(aliveAfterStop).isFalse();
        assertThat(afterRestart).containsExactlyInAnyOrderElementsOf(values("kept-", 5));
        assertThat(broker.isAlive()).isFalse();
        assertThat(logDir.getParent()).doesNotExist();
        assertThat(LoopbackPorts.isFree(brokerPort)).isTrue();
        assertThat(LoopbackPorts.isFree(controllerPort)).isTrue();
        assertThatThrownBy(broker::restart)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Kafka broker process is closed");
    }

    @Test
    void shouldReportTheProcessOutputWhenTheBrokerExitsBeforeItIsReady() {
        KafkaProcessBroker broker = KafkaProcessBroker.builder().jvmOption("-Xmx1k").build();

        assertThatThrownBy(broker::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageMatching("(?s)Kafka broker process on 127\\.0\\.0\\.1:\\d+ exited with status 1 before it"
                        + " was ready; output:.*Too small maximum heap.*");
        assertThat(broker.isAlive()).isFalse();
    }

    private static void createTopic(KafkaProcessBroker broker, int partitions) throws Exception {
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
        }
    }

    private static void sendAll(KafkaProducer<String, String> producer, String prefix, int count) throws Exception {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sends.add(producer.send(new ProducerRecord<>(TOPIC, "key-" + i, prefix + i)));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get();
        }
    }

    /** Polls until {@code expected} values arrived (or the timeout), then once more to catch extra records. */
    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        if (consumer.subscription().isEmpty()) {
            try (consumer) {
                consumer.subscribe(List.of(TOPIC));
                return pollInto(consumer, values, expected, deadline);
            }
        }
        return pollInto(consumer, values, expected, deadline);
    }

    private static List<String> pollInto(
            KafkaConsumer<String, String> consumer, List<String> values, int expected, long deadline) {
        while (values.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(record -> values.add(record.value()));
        }
        consumer.poll(Duration.ofMillis(300)).forEach((ConsumerRecord<String, String> record) ->
                values.add(record.value()));
        return values;
    }

    private static long committedOffsetSum(String bootstrap, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        }
    }

    private static List<String> values(String prefix, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(prefix + i);
        }
        return values;
    }

    private static Map<String, Object> producerProps(String bootstrap) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        return props;
    }

    private static Map<String, Object> consumerProps(String bootstrap, String group) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }
}
