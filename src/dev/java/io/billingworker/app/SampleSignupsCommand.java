package io.billingworker.app;

import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.serde.ConfluentAvroDeserializer;
import io.billingworker.serde.ConfluentAvroSerializer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Publishes sample signups (the four billing sample shapes of docs/contract.md, plus an invalid one) to a running
 * Kafka and schema registry at a steady rate, then prints the created sessions' payment links as they arrive: docker-compose's one-shot
 * producer, so {@code docker compose up} shows links flowing and the dashboard filling.
 */
@Command(name = "produce-samples", mixinStandardHelpOptions = true,
        description = "Publish sample signups to a running broker and registry, then print the payment links created.")
final class SampleSignupsCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--registry-url", required = true,
            description = "Confluent-compatible schema registry URL, e.g. http://schema-registry:8080/apis/ccompat/v7.")
    String registryUrl;

    @Option(names = "--topic", defaultValue = "subscription.signups", description = "Input topic.")
    String topic;

    @Option(names = "--created-topic", defaultValue = "billing.sessions.created", description = "Created outcomes topic.")
    String createdTopic;

    @Option(names = "--count", defaultValue = "300", description = "Signups to publish.")
    int count;

    @Option(names = "--per-second", defaultValue = "5", description = "Publishing rate.")
    int perSecond;

    @Option(names = "--wait-seconds", defaultValue = "120",
            description = "How long to print created sessions after the last signup.")
    int waitSeconds;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || perSecond < 1) {
            out.println("--count and --per-second must be at least 1");
            return 2;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        publish(run);
        int created = printCreated(run);
        out.printf("%d of %d signups of run %s created a session; the rest were invalid, rejected or dead-lettered "
                + "(see the dashboard).%n", created, count, run);
        return 0;
    }

    /** Sample {@code i} of a run: one of the four billing sample shapes, every tenth one invalid (amount with 3 decimals). */
    static SubscriptionSignup sample(String run, int i, Instant now) {
        String id = run + "_" + i;
        // i % 4: fixed or variable plan (amount 20.0), default or custom debit day (1)
        SubscriptionSignup signup = DemoSignups.seedShape("sub_" + id, "evt_" + id, i % 4 >= 2 ? "20.0" : null,
                i % 2 == 1 ? 1 : null, now);
        if (i % 10 == 9) {
            signup.setAmount("1.001");
        }
        return signup;
    }

    private void publish(String run) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        long pauseNanos = Duration.ofSeconds(1).toNanos() / perSecond;
        try (ConfluentAvroSerializer<SubscriptionSignup> serializer = new ConfluentAvroSerializer<>();
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            serializer.configure(Map.of("schema.registry.url", registryUrl), false);
            out.printf("Publishing %d sample signups (run %s) to %s at %d/s...%n", count, run, topic, perSecond);
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                SubscriptionSignup signup = sample(run, i, Instant.now());
                producer.send(new ProducerRecord<>(topic, signup.getSubscriptionId(), serializer.serialize(topic, signup)));
                next += pauseNanos;
                long sleepNanos = next - System.nanoTime();
                if (sleepNanos > 0) {
                    Thread.sleep(Duration.ofNanos(sleepNanos));
                }
            }
            producer.flush();
        }
    }

    private int printCreated(String run) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "sample-reader-" + run);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        String keyPrefix = "sub_" + run + "_";
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        try (ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            deserializer.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.reader", "true"), false);
            consumer.subscribe(List.of(createdTopic));
            while (seen < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && record.key().startsWith(keyPrefix)) {
                        seen++;
                        out.println(DemoCommand.describe(record.key(),
                                deserializer.deserialize(record.topic(), record.value())));
                    }
                }
            }
        }
        return seen;
    }
}
