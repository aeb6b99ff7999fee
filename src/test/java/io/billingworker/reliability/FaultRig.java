package io.billingworker.reliability;

import io.billingworker.app.Worker;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.config.WorkerConfig;
import io.billingworker.serde.ConfluentAvroSerializer;
import io.billingworker.simulator.SessionSimulator;
import io.billingworker.testsupport.WorkerHarness;
import io.billingworker.testsupport.WorkerProcess;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One fault scenario's world: fresh topics on a given broker (the shared one, or a {@code KafkaProcessBroker} that
 * the scenario kills), the simulator, a worker config, workers in this JVM or as {@code run} processes, a producer
 * that keeps publishing through broker outages, and the ledger of outcomes. Unlike {@code WorkerHarness} it is not
 * tied to the shared broker, and the worker may reach the registry and the API through {@link TcpProxy}s.
 */
final class FaultRig implements AutoCloseable {

    static final String MERCHANT = "m_rel";
    static final String KEY_ENV = "RELIABILITY_MERCHANT_API_KEY";

    private final String bootstrapServers;
    private final String registryUrl;
    private final String apiKey = "key_" + UUID.randomUUID().toString().replace("-", "");
    private final SessionSimulator simulator;
    private final WorkerConfig.Topics topics;
    private final Map<String, String> config = new HashMap<>();
    private final List<Worker> workers = new ArrayList<>();
    private final List<WorkerProcess> processes = new ArrayList<>();
    private final Map<Worker, SimpleMeterRegistry> meters = new HashMap<>();
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();

    FaultRig(String bootstrapServers, String registryUrl, int inputPartitions,
            Consumer<SessionSimulator.Builder> simulatorSetup) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        SessionSimulator.Builder builder = SessionSimulator.builder().merchant(MERCHANT, apiKey).recordRequests(false);
        simulatorSetup.accept(builder);
        this.simulator = builder.start();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        this.topics = new WorkerConfig.Topics("signups-" + suffix, "created-" + suffix, "failed-" + suffix,
                "dlt-" + suffix);
        createTopics(inputPartitions, topics.input());
        createTopics(1, topics.created(), topics.failed(), topics.deadLetter());
        config.putAll(WorkerHarness.baseConfig(bootstrapServers, "reliability-" + suffix,
                topics, registryUrl, simulator.baseUrl(), MERCHANT, "stageott", KEY_ENV));
        config.put("juspay.response-timeout-ms", "2000");
        config.put("juspay.connect-timeout-ms", "1000");
        config.put("retry.max-attempts", "6");
        config.put("retry.initial-backoff-ms", "50");
        config.put("retry.max-backoff-ms", "1000");
        config.put("breaker.open-wait-ms", "3000");
        config.put("rate-limit.per-second", "5000");
        config.put("processing.max-buffered", "2000");
        config.put("processing.commit-interval-ms", "500");
        config.put("processing.shutdown-grace-ms", "15000");
        config.put("processing.rebalance-drain-ms", "5000");
        config.put("ops.port", "0");
        Map<String, Object> producerProps = new HashMap<>();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        this.producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        serializer.configure(Map.of("schema.registry.url", registryUrl), false);
    }

    SessionSimulator simulator() {
        return simulator;
    }

    WorkerConfig.Topics topics() {
        return topics;
    }

    String apiKey() {
        return apiKey;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    FaultRig set(String key, String value) {
        config.put(key, value);
        return this;
    }

    /** A worker in this JVM, built by the production composition root. */
    Worker startWorker() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Worker worker = WorkerHarness.newWorker(config, Map.of(KEY_ENV, apiKey), registry);
        workers.add(worker);
        meters.put(worker, registry);
        worker.start();
        return worker;
    }

    SimpleMeterRegistry meters(Worker worker) {
        return meters.get(worker);
    }

    /** {@code Main run --config} as a separate JVM; the API key goes in through its environment. */
    WorkerProcess startProcess(Path directory) {
        int n = processes.size() + 1;
        Path file = directory.resolve("worker-" + n + ".properties");
        Properties properties = new Properties();
        properties.putAll(config);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "reliability fault scenario");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WorkerProcess process = WorkerProcess.builder(file).environment(KEY_ENV, apiKey)
                .outputFile(directory.resolve("worker-" + n + ".log")).start();
        processes.add(process);
        return process;
    }

    /** Sends one signup keyed by its subscription id; the future completes when the broker has it. */
    Future<RecordMetadata> send(SubscriptionSignup signup) {
        return producer.send(new ProducerRecord<>(topics.input(), null,
                signup.getSubscriptionId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topics.input(), signup)));
    }

    /** Sends one signup to the given partition of the input topic, keyed by its subscription id. */
    Future<RecordMetadata> send(SubscriptionSignup signup, int partition) {
        return producer.send(new ProducerRecord<>(topics.input(), partition,
                signup.getSubscriptionId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topics.input(), signup)));
    }

    /** Publishes signups and waits until the broker has all of them. */
    void publish(List<SubscriptionSignup> signups) {
        List<Future<RecordMetadata>> sent = signups.stream().map(this::send).toList();
        producer.flush();
        for (Future<RecordMetadata> future : sent) {
            try {
                future.get(300, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("publishing failed", e);
            }
        }
    }

    void flush() {
        producer.flush();
    }

    OutcomeLedger ledger() {
        return new OutcomeLedger(bootstrapServers, topics, registryUrl);
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Closes the workers and processes started here (not the broker or the registry). */
    void stopWorkers() {
        processes.forEach(WorkerProcess::close);
        for (Worker worker : workers) {
            try {
                worker.close();
            } catch (RuntimeException e) {
                // keep closing the rest
            }
        }
        workers.clear();
    }

    @Override
    public void close() {
        stopWorkers();
        producer.close(Duration.ofSeconds(5));
        serializer.close();
        simulator.close();
    }

    private void createTopics(int partitions, String... names) {
        try (Admin admin = admin()) {
            admin.createTopics(java.util.Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList())
                    .all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics on " + bootstrapServers, e);
        }
    }
}
