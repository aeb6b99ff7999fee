package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.app.DemoSignups;
import io.billingworker.intake.IntakeSettings;
import io.billingworker.intake.IntakeWorker;
import io.billingworker.intake.RecordProcessor;
import io.billingworker.testsupport.MutableClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The {@code occurred_at} of each signup, from its decoding to the end of its record's processing in the consumer
 * loop: the end-to-end latency is measured from it when the outcome is published, and nothing of it is kept for a
 * record that ends without an outcome (its partition revoked, or the worker stopping).
 */
class OccurredAtTrackingTest {

    private static final String TOPIC = "signups";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    /** Records 0 and 2 reach an outcome; 1 and 3 are still being processed when their processing is cut short. */
    private static final Set<Long> STUCK = Set.of(1L, 3L);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
        /** As with the real consumer, a revoked partition no longer counts as paused. */
        @Override
        public synchronized Set<TopicPartition> paused() {
            Set<TopicPartition> paused = new HashSet<>(super.paused());
            paused.retainAll(assignment());
            return paused;
        }
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Decodes a record's one-byte value {@code n} to a signup that occurred {@code n + 1} seconds before now. */
    private final ObservedSignupDeserializer deserializer = new ObservedSignupDeserializer((topic, data) ->
            DemoSignups.seedShape("sub_" + data[0], "evt_" + data[0], null, null, NOW.minusSeconds(data[0] + 1)),
            "m1");
    private final CountDownLatch stuckStarted = new CountDownLatch(STUCK.size());

    @Test
    void shouldMeasureFromOccurredAtAndKeepNothingOfRecordsWhosePartitionIsRevokedMidProcessing() throws Exception {
        IntakeWorker worker = started();
        try {
            awaitTwoPublishedAndTwoStuck();
            int trackedWhileStuck = deserializer.tracked();

            consumer.schedulePollTask(() -> consumer.rebalance(List.of()));
            await().atMost(Duration.ofSeconds(10)).until(() -> deserializer.tracked() == 0);

            assertThat(trackedWhileStuck).isEqualTo(2);
            assertThat(latency().count()).isEqualTo(2);
            assertThat(worker.failure()).isNull();
        } finally {
            stop(worker);
        }
        assertThat(deserializer.tracked()).isZero();
    }

    @Test
    void shouldMeasureFromOccurredAtAndKeepNothingOfRecordsCutShortByAShutdown() throws Exception {
        IntakeWorker worker = started();
        try {
            awaitTwoPublishedAndTwoStuck();
            assertThat(deserializer.tracked()).isEqualTo(2);
        } finally {
            stop(worker);
        }

        assertThat(deserializer.tracked()).isZero();
        assertThat(latency().count()).isEqualTo(2);
        // Offsets 0 and 2: their signups occurred 1 s and 3 s before the outcome.
        assertThat(latency().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4_000.0);
        assertThat(latency().max(TimeUnit.MILLISECONDS)).isEqualTo(3_000.0);
    }

    private IntakeWorker started() {
        RecordProcessor processor = (record, hold) -> {
            deserializer.deserialize(record.topic(), record.headers(), record.value());
            if (STUCK.contains(record.offset())) {
                stuckStarted.countDown();
                new CountDownLatch(1).await();
            }
            return Outcomes.created("m1", 1);
        };
        IntakeMetrics metrics = new IntakeMetrics(registry, new MutableClock(NOW), Set.of("m1"), deserializer);
        IntakeSettings settings = new IntakeSettings(TOPIC, 4, 16, Duration.ofMillis(50), Duration.ofMillis(10),
                Duration.ofMillis(200), Duration.ofMillis(200), Duration.ZERO, 4096);
        IntakeWorker worker = new IntakeWorker(consumer, processor, (source, outcome) -> { }, settings, metrics);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            for (int offset = 0; offset < 4; offset++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, ("k" + offset).getBytes(),
                        new byte[] {(byte) offset}));
            }
        });
        Thread.ofPlatform().name("intake-test").start(worker);
        return worker;
    }

    private void awaitTwoPublishedAndTwoStuck() throws InterruptedException {
        assertThat(stuckStarted.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("billing.outcome.latency").timer() != null
                && latency().count() == 2);
    }

    private Timer latency() {
        return registry.get("billing.outcome.latency").tag("kind", "created").timer();
    }

    private static void stop(IntakeWorker worker) throws InterruptedException {
        worker.stop();
        assertThat(worker.awaitStopped(Duration.ofSeconds(10))).isTrue();
    }
}
