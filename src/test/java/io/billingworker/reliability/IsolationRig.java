package io.billingworker.reliability;

import io.billingworker.app.Worker;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.config.WorkerConfig;
import io.billingworker.serde.ConfluentAvroSerializer;
import io.billingworker.simulator.SessionSimulator;
import io.billingworker.testsupport.WorkerHarness;
import io.billingworker.testsupport.WorkerProcess;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The world of one isolation scenario: fresh topics on the shared broker, the simulator serving several merchants
 * (each with its own API key, handed to the worker through its environment), a worker config naming all of them,
 * workers in this JVM or as {@code run} processes, and a producer. The first merchant is the default one.
 */
final class IsolationRig implements AutoCloseable {

    private final String bootstrapServers;
    private final String registryUrl;
    private final int inputPartitions;
    private final Map<String, String> keyByMerchant = new LinkedHashMap<>();
    private final Map<String, String> environment = new HashMap<>();
    private final SessionSimulator simulator;
    private final WorkerConfig.Topics topics;
    private final Map<String, String> config = new HashMap<>();
    private final List<Worker> workers = new ArrayList<>();
    private final Map<Worker, SimpleMeterRegistry> meters = new IdentityHashMap<>();
    private final List<WorkerProcess> processes = new ArrayList<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();

    IsolationRig(String bootstrapServers, String registryUrl, int inputPartitions, List<String> merchants,
            Consumer<SessionSimulator.Builder> simulatorSetup) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.inputPartitions = inputPartitions;
        SessionSimulator.Builder builder = SessionSimulator.builder().recordRequests(false);
        for (String merchant : merchants) {
            String key = "key_" + UUID.randomUUID().toString().replace("-", "");
            keyByMerchant.put(merchant, key);
            environment.put(keyEnv(merchant), key);
            builder.merchant(merchant, key);
        }
        simulatorSetup.accept(builder);
        this.simulator = builder.start();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.topics = new WorkerConfig.Topics("signups-" + suffix, "created-" + suffix, "failed-" + suffix,
                "dlt-" + suffix);
        createTopics(inputPartitions, topics.input());
        createTopics(1, topics.created(), topics.failed(), topics.deadLetter());
        String first = merchants.getFirst();
        config.putAll(WorkerHarness.baseConfig(bootstrapServers, "isolation-" + suffix, topics, registryUrl,
                simulator.baseUrl(), first, "stageott", keyEnv(first)));
        config.put("merchants.ids", String.join(",", merchants));
        for (String merchant : merchants) {
            config.put("merchants." + merchant + ".payment-page-client-id", "stageott");
            config.put("merchants." + merchant + ".api-key-env", keyEnv(merchant));
        }
        // Generous: on a shared 2-core machine under load a call to the simulator can take seconds, and a timeout is
        // a breaker failure; scenarios about timeouts set their own.
        config.put("juspay.response-timeout-ms", "10000");
        config.put("juspay.connect-timeout-ms", "5000");
        config.put("retry.initial-backoff-ms", "50");
        config.put("retry.max-backoff-ms", "1000");
        config.put("rate-limit.per-second", "5000");
        config.put("processing.commit-interval-ms", "500");
        config.put("processing.shutdown-grace-ms", "10000");
        config.put("processing.rebalance-drain-ms", "3000");
        config.put("ops.port", "0");
        Map<String, Object> producerProps = new HashMap<>();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        serializer.configure(Map.of("schema.registry.url", registryUrl), false);
    }

    private static String keyEnv(String merchant) {
        return "ISOLATION_" + merchant.toUpperCase(java.util.Locale.ROOT) + "_API_KEY";
    }

    SessionSimulator simulator() {
        return simulator;
    }

    WorkerConfig.Topics topics() {
        return topics;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String groupId() {
        return config.get("kafka.group.id");
    }

    IsolationRig set(String key, String value) {
        config.put(key, value);
        return this;
    }

    /** A valid signup of {@code merchant}, keyed {@code key}, with this event id and order id. */
    static SubscriptionSignup signup(String merchant, String key, String eventId, String orderId) {
        SubscriptionSignup signup = CorpusSignups.valid(key, orderId);
        signup.setMerchantId(merchant);
        signup.setEventId(eventId);
        return signup;
    }

    /** The input partition a record keyed {@code key} lands on (the producer's default partitioner). */
    int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % inputPartitions;
    }

    /** A worker in this JVM, built by the production composition root, started. */
    Worker startWorker() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Worker worker = WorkerHarness.newWorker(config, environment, registry);
        workers.add(worker);
        meters.put(worker, registry);
        worker.start();
        return worker;
    }

    SimpleMeterRegistry meters(Worker worker) {
        return meters.get(worker);
    }

    /** A gauge of the worker's meters, or NaN while it is not registered. */
    double gauge(Worker worker, String name) {
        Gauge gauge = meters.get(worker).find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    /** {@code Main run --config} as a separate JVM, the API keys in its environment. */
    WorkerProcess startProcess(Path directory) {
        int n = processes.size() + 1;
        Path file = directory.resolve("worker-" + n + ".properties");
        Properties properties = new Properties();
        properties.putAll(config);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "isolation scenario");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WorkerProcess process = WorkerProcess.builder(file).environment(environment)
                .outputFile(directory.resolve("worker-" + n + ".log")).start();
        processes.add(process);
        return process;
    }

    /** Publishes signups keyed by subscription id and waits until the broker has all; where each landed, in order. */
    List<RecordMetadata> publish(List<SubscriptionSignup> signups) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(signups.size());
        for (SubscriptionSignup signup : signups) {
            sent.add(producer.send(new ProducerRecord<>(topics.input(), null,
                    signup.getSubscriptionId().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(topics.input(), signup))));
        }
        producer.flush();
        List<RecordMetadata> landed = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> future : sent) {
            landed.add(get(future));
        }
        return landed;
    }

    OutcomeLedger ledger() {
        return new OutcomeLedger(bootstrapServers, topics, registryUrl);
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Sets a topic config. */
    void topicConfig(String topic, String name, String value) {
        try (Admin admin = admin()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            get(admin.incrementalAlterConfigs(Map.of(resource,
                    List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET)))).all());
        }
    }

    /** The group's committed position per input partition (partitions without a commit are left out). */
    Map<Integer, Long> committedOffsets() {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    get(admin.listConsumerGroupOffsets(groupId()).partitionsToOffsetAndMetadata());
            Map<Integer, Long> positions = new TreeMap<>();
            offsets.forEach((partition, offset) -> {
                if (offset != null && partition.topic().equals(topics.input())) {
                    positions.put(partition.partition(), offset.offset());
                }
            });
            return positions;
        }
    }

    /** The log end offset of every input partition. */
    Map<Integer, Long> endOffsets() {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < inputPartitions; p++) {
                request.put(new TopicPartition(topics.input(), p), OffsetSpec.latest());
            }
            Map<Integer, Long> ends = new TreeMap<>();
            get(admin.listOffsets(request).all()).forEach((partition, info) -> ends.put(partition.partition(),
                    info.offset()));
            return ends;
        }
    }

    /** The input partitions each member of the group holds now, by member id. */
    Map<String, List<Integer>> groupAssignment() {
        try (Admin admin = admin()) {
            ConsumerGroupDescription group = get(admin.describeConsumerGroups(List.of(groupId()))
                    .describedGroups().get(groupId()));
            Map<String, List<Integer>> assignment = new TreeMap<>();
            for (MemberDescription member : group.members()) {
                assignment.put(member.consumerId(), member.assignment().topicPartitions().stream()
                        .filter(partition -> partition.topic().equals(topics.input()))
                        .map(TopicPartition::partition).sorted().toList());
            }
            return assignment;
        }
    }

    @Override
    public void close() {
        processes.forEach(WorkerProcess::close);
        for (Worker worker : workers) {
            try {
                worker.close();
            } catch (RuntimeException e) {
                // keep closing the rest
            }
        }
        producer.close(Duration.ofSeconds(5));
        serializer.close();
        simulator.close();
    }

    private void createTopics(int partitions, String... names) {
        try (Admin admin = admin()) {
            get(admin.createTopics(java.util.Arrays.stream(names)
                    .map(name -> new NewTopic(name, partitions, (short) 1)).toList()).all());
        }
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
