package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KeyedDispatcherTest {

    private static final String TOPIC = "signups";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final PartitionProgress progress0 = new PartitionProgress(P0);
    private final PartitionProgress progress1 = new PartitionProgress(P1);
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> activePerKey = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();
    private final AtomicInteger maxActiveOfOneKey = new AtomicInteger();

    @Test
    void shouldRunTheRecordsOfOneKeyOneAtATimeInDispatchOrder() throws InterruptedException {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        KeyedDispatcher dispatcher = new KeyedDispatcher(handler(record -> {
            if (record.offset() == 0) {
                firstStarted.countDown();
                releaseFirst.await();
            }
        }), 8);
        for (long offset = 0; offset < 5; offset++) {
            dispatch(dispatcher, progress0, offset, "sub_a");
        }
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        int inFlightWhileFirstRuns = dispatcher.inFlight();
        int bufferedWhileFirstRuns = dispatcher.buffered();

        releaseFirst.countDown();
        awaitIdle(dispatcher);

        assertThat(inFlightWhileFirstRuns).isEqualTo(1);
        assertThat(bufferedWhileFirstRuns).isEqualTo(5);
        assertThat(handled).containsExactly("0@0", "0@1", "0@2", "0@3", "0@4");
        assertThat(maxActiveOfOneKey).hasValue(1);
        assertThat(progress0.position()).hasValue(5);
    }

    @Test
    void shouldRunDifferentKeysConcurrentlyUpToTheCapAndNeverAbove() throws InterruptedException {
        CountDownLatch threeStarted = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        KeyedDispatcher dispatcher = new KeyedDispatcher(handler(record -> {
            threeStarted.countDown();
            release.await();
        }), 3);
        for (long offset = 0; offset < 8; offset++) {
            dispatch(dispatcher, offset % 2 == 0 ? progress0 : progress1, offset, "sub_" + offset);
        }
        assertThat(threeStarted.await(10, TimeUnit.SECONDS)).isTrue();
        int inFlightAtCap = dispatcher.inFlight();
        int keysAtCap = dispatcher.activeKeys();

        release.countDown();
        awaitIdle(dispatcher);

        assertThat(inFlightAtCap).isEqualTo(3);
        assertThat(keysAtCap).isEqualTo(8);
        assertThat(maxActive).hasValue(3);
        assertThat(handled).hasSize(8);
        assertThat(progress0.position()).hasValue(7);
        assertThat(progress1.position()).hasValue(8);
    }

    @Test
    void shouldRunRecordsWithoutAKeyConcurrently() throws InterruptedException {
        CountDownLatch bothStarted = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        KeyedDispatcher dispatcher = new KeyedDispatcher(handler(record -> {
            bothStarted.countDown();
            release.await();
        }), 4);

        dispatch(dispatcher, progress0, 0, null);
        dispatch(dispatcher, progress0, 1, null);
        boolean concurrent = bothStarted.await(10, TimeUnit.SECONDS);
        release.countDown();
        awaitIdle(dispatcher);

        assertThat(concurrent).isTrue();
        assertThat(handled).containsExactlyInAnyOrder("0@0", "0@1");
    }

    @Test
    void shouldNotStartRecordsOfAStoppedPartition() {
        KeyedDispatcher dispatcher = new KeyedDispatcher(handler(record -> {
        }), 4);
        progress0.stopDispatch();

        dispatch(dispatcher, progress0, 0, "sub_a");
        dispatch(dispatcher, progress0, 1, "sub_b");
        dispatch(dispatcher, progress1, 0, "sub_c");
        awaitIdle(dispatcher);

        assertThat(handled).containsExactly("1@0");
        assertThat(progress0.position()).hasValue(0);
        assertThat(progress0.inFlightCount()).isZero();
        assertThat(progress1.position()).hasValue(1);
    }

    @Test
    void shouldLeaveRecordsQueuedBehindAKeyWhenItsPartitionStops() throws InterruptedException {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        KeyedDispatcher dispatcher = new KeyedDispatcher(handler(record -> {
            if (record.offset() == 0) {
                firstStarted.countDown();
                releaseFirst.await();
            }
        }), 4);
        dispatch(dispatcher, progress0, 0, "sub_a");
        dispatch(dispatcher, progress0, 1, "sub_a");
        dispatch(dispatcher, progress0, 2, "sub_a");
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();

        progress0.stopDispatch();
        releaseFirst.countDown();
        awaitIdle(dispatcher);

        assertThat(handled).containsExactly("0@0");
        assertThat(progress0.position()).hasValue(1);
    }

    @Test
    void shouldAbandonInterruptedRecordsWithoutCompletingThemAndOnlyInTheGivenPartitions()
            throws InterruptedException {
        CountDownLatch allStarted = new CountDownLatch(3);
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch releaseOtherPartition = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        KeyedDispatcher dispatcher = new KeyedDispatcher((progress, record) -> {
            allStarted.countDown();
            if (record.partition() == 1) {
                releaseOtherPartition.await();
                progress.completed(record.offset());
                return;
            }
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
        }, 4);
        dispatch(dispatcher, progress0, 0, "sub_a");
        dispatch(dispatcher, progress0, 1, "sub_b");
        dispatch(dispatcher, progress1, 0, "sub_c");
        assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();

        progress0.stopDispatch();
        dispatcher.interrupt(Set.of(P0));
        boolean drained = progress0.awaitNoneInFlight(System.nanoTime() + WAIT.toNanos());
        int inFlightOfOtherPartition = progress1.inFlightCount();
        releaseOtherPartition.countDown();
        awaitIdle(dispatcher);

        assertThat(drained).isTrue();
        assertThat(interrupted).hasValue(2);
        assertThat(progress0.position()).hasValue(0);
        assertThat(inFlightOfOtherPartition).isEqualTo(1);
        assertThat(progress1.position()).hasValue(1);
    }

    @Test
    void shouldRefuseACapBelowOne() {
        assertThatThrownBy(() -> new KeyedDispatcher((progress, record) -> {
        }, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxInFlight must be at least 1, was 0");
    }

    /** What a test's handler does with a record before it counts as completed; may block or throw. */
    @FunctionalInterface
    private interface Body {
        void run(ConsumerRecord<byte[], byte[]> record) throws InterruptedException;
    }

    /** A handler that tracks concurrency, runs {@code body}, then completes the record as the worker does. */
    private KeyedDispatcher.Handler handler(Body body) {
        return (progress, record) -> {
            String key = record.key() == null ? "null-" + record.offset()
                    : new String(record.key(), StandardCharsets.UTF_8);
            AtomicInteger ofKey = activePerKey.computeIfAbsent(key, k -> new AtomicInteger());
            maxActiveOfOneKey.accumulateAndGet(ofKey.incrementAndGet(), Math::max);
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                body.run(record);
            } finally {
                active.decrementAndGet();
                ofKey.decrementAndGet();
            }
            handled.add(record.partition() + "@" + record.offset());
            progress.completed(record.offset());
        };
    }

    private static void dispatch(KeyedDispatcher dispatcher, PartitionProgress progress, long offset, String key) {
        progress.fetched(offset);
        dispatcher.dispatch(progress, new ConsumerRecord<>(TOPIC, progress.partition().partition(), offset,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), new byte[] {1}));
    }

    /** Waits until nothing is queued or in flight, then checks every counter is back to zero. */
    private static void awaitIdle(KeyedDispatcher dispatcher) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(WAIT)
                .until(() -> dispatcher.buffered() == 0);
        assertThat(dispatcher.inFlight()).isZero();
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(WAIT)
                .until(() -> dispatcher.activeKeys() == 0);
    }
}
