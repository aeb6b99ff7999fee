package io.billingworker.app;

import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.BillingSessionFailed;
import io.billingworker.avro.FieldError;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.serde.ConfluentAvroDeserializer;
import io.billingworker.serde.ConfluentAvroSerializer;
import io.billingworker.serde.MockSchemaRegistry;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.simulator.SessionSimulator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded default: an in-process Kafka broker, the {@code /session} simulator and an in-memory schema
 * registry; publishes sample signups, runs the worker, prints every outcome and a summary, and exits 0 when
 * every signup got exactly one outcome.
 */
@Command(name = "demo", description = "Run the worker end to end on an embedded broker, registry and simulator.")
final class DemoCommand implements Callable<Integer> {

    private static final String MERCHANT = "demo_merchant";
    private static final String KEY_ENV = "DEMO_MERCHANT_API_KEY";
    private static final String REGISTRY = "mock://demo";

    @Option(names = "--timeout-seconds", defaultValue = "90", description = "Give up waiting for outcomes after this long.")
    int timeoutSeconds;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        String apiKey = "demo_" + UUID.randomUUID().toString().replace("-", "");
        out.println("Starting an embedded Kafka broker, the /session simulator and an in-memory schema registry...");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().autoCreateTopics(false).build().start();
                SessionSimulator simulator = SessionSimulator.builder()
                        .merchant(MERCHANT, apiKey)
                        .latency(LatencyModel.uniform(Duration.ofMillis(20), Duration.ofMillis(80)))
                        .start()) {
            simulator.rejectOrder(DemoSignups.REJECTED_ORDER_ID, "invalid_request", "plan sample_fixed_plan is not active");
            simulator.alwaysFail(DemoSignups.EXHAUSTED_ORDER_ID, 503);
            WorkerConfig.Topics topics = new WorkerConfig.Topics("subscription.signups", "billing.sessions.created",
                    "billing.sessions.failed", "subscription.signups.dlt");
            broker.createTopic(topics.input(), 3);
            broker.createTopic(topics.created(), 1);
            broker.createTopic(topics.failed(), 1);
            broker.createTopic(topics.deadLetter(), 1);

            Map<String, String> environment = new HashMap<>(System.getenv());
            environment.put(KEY_ENV, apiKey);
            ConfigSource source = new ConfigSource(Map.of(), environment,
                    demoConfig(broker.bootstrapServers(), simulator.baseUrl()));
            WorkerConfig config = WorkerConfig.from(source);

            int published = publishSamples(broker.bootstrapServers(), topics.input());
            out.printf("Published %d signups to %s (the four billing sample shapes, an invalid event, one the API rejects, "
                    + "one whose retries run out, and one that is not Avro).%n%n", published, topics.input());
            List<String> lines;
            try (Worker worker = new Worker(config, source, new SimpleMeterRegistry(), Clock.systemUTC())) {
                worker.start();
                lines = readOutcomes(broker.bootstrapServers(), topics, published);
            }
            MockSchemaRegistry.drop("demo");
            lines.forEach(out::println);
            long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            long created = lines.stream().filter(line -> line.startsWith("CREATED")).count();
            long failed = lines.stream().filter(line -> line.startsWith("FAILED")).count();
            long dead = lines.stream().filter(line -> line.startsWith("DEAD LETTER")).count();
            out.printf("%nSummary: %d signups -> %d created, %d failed, %d dead-lettered; %d /session requests "
                    + "received by the simulator; %d ms in all.%n", published, created, failed, dead,
                    simulator.requestsReceived(), elapsedMillis);
            if (lines.size() != published) {
                out.printf("Expected %d outcomes, saw %d.%n", published, lines.size());
                return 1;
            }
            return 0;
        }
    }

    private static Map<String, String> demoConfig(String bootstrap, String simulatorUrl) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", bootstrap);
        config.put("kafka.group.id", "billing-session-worker-demo");
        config.put("schema.registry.url", REGISTRY);
        config.put("juspay.base-url", simulatorUrl);
        config.put("juspay.allow-insecure-http", "true");
        config.put("juspay.options.get-upi-deep-links", "true");
        config.put("merchants.ids", MERCHANT);
        config.put("merchants.default", MERCHANT);
        config.put("merchants." + MERCHANT + ".payment-page-client-id", "stageott");
        config.put("merchants." + MERCHANT + ".api-key-env", KEY_ENV);
        config.put("retry.max-attempts", "3");
        config.put("retry.initial-backoff-ms", "100");
        config.put("retry.max-backoff-ms", "400");
        config.put("processing.commit-interval-ms", "200");
        config.put("processing.shutdown-grace-ms", "5000");
        config.put("ops.port", "0");
        return config;
    }

    private static int publishSamples(String bootstrap, String topic) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        List<SubscriptionSignup> signups = DemoSignups.all(Instant.now());
        try (ConfluentAvroSerializer<SubscriptionSignup> serializer = new ConfluentAvroSerializer<>();
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            serializer.configure(Map.of("schema.registry.url", REGISTRY), false);
            for (SubscriptionSignup signup : signups) {
                producer.send(new ProducerRecord<>(topic, signup.getSubscriptionId(),
                        serializer.serialize(topic, signup))).get();
            }
            producer.send(new ProducerRecord<>(topic, "sub_garbage",
                    "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8))).get();
        }
        return signups.size() + 1;
    }

    private List<String> readOutcomes(String bootstrap, WorkerConfig.Topics topics, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        try (ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            deserializer.configure(Map.of("schema.registry.url", REGISTRY, "specific.avro.reader", "true"), false);
            consumer.subscribe(List.of(topics.created(), topics.failed(), topics.deadLetter()));
            while (lines.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(topics.deadLetter())) {
                        lines.add(describeDeadLetter(record));
                    } else {
                        lines.add(describe(record.key(), deserializer.deserialize(record.topic(), record.value())));
                    }
                }
            }
        }
        return lines;
    }

    static String describe(String key, Object value) {
        if (value instanceof BillingSessionCreated created) {
            return String.format("CREATED      %-22s order %-20s status %-11s attempts %d%n             payment link %s%s",
                    key, created.getOrderId(), created.getStatus(), created.getAttempts(),
                    created.getPaymentLinkWeb(),
                    created.getUpiDeepLink() == null ? "" : "\n             UPI deep link " + created.getUpiDeepLink());
        }
        BillingSessionFailed failed = (BillingSessionFailed) value;
        StringBuilder line = new StringBuilder(String.format("FAILED       %-22s %s", key, failed.getReason()));
        if (failed.getHttpStatus() != null) {
            line.append(String.format(" (HTTP %d %s: %s, after %d attempt(s))", failed.getHttpStatus(),
                    failed.getErrorCode(), failed.getErrorMessage(), failed.getAttempts()));
        }
        for (FieldError error : failed.getFieldErrors()) {
            line.append(String.format("%n             %-22s %-12s %s", error.getField(), error.getCode(), error.getMessage()));
        }
        return line.toString();
    }

    static String describeDeadLetter(ConsumerRecord<String, byte[]> record) {
        String status = DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.HTTP_STATUS);
        return String.format("DEAD LETTER  %-22s %s%s after %s attempt(s) (from %s-%s@%s): %s", record.key(),
                DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REASON),
                status == null ? "" : " (last HTTP " + status + ")",
                DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.ATTEMPTS),
                DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.SOURCE_TOPIC),
                DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.SOURCE_PARTITION),
                DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.SOURCE_OFFSET),
                DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE));
    }
}
