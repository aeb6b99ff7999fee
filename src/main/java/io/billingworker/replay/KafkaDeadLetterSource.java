package io.billingworker.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads planned dead-letter partitions with an assigned (never subscribed) consumer. Progress is committed to the
 * replay's consumer group with a {@link ProgressMarker} per partition; a read-only source (dry run, inspect)
 * never commits.
 */
final class KafkaDeadLetterSource implements DeadLetterSource {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Map<Integer, ProgressMarker> markers;

    /**
     * @param markers what to commit with each partition's offset; null for a read-only source
     */
    KafkaDeadLetterSource(Consumer<byte[], byte[]> consumer, String topic, ReplayPlan plan,
            Map<Integer, ProgressMarker> markers) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.markers = markers == null ? null : Map.copyOf(markers);
        List<TopicPartition> partitions = plan.partitions().stream()
                .map(partition -> new TopicPartition(topic, partition.partition())).toList();
        consumer.assign(partitions);
        for (PartitionPlan partition : plan.partitions()) {
            consumer.seek(new TopicPartition(topic, partition.partition()), partition.start());
        }
    }

    @Override
    public List<DeadLetterRecord> poll() {
        List<DeadLetterRecord> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
            records.add(DeadLetterRecord.from(record));
        }
        return records;
    }

    @Override
    public long position(int partition) {
        return consumer.position(new TopicPartition(topic, partition));
    }

    @Override
    public void pause(int partition) {
        consumer.pause(List.of(new TopicPartition(topic, partition)));
    }

    @Override
    public void commit(Map<Integer, Long> nextOffsets) {
        if (markers == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffsets.forEach((partition, offset) -> offsets.put(new TopicPartition(topic, partition),
                new OffsetAndMetadata(offset, markers.get(partition).encode())));
        consumer.commitSync(offsets);
    }
}
