package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.outcome.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Fetching under a backlog: once the buffer is full, fetching stays paused until a quarter of it is free again, so a
 * backlog does not pause and resume fetching at every finished record.
 */
class IntakeWorkerFetchingTest {

    private static final String TOPIC = "signups";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @Test
    void shouldResumeFetchingOnlyOnceAQuarterOfTheBufferIsFree() throws Exception {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        Semaphore finish = new Semaphore(0);
        AtomicInteger finished = new AtomicInteger();
        RecordProcessor processor = (record, hold) -> {
            finish.acquire();
            return new Outcome.DeadLetter(DeadLetterReason.INTERNAL_ERROR, "test", "test", null, 0, null);
        };
        List<String> fetching = new CopyOnWriteArrayList<>();
        IntakeListener listener = new IntakeListener() {
            @Override
            public void published(ConsumerRecord<byte[], byte[]> record, Outcome outcome) {
                finished.incrementAndGet();
            }

            @Override
            public void fetching(boolean paused, String reason, int partitions) {
                fetching.add((paused ? "paused " + reason : "resumed") + " after " + finished.get());
            }
        };
        // 2 in flight, 8 buffered at most: fetching resumes at 6 buffered.
        IntakeSettings settings = new IntakeSettings(TOPIC, 2, 8, Duration.ofMillis(50), Duration.ofMillis(10),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, 4096);
        assertThat(IntakeWorker.resumeLevel(settings)).isEqualTo(6);
        IntakeWorker worker = new IntakeWorker(consumer, processor, (source, outcome) -> { }, settings, listener);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            for (int offset = 0; offset < 10; offset++) {
                // Each record its own key: all may run, two at a time.
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, ("k" + offset).getBytes(), new byte[] {1}));
            }
        });
        Thread loop = Thread.ofPlatform().name("intake-test").start(worker);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> fetching.contains("paused buffer-full after 0"));

            // Finishing records one by one: fetching stays paused while more than 6 are buffered (finished records
            // above an open one count too), and resumes, once, when 6 or fewer are.
            boolean resumed = false;
            for (int done = 1; done <= 10 && !resumed; done++) {
                finish.release(1);
                int expected = done;
                await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == expected);
                int buffered = worker.buffered();
                if (buffered > 6) {
                    Thread.sleep(100);
                    assertThat(fetching).as("%d buffered", buffered).containsExactly("paused buffer-full after 0");
                } else {
                    await().atMost(Duration.ofSeconds(10)).until(() -> fetching.size() == 2);
                    assertThat(fetching.get(1)).isEqualTo("resumed after " + done);
                    resumed = true;
                }
            }
            assertThat(resumed).as("fetching resumed; events: %s", fetching).isTrue();
        } finally {
            finish.release(100);
            worker.stop();
            assertThat(worker.awaitStopped(Duration.ofSeconds(10))).isTrue();
            loop.join(10_000);
        }
    }
}
