package io.billingworker.reliability;

import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.BillingSessionFailed;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.config.WorkerConfig;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.serde.ConfluentAvroDeserializer;
import io.billingworker.testsupport.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * Reads the three outbound topics from the beginning ({@code read_committed}) and accounts for every event id:
 * which outcome kinds it got, how often, and in which order per key. The checks of the fault matrix (none lost,
 * exactly one outcome kind per event, duplicates, per-key order) are computed here from what landed.
 */
final class OutcomeLedger implements AutoCloseable {

    /** One outcome record as it landed. */
    record Seen(Kind kind, String key, String eventId, long offset, long timestamp, Object value, Headers headers) {

        BillingSessionCreated created() {
            return (BillingSessionCreated) value;
        }

        BillingSessionFailed failed() {
            return (BillingSessionFailed) value;
        }

        /** A dead-letter header as text, or null. */
        String header(String name) {
            return DeadLetterHeaders.text(headers, name);
        }
    }

    enum Kind { CREATED, FAILED, DEAD_LETTER }

    private final String bootstrapServers;
    private final WorkerConfig.Topics topics;
    private final ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();

    OutcomeLedger(String bootstrapServers, WorkerConfig.Topics topics, String registryUrl) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topics = Objects.requireNonNull(topics, "topics");
        deserializer.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.reader", "true"), false);
    }

    /**
     * Reads until at least {@code expectedEvents} distinct event ids have an outcome and nothing new arrived for
     * {@code quiet}, or {@code timeout} passed.
     */
    Snapshot await(int expectedEvents, Duration timeout, Duration quiet) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerProps())) {
            List<TopicPartition> partitions = partitionsOf(consumer, topics);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<Seen> seen = new ArrayList<>();
            Map<String, Boolean> distinct = new HashMap<>();
            long lastNew = System.nanoTime();
            while (System.nanoTime() < deadline) {
                int before = seen.size();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Seen one = toSeen(record);
                    seen.add(one);
                    distinct.put(one.eventId() == null ? "?" + one.key() + "@" + one.offset() : one.eventId(), true);
                }
                if (seen.size() > before) {
                    lastNew = System.nanoTime();
                } else if (distinct.size() >= expectedEvents && System.nanoTime() - lastNew >= quiet.toNanos()) {
                    break;
                }
            }
            return new Snapshot(seen);
        }
    }

    @Override
    public void close() {
        deserializer.close();
    }

    /**
     * The partitions of the three outbound topics. A topic created a moment ago may not be in the broker's metadata
     * yet, and {@code partitionsFor} then answers an empty list: ask again until every topic is known.
     */
    static List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, WorkerConfig.Topics topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (String topic : List.of(topics.created(), topics.failed(), topics.deadLetter())) {
            List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            while (infos.isEmpty() && System.nanoTime() < deadline) {
                sleep();
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            }
            if (infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " is not known to the broker");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return partitions;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Seen toSeen(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.topic().equals(topics.created())) {
            BillingSessionCreated value = (BillingSessionCreated) deserializer.deserialize(record.topic(), record.value());
            return new Seen(Kind.CREATED, key, value.getEventId(), record.offset(), record.timestamp(), value,
                    record.headers());
        }
        if (record.topic().equals(topics.failed())) {
            BillingSessionFailed value = (BillingSessionFailed) deserializer.deserialize(record.topic(), record.value());
            return new Seen(Kind.FAILED, key, value.getEventId(), record.offset(), record.timestamp(), value,
                    record.headers());
        }
        return new Seen(Kind.DEAD_LETTER, key, originalEventId(record), record.offset(), record.timestamp(),
                record.value(), record.headers());
    }

    /** The event id of a dead-lettered record when its original value still decodes, else null. */
    private String originalEventId(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null || record.value().length == 0) {
            return null;
        }
        try {
            Object value = deserializer.deserialize(topics.input(), record.value());
            return value instanceof SubscriptionSignup signup ? signup.getEventId() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Map<String, Object> readerProps() {
        Map<String, Object> props = KafkaFixture.readCommittedProps(bootstrapServers);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        return props;
    }

    /** Everything read, with the accounting the fault matrix asserts on. */
    record Snapshot(List<Seen> all) {

        Snapshot {
            all = List.copyOf(all);
        }

        /** Outcomes per event id, in the order they landed (per topic). */
        Map<String, List<Seen>> byEvent() {
            Map<String, List<Seen>> byEvent = new LinkedHashMap<>();
            for (Seen seen : all) {
                if (seen.eventId() != null) {
                    byEvent.computeIfAbsent(seen.eventId(), id -> new ArrayList<>()).add(seen);
                }
            }
            return byEvent;
        }

        /** Outcomes per record key, in the order they landed (per topic). */
        Map<String, List<Seen>> byKey() {
            Map<String, List<Seen>> byKey = new TreeMap<>();
            for (Seen seen : all) {
                byKey.computeIfAbsent(String.valueOf(seen.key()), id -> new ArrayList<>()).add(seen);
            }
            return byKey;
        }

        /** Event ids of {@code expected} with no outcome at all. */
        List<String> lost(List<String> expected) {
            Map<String, List<Seen>> byEvent = byEvent();
            return expected.stream().filter(id -> !byEvent.containsKey(id)).toList();
        }

        /** Event ids whose outcomes are of more than one kind (created and dead letter, say). */
        List<String> mixedKinds() {
            return byEvent().entrySet().stream()
                    .filter(entry -> entry.getValue().stream().map(Seen::kind).distinct().count() > 1)
                    .map(Map.Entry::getKey)
                    .toList();
        }

        /** Outcome records beyond the first of each event (re-deliveries). */
        int duplicates() {
            return byEvent().values().stream().mapToInt(list -> list.size() - 1).sum();
        }

        /** How many events ended as {@code kind}. */
        long events(Kind kind) {
            return byEvent().values().stream().filter(list -> list.getFirst().kind() == kind).count();
        }

        /**
         * Keys whose created outcomes, counting each event's first appearance only, are not in publishing order.
         *
         * @param sequence the publishing position of each event id within its key
         */
        List<String> outOfOrderKeys(Map<String, Integer> sequence) {
            Map<String, List<Integer>> firstSeen = new TreeMap<>();
            Map<String, Boolean> counted = new HashMap<>();
            for (Seen seen : all) {
                if (seen.kind() == Kind.CREATED && counted.putIfAbsent(seen.eventId(), true) == null) {
                    firstSeen.computeIfAbsent(seen.key(), key -> new ArrayList<>()).add(sequence.get(seen.eventId()));
                }
            }
            List<String> broken = new ArrayList<>();
            firstSeen.forEach((key, positions) -> {
                for (int i = 1; i < positions.size(); i++) {
                    if (positions.get(i) == null || positions.get(i - 1) == null
                            || positions.get(i) < positions.get(i - 1)) {
                        broken.add(key);
                        return;
                    }
                }
            });
            return broken;
        }
    }
}
