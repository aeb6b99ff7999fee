package io.billingworker.replay;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads the whole dead-letter topic up to the end offsets captured at its start, outside any consumer group (so
 * nothing is committed), and builds a {@link DltReport}.
 */
public final class DltInspector {

    private final KafkaSettings kafka;
    private final Clock clock;
    private final Duration timeout;

    public DltInspector(KafkaSettings kafka, Clock clock, Duration timeout) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * @throws ReplayException when the broker or the topic is missing
     */
    public DltReport inspect(String topic, int samplesPerReason) {
        int partitionCount = KafkaTopics.partitionCounts(kafka,
                Map.of(topic, "dead-letter topic (topics.dead-letter or --dlt-topic)"), timeout).get(topic);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int partition = 0; partition < partitionCount; partition++) {
            partitions.add(new TopicPartition(topic, partition));
        }
        try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumerProps(null,
                "billing-dlt-inspect-" + UUID.randomUUID().toString().substring(0, 8)))) {
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            List<PartitionPlan> ranges = partitions.stream()
                    .map(partition -> new PartitionPlan(partition.partition(), starts.get(partition),
                            ends.get(partition)))
                    .toList();
            ReplayPlan plan = new ReplayPlan(ranges, false);
            DltReport report = new DltReport(topic, plan, clock, samplesPerReason);
            ReplayListener collect = new ReplayListener() {
                @Override
                public void replayed(DeadLetterRecord record) {
                    report.add(record);
                }

                @Override
                public void refused(DeadLetterRecord record) {
                    report.add(record);
                }
            };
            ReplaySelection everything = ReplaySelection.builder().maxReplays(Integer.MAX_VALUE).build();
            new Replayer(new KafkaDeadLetterSource(consumer, topic, plan, null), new DiscardingSink(), everything,
                    new RateLimiter(Rate.UNLIMITED, clock, StopSignal.noSleep()), collect, new StopSignal(), clock,
                    Replayer.Settings.defaults()).run(plan);
            return report;
        } catch (TimeoutException e) {
            throw new ReplayException(ReplayException.Kind.UNAVAILABLE, "no answer from Kafka at "
                    + kafka.bootstrapServers() + " within " + timeout.toSeconds() + " s while reading offsets of "
                    + topic, e);
        }
    }
}
