package io.billingworker.bench;

import io.billingworker.app.DemoSignups;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.serde.ConfluentAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes benchmark signups to the input topic: either a whole batch serialized beforehand and sent as fast as the
 * broker takes it (the backlog a throughput run drains), or an open-loop stream at a fixed rate whose
 * {@code occurred_at} is each event's scheduled send time, so a producer that falls behind shows up as latency
 * instead of hiding it (no coordinated omission).
 *
 * <p>Every signup is one of Juspay's billing sample shapes (fixed plan, default debit day); its key and
 * subscription id is one of {@code keys} distinct values, taken round-robin.
 */
final class SignupWriter implements AutoCloseable {

    static final String REGISTRY_URL = "mock://" + WorkerLauncher.REGISTRY_SCOPE;

    private final String topic;
    private final int keys;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ConfluentAvroSerializer<SubscriptionSignup> serializer = new ConfluentAvroSerializer<>();
    private final byte[][] keyBytes;

    SignupWriter(String bootstrapServers, String topic, int keys) {
        this(bootstrapServers, topic, keys, REGISTRY_URL);
    }

    /** A writer that registers the signup schema in the registry at {@code registryUrl} (Confluent API). */
    SignupWriter(String bootstrapServers, String topic, int keys, String registryUrl) {
        this.topic = topic;
        this.keys = keys;
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-signup-writer");
        if (!registryUrl.equals(REGISTRY_URL)) {
            // bench --versus writes to topics created moments before: one request in flight, or a fresh partition's
            // first NOT_LEADER_OR_FOLLOWER answer can wedge the idempotent producer in an endless
            // OUT_OF_ORDER_SEQUENCE_NUMBER retry loop (KAFKA-14359; seen here with 12 fresh partitions)
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        }
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        serializer.configure(Map.of("schema.registry.url", registryUrl), false);
        this.keyBytes = new byte[keys][];
        for (int k = 0; k < keys; k++) {
            keyBytes[k] = subscriptionId(k).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The Confluent schema id the signups are written with (registered on first use). */
    int schemaId() {
        byte[] value = serialize(template(0, 0, Instant.now()));
        return ((value[1] & 0xff) << 24) | ((value[2] & 0xff) << 16) | ((value[3] & 0xff) << 8) | (value[4] & 0xff);
    }

    /** Serializes the batch's events beforehand, so that sending them costs only the producer's work. */
    byte[][] prepare(Batch batch) {
        byte[][] values = new byte[batch.size()][];
        Instant now = Instant.now();
        SubscriptionSignup signup = template(batch.id(), 0, now);
        for (int i = 0; i < values.length; i++) {
            values[i] = serialize(fill(signup, batch.id(), i, now));
        }
        return values;
    }

    /** Sends prepared values as fast as the producer goes and waits until the broker has them all. */
    void sendAll(Batch batch, byte[][] values) {
        for (int i = 0; i < values.length; i++) {
            producer.send(new ProducerRecord<>(topic, keyBytes[i % keys], values[i]));
        }
        producer.flush();
        batch.sentAll(values.length);
    }

    /**
     * Sends the batch's events at {@code ratePerSecond}, each with {@code occurred_at} = its scheduled time, until
     * the batch is exhausted or {@code stop} says so. Returns how many were sent.
     */
    int openLoop(Batch batch, double ratePerSecond, BooleanSupplier stop) {
        long intervalNanos = Math.round(1e9 / ratePerSecond);
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        SubscriptionSignup signup = template(batch.id(), 0, Instant.ofEpochMilli(startMillis));
        int sent = 0;
        while (sent < batch.size() && !stop.getAsBoolean()) {
            long due = startNanos + sent * intervalNanos;
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(Math.min(due - now, 1_000_000));
                continue;
            }
            long occurredAt = startMillis + (due - startNanos) / 1_000_000;
            byte[] value = serialize(fill(signup, batch.id(), sent, Instant.ofEpochMilli(occurredAt)));
            batch.sent(sent, occurredAt);
            producer.send(new ProducerRecord<>(topic, keyBytes[sent % keys], value));
            sent++;
        }
        producer.flush();
        return sent;
    }

    @Override
    public void close() {
        producer.close();
        serializer.close();
    }

    private byte[] serialize(SubscriptionSignup signup) {
        return serializer.serialize(topic, signup);
    }

    private SubscriptionSignup template(int batch, int sequence, Instant occurredAt) {
        return DemoSignups.seedShape(subscriptionId(sequence % keys), EventIds.of(batch, sequence), null, null,
                occurredAt);
    }

    private SubscriptionSignup fill(SubscriptionSignup signup, int batch, int sequence, Instant occurredAt) {
        String subscriptionId = subscriptionId(sequence % keys);
        signup.setEventId(EventIds.of(batch, sequence));
        signup.setSubscriptionId(subscriptionId);
        signup.getCustomer().setCustomerId("cth_" + subscriptionId);
        signup.setOccurredAt(occurredAt);
        return signup;
    }

    private static String subscriptionId(int key) {
        return "sub_" + key;
    }
}
