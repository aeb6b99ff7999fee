package io.billingworker.testsupport;

import io.billingworker.app.Worker;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.BillingSessionFailed;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import io.billingworker.serde.ConfluentAvroDeserializer;
import io.billingworker.serde.ConfluentAvroSerializer;
import io.billingworker.simulator.SessionSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Everything a worker integration test needs, real where it can be: the shared Kafka broker
 * ({@link KafkaFixture}), the shared Apicurio schema registry ({@link ApicurioRegistry}), fresh topics per
 * harness, our {@code /session} simulator, and workers built by the production composition root from
 * config overrides, in this JVM ({@link #startWorker()}) or as a separate {@code run} process
 * ({@link #startWorkerProcess(Path)}). Closing the harness closes its workers, kills its worker processes and stops
 * the simulator.
 */
public final class WorkerHarness implements AutoCloseable {

    public static final String MERCHANT = "m_test";
    public static final String CLIENT_ID = "stageott";
    private static final String KEY_ENV = "HARNESS_MERCHANT_API_KEY";

    private final KafkaFixture kafka = KafkaFixture.shared();
    private final String registryUrl;
    private final String apiKey = "key_" + UUID.randomUUID().toString().replace("-", "");
    private final SessionSimulator simulator;
    private final Map<String, String> config = new HashMap<>();
    private final Map<String, String> extraEnvironment = new HashMap<>();
    private final WorkerConfig.Topics topics;
    private final List<Worker> workers = new ArrayList<>();
    private final List<OutcomeReader> readers = new ArrayList<>();
    private final Map<Worker, SimpleMeterRegistry> meters = new IdentityHashMap<>();
    private final List<WorkerProcess> processes = new ArrayList<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
    private final ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();

    private WorkerHarness(int inputPartitions, Consumer<SessionSimulator.Builder> simulatorSetup) {
        this.registryUrl = ApicurioRegistry.shared().url();
        SessionSimulator.Builder builder = SessionSimulator.builder().merchant(MERCHANT, apiKey);
        simulatorSetup.accept(builder);
        this.simulator = builder.start();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.topics = new WorkerConfig.Topics("signups-" + suffix, "created-" + suffix, "failed-" + suffix,
                "dlt-" + suffix);
        kafka.createTopics(inputPartitions, topics.input());
        kafka.createTopics(1, topics.created(), topics.failed(), topics.deadLetter());
        config.putAll(baseConfig(kafka.bootstrapServers(), "worker-" + suffix, topics, registryUrl, simulator.baseUrl(),
                MERCHANT, CLIENT_ID, KEY_ENV));
        config.put("juspay.response-timeout-ms", "5000");
        config.put("retry.max-attempts", "3");
        config.put("retry.initial-backoff-ms", "20");
        config.put("retry.max-backoff-ms", "200");
        config.put("processing.commit-interval-ms", "200");
        config.put("processing.shutdown-grace-ms", "5000");
        config.put("processing.rebalance-drain-ms", "5000");
        config.put("ops.port", "0");
        Map<String, Object> producerProps = kafka.producerProps();
        this.producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        serializer.configure(Map.of("schema.registry.url", registryUrl), false);
        deserializer.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.reader", "true"), false);
    }

    /**
     * The config every test worker shares: broker, group, topics, registry, the simulator over plain http, one
     * merchant whose key is in {@code keyEnv}, and no ops endpoint. Callers add their own timeouts and limits.
     */
    public static Map<String, String> baseConfig(String bootstrapServers, String groupId, WorkerConfig.Topics topics,
            String registryUrl, String simulatorUrl, String merchant, String clientId, String keyEnv) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrapServers);
        config.put("kafka.group.id", groupId);
        config.put("topics.input", topics.input());
        config.put("topics.created", topics.created());
        config.put("topics.failed", topics.failed());
        config.put("topics.dead-letter", topics.deadLetter());
        config.put("schema.registry.url", registryUrl);
        config.put("juspay.base-url", simulatorUrl);
        config.put("juspay.allow-insecure-http", "true");
        config.put("merchants.ids", merchant);
        config.put("merchants.default", merchant);
        config.put("merchants." + merchant + ".payment-page-client-id", clientId);
        config.put("merchants." + merchant + ".api-key-env", keyEnv);
        config.put("ops.port", "0");
        return config;
    }

    /** A harness whose input topic has {@code inputPartitions} partitions. */
    public static WorkerHarness start(int inputPartitions) {
        return new WorkerHarness(inputPartitions, builder -> {
        });
    }

    /** A harness whose simulator is set up by {@code simulatorSetup} before it starts. */
    public static WorkerHarness start(int inputPartitions, Consumer<SessionSimulator.Builder> simulatorSetup) {
        return new WorkerHarness(inputPartitions, simulatorSetup);
    }

    public SessionSimulator simulator() {
        return simulator;
    }

    public WorkerConfig.Topics topics() {
        return topics;
    }

    public String apiKey() {
        return apiKey;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public KafkaFixture kafka() {
        return kafka;
    }

    /** Sets a worker config value for workers started after this call. */
    public WorkerHarness set(String key, String value) {
        config.put(key, value);
        return this;
    }

    /** Sets an environment variable seen by workers started after this call (e.g. another API key variable). */
    public WorkerHarness environment(String name, String value) {
        extraEnvironment.put(name, value);
        return this;
    }

    /** Starts a worker with the current config; it is closed with the harness unless closed before. */
    public Worker startWorker() {
        Map<String, String> environment = new HashMap<>();
        environment.put(KEY_ENV, apiKey);
        environment.putAll(extraEnvironment);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Worker worker = newWorker(config, environment, registry);
        workers.add(worker);
        meters.put(worker, registry);
        worker.start();
        return worker;
    }

    /**
     * A worker in this JVM, built by the production composition root from {@code config}, with this process's
     * environment plus {@code environment} (API keys), metering into {@code registry}; not started.
     */
    public static Worker newWorker(Map<String, String> config, Map<String, String> environment,
            SimpleMeterRegistry registry) {
        Map<String, String> merged = new HashMap<>(System.getenv());
        merged.putAll(environment);
        ConfigSource source = new ConfigSource(Map.of(), merged, Map.copyOf(config));
        return new Worker(WorkerConfig.from(source), source, registry, Clock.systemUTC());
    }

    /** The meters of a worker started by {@link #startWorker()}. */
    public SimpleMeterRegistry meters(Worker worker) {
        SimpleMeterRegistry registry = meters.get(worker);
        if (registry == null) {
            throw new IllegalArgumentException("not a worker of this harness");
        }
        return registry;
    }

    /** The current worker config (without secrets: merchants name the environment variable holding their key). */
    public Map<String, String> config() {
        return new TreeMap<>(config);
    }

    /** The consumer group of this harness's workers. */
    public String groupId() {
        return config.get("kafka.group.id");
    }

    /** The environment a worker process needs besides its config file: the merchant's API key. */
    public Map<String, String> workerEnvironment() {
        return Map.of(KEY_ENV, apiKey);
    }

    /** Writes the current worker config to {@code file} as Java properties and returns it. */
    public Path writeConfigFile(Path file) {
        Properties properties = new Properties();
        properties.putAll(config);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "billing-session-worker test config");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /**
     * Starts {@code Main run} as a separate process with the current config, written to a new file in
     * {@code directory}; the API key goes in through the environment. It is killed with the harness unless it
     * ended before.
     */
    public WorkerProcess startWorkerProcess(Path directory) {
        Path file = directory.resolve("worker-" + (processes.size() + 1) + ".properties");
        WorkerProcess process = WorkerProcess.builder(writeConfigFile(file))
                .environment(workerEnvironment())
                .outputFile(directory.resolve("worker-" + (processes.size() + 1) + ".log"))
                .start();
        processes.add(process);
        return process;
    }

    /**
     * Publishes signups keyed by subscription id without waiting for each acknowledgement, then waits for all of
     * them; returns where each landed, in the order given.
     */
    public List<RecordMetadata> publishAll(List<SubscriptionSignup> signups) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(signups.size());
        for (SubscriptionSignup signup : signups) {
            sent.add(producer.send(new ProducerRecord<>(topics.input(), null,
                    signup.getSubscriptionId().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(topics.input(), signup))));
        }
        producer.flush();
        List<RecordMetadata> metadata = new ArrayList<>(sent.size());
        try {
            for (Future<RecordMetadata> future : sent) {
                metadata.add(future.get(30, TimeUnit.SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing signups failed", e);
        }
        return metadata;
    }

    /** The group's committed position per input partition (partitions without a commit are left out). */
    public Map<Integer, Long> committedOffsets() {
        try (Admin admin = kafka.adminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId())
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<Integer, Long> positions = new TreeMap<>();
            offsets.forEach((partition, offset) -> {
                if (offset != null && partition.topic().equals(topics.input())) {
                    positions.put(partition.partition(), offset.offset());
                }
            });
            return positions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the committed offsets of " + groupId(), e);
        }
    }

    /** The input partitions each member of the group holds now, by member client id. */
    public Map<String, List<Integer>> groupAssignment() {
        try (Admin admin = kafka.adminClient()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId()))
                    .describedGroups().get(groupId()).get(30, TimeUnit.SECONDS);
            Map<String, List<Integer>> assignment = new TreeMap<>();
            for (MemberDescription member : group.members()) {
                assignment.put(member.clientId() + "/" + member.consumerId(), member.assignment().topicPartitions()
                        .stream()
                        .filter(partition -> partition.topic().equals(topics.input()))
                        .map(TopicPartition::partition)
                        .sorted()
                        .toList());
            }
            return assignment;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the consumer group " + groupId(), e);
        }
    }

    /** Publishes signups keyed by subscription id, in order, and waits for the broker's acknowledgement. */
    public void publish(List<SubscriptionSignup> signups) {
        for (SubscriptionSignup signup : signups) {
            publishRaw(signup.getSubscriptionId(), serializer.serialize(topics.input(), signup), List.of());
        }
        producer.flush();
    }

    public void publish(SubscriptionSignup... signups) {
        publish(List.of(signups));
    }

    /**
     * Publishes signups keyed by subscription id without waiting between them (so they reach the broker in few
     * batches and a worker fetches them together), then waits for every acknowledgement. Order per key is kept.
     */
    public void publishBatch(List<SubscriptionSignup> signups) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (SubscriptionSignup signup : signups) {
            sent.add(producer.send(new ProducerRecord<>(topics.input(), null,
                    signup.getSubscriptionId().getBytes(StandardCharsets.UTF_8), serialize(signup))));
        }
        producer.flush();
        for (Future<RecordMetadata> future : sent) {
            acknowledged(future);
        }
    }

    /** The signup in Confluent wire format, with its schema registered in the harness's registry. */
    public byte[] serialize(SubscriptionSignup signup) {
        return serializer.serialize(topics.input(), signup);
    }

    /** Decodes a signup in Confluent wire format (e.g. a dead letter's value) with the harness's registry. */
    public SubscriptionSignup decodeSignup(byte[] value) {
        return (SubscriptionSignup) deserializer.deserialize(topics.input(), value);
    }

    /** Publishes raw bytes (null allowed) with the given key and headers. */
    public void publishRaw(String key, byte[] value, List<Header> headers) {
        publishRecord(key, value, headers);
    }

    /** Publishes raw bytes (null allowed) with the given key and headers; returns where the record landed. */
    public RecordMetadata publishRecord(String key, byte[] value, List<Header> headers) {
        return acknowledged(producer.send(new ProducerRecord<>(topics.input(), null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, headers)));
    }

    private static RecordMetadata acknowledged(Future<RecordMetadata> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Outcomes read from the three outbound topics, committed records only. */
    public record Outcomes(
            List<ConsumerRecord<byte[], byte[]>> createdRecords,
            List<BillingSessionCreated> created,
            List<BillingSessionFailed> failed,
            List<ConsumerRecord<byte[], byte[]>> deadLetters) {

        public int total() {
            return created.size() + failed.size() + deadLetters.size();
        }
    }

    /** Reads the outbound topics until {@code expected} outcomes arrived or {@code timeout} passed. */
    public Outcomes awaitOutcomes(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Outcomes outcomes = readOutcomes(Duration.ofMillis(500));
        while (outcomes.total() < expected && System.nanoTime() < deadline) {
            outcomes = readOutcomes(Duration.ofMillis(500));
        }
        return outcomes;
    }

    /** Reads everything now on the outbound topics. */
    public Outcomes readOutcomes(Duration wait) {
        List<ConsumerRecord<byte[], byte[]>> createdRecords = kafka.consumeAll(topics.created(), Integer.MAX_VALUE, wait);
        List<ConsumerRecord<byte[], byte[]>> failedRecords = kafka.consumeAll(topics.failed(), Integer.MAX_VALUE, wait);
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.consumeAll(topics.deadLetter(), Integer.MAX_VALUE, wait);
        List<BillingSessionCreated> created = createdRecords.stream()
                .map(record -> (BillingSessionCreated) deserializer.deserialize(record.topic(), record.value()))
                .toList();
        List<BillingSessionFailed> failed = failedRecords.stream()
                .map(record -> (BillingSessionFailed) deserializer.deserialize(record.topic(), record.value()))
                .toList();
        return new Outcomes(createdRecords, created, failed, dead);
    }

    /**
     * A reader of the outbound topics that keeps one consumer and only fetches what arrived since its last read:
     * much cheaper than {@link #readOutcomes} when a test polls often. Closed with the harness.
     */
    public OutcomeReader outcomeReader() {
        OutcomeReader reader = new OutcomeReader();
        readers.add(reader);
        return reader;
    }

    /** Reads the three outbound topics from the beginning, incrementally; see {@link #outcomeReader()}. */
    public final class OutcomeReader implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<ConsumerRecord<byte[], byte[]>> createdRecords = new ArrayList<>();
        private final List<BillingSessionCreated> created = new ArrayList<>();
        private final List<ConsumerRecord<byte[], byte[]>> failedRecords = new ArrayList<>();
        private final List<BillingSessionFailed> failed = new ArrayList<>();
        private final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

        private OutcomeReader() {
            consumer = new KafkaConsumer<>(kafka.consumerProps("outcome-reader-" + UUID.randomUUID()));
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.created(), topics.failed(), topics.deadLetter())) {
                partitionsOf(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /**
         * Fetches everything the outbound topics hold now (up to their end offsets at the time of the call) and
         * returns every outcome read so far, in topic order.
         */
        public synchronized Outcomes read() {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!caughtUp(ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("outcome topics not read up to " + ends + " within 30 s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    add(record);
                }
            }
            return new Outcomes(List.copyOf(createdRecords), List.copyOf(created), List.copyOf(failed),
                    List.copyOf(deadLetters));
        }

        /**
         * The topic's partitions. Right after the topic was created the consumer's metadata may not know it yet and
         * {@code partitionsFor} answers an empty list: ask again until it knows.
         */
        private List<PartitionInfo> partitionsOf(String topic) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            while (partitions.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
                }
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            }
            return partitions;
        }

        private boolean caughtUp(Map<TopicPartition, Long> ends) {
            return ends.entrySet().stream()
                    .allMatch(end -> consumer.position(end.getKey(), Duration.ofSeconds(30)) >= end.getValue());
        }

        /** The failed topic's records (keys and headers) read so far, in the order of {@code read().failed()}. */
        public synchronized List<ConsumerRecord<byte[], byte[]>> failedRecords() {
            return List.copyOf(failedRecords);
        }

        private void add(ConsumerRecord<byte[], byte[]> record) {
            if (record.topic().equals(topics.created())) {
                createdRecords.add(record);
                created.add((BillingSessionCreated) deserializer.deserialize(record.topic(), record.value()));
            } else if (record.topic().equals(topics.failed())) {
                failedRecords.add(record);
                failed.add((BillingSessionFailed) deserializer.deserialize(record.topic(), record.value()));
            } else {
                deadLetters.add(record);
            }
        }

        @Override
        public synchronized void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        for (OutcomeReader reader : readers) {
            try {
                reader.close();
            } catch (RuntimeException e) {
                // keep closing the rest
            }
        }
        for (WorkerProcess process : processes) {
            process.close();
        }
        for (Worker worker : workers) {
            try {
                worker.close();
            } catch (RuntimeException e) {
                // keep closing the rest
            }
        }
        producer.close(Duration.ofSeconds(5));
        serializer.close();
        deserializer.close();
        simulator.close();
    }
}
