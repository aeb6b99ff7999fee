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
import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.outcome.Outcome;
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
    /** Any outcome: the dispatcher only passes it from the first stage to the second. */
    private static final Outcome DECIDED =
            new Outcome.DeadLetter(DeadLetterReason.INTERNAL_ERROR, null, "decided in a test", null, 0, null);
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
        }), 8, Duration.ZERO);
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
        }), 3, Duration.ZERO);
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
        }), 4, Duration.ZERO);

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
        }), 4, Duration.ZERO);
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
        }), 4, Duration.ZERO);
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
        KeyedDispatcher dispatcher = new KeyedDispatcher(new KeyedDispatcher.Handler() {
            @Override
            public Outcome process(ConsumerRecord<byte[], byte[]> record, Hold hold) throws InterruptedException {
                allStarted.countDown();
                if (record.partition() == 1) {
                    releaseOtherPartition.await();
                    return DECIDED;
                }
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
                return DECIDED;
            }

            @Override
            public void complete(PartitionProgress progress, ConsumerRecord<byte[], byte[]> record, Outcome outcome) {
                progress.completed(record.offset());
            }
        }, 4, Duration.ZERO);
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
    void shouldReportEachStartedRecordThatEndsWithoutAnOutcomeAsAbandonedWhileItStillCountsAsInFlight()
            throws InterruptedException {
        // 0@0 completes; 0@1 is interrupted while processed, 0@2 while completing; 1@0 never starts.
        CountDownLatch twoWaiting = new CountDownLatch(2);
        CountDownLatch never = new CountDownLatch(1);
        List<String> completed = new CopyOnWriteArrayList<>();
        List<String> abandoned = new CopyOnWriteArrayList<>();
        KeyedDispatcher dispatcher = new KeyedDispatcher(new KeyedDispatcher.Handler() {
            @Override
            public Outcome process(ConsumerRecord<byte[], byte[]> record, Hold hold) throws InterruptedException {
                if (record.offset() == 1) {
                    twoWaiting.countDown();
                    never.await();
                }
                return DECIDED;
            }

            @Override
            public void complete(PartitionProgress progress, ConsumerRecord<byte[], byte[]> record, Outcome outcome)
                    throws InterruptedException {
                if (record.offset() == 2) {
                    twoWaiting.countDown();
                    never.await();
                }
                completed.add(record.partition() + "@" + record.offset());
                progress.completed(record.offset());
            }

            @Override
            public void abandoned(ConsumerRecord<byte[], byte[]> record) {
                abandoned.add(record.partition() + "@" + record.offset() + " with " + progress0.inFlightCount()
                        + " in flight");
            }
        }, 4, Duration.ZERO);
        progress1.stopDispatch();
        dispatch(dispatcher, progress0, 0, "sub_a");
        dispatch(dispatcher, progress0, 1, "sub_b");
        dispatch(dispatcher, progress0, 2, "sub_c");
        dispatch(dispatcher, progress1, 0, "sub_d");
        assertThat(twoWaiting.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> completed.size() == 1);

        dispatcher.interrupt(null);
        awaitIdle(dispatcher);

        assertThat(completed).containsExactly("0@0");
        assertThat(abandoned).hasSize(2).allMatch(line -> !line.endsWith(" with 0 in flight"))
                .map(line -> line.substring(0, 3)).containsExactlyInAnyOrder("0@1", "0@2");
        assertThat(progress0.inFlightCount()).isZero();
    }

    @Test
    void shouldLetOtherKeysRunWhileARecordIsHeldWithTheOnlyPermit() throws InterruptedException {
        CountDownLatch heldWaiting = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        AtomicInteger inFlightWhileHeld = new AtomicInteger(-1);
        AtomicInteger heldWhileHeld = new AtomicInteger(-1);
        KeyedDispatcher[] self = new KeyedDispatcher[1];
        KeyedDispatcher dispatcher = new KeyedDispatcher(new KeyedDispatcher.Handler() {
            @Override
            public Outcome process(ConsumerRecord<byte[], byte[]> record, Hold hold) throws InterruptedException {
                if (record.offset() == 0) {
                    heldWaiting.countDown();
                    while (otherDone.getCount() > 0) {
                        hold.await(Duration.ofMillis(20));
                    }
                } else {
                    inFlightWhileHeld.set(self[0].inFlight());
                    heldWhileHeld.set(self[0].held());
                }
                return DECIDED;
            }

            @Override
            public void complete(PartitionProgress progress, ConsumerRecord<byte[], byte[]> record, Outcome outcome) {
                handled.add(record.partition() + "@" + record.offset());
                progress.completed(record.offset());
                if (record.offset() == 1) {
                    otherDone.countDown();
                }
            }
        }, 1, Duration.ZERO);
        self[0] = dispatcher;
        dispatch(dispatcher, progress0, 0, "sub_held");
        assertThat(heldWaiting.await(10, TimeUnit.SECONDS)).isTrue();
        dispatch(dispatcher, progress0, 1, "sub_free");

        awaitIdle(dispatcher);

        assertThat(handled).containsExactly("0@1", "0@0");
        assertThat(inFlightWhileHeld).hasValue(1);
        assertThat(heldWhileHeld.get()).isBetween(0, 1);
        assertThat(progress0.position()).hasValue(2);
    }

    @Test
    void shouldEndAHoldWithHeldTooLongOnceTheBoundIsReached() throws InterruptedException {
        AtomicInteger waits = new AtomicInteger();
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        KeyedDispatcher dispatcher = new KeyedDispatcher(new KeyedDispatcher.Handler() {
            @Override
            public Outcome process(ConsumerRecord<byte[], byte[]> record, Hold hold) throws InterruptedException {
                try {
                    while (true) {
                        waits.incrementAndGet();
                        hold.await(Duration.ofSeconds(30));
                    }
                } catch (HeldTooLongException e) {
                    thrown.add(e);
                    return DECIDED;
                }
            }

            @Override
            public void complete(PartitionProgress progress, ConsumerRecord<byte[], byte[]> record, Outcome outcome) {
                progress.completed(record.offset());
            }
        }, 2, Duration.ofMillis(300));
        long start = System.nanoTime();
        dispatch(dispatcher, progress0, 0, "sub_a");

        awaitIdle(dispatcher);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(thrown).hasSize(1);
        assertThat(thrown.get(0)).isInstanceOf(HeldTooLongException.class)
                .hasMessageContaining("held for 300 ms (processing.max-hold-ms)");
        // The 30 s wait was cut at the bound, not slept through.
        assertThat(tookMillis).isLessThan(WAIT.toMillis());
        assertThat(waits).hasValue(1);
        assertThat(dispatcher.inFlight()).isZero();
        assertThat(dispatcher.held()).isZero();
        assertThat(progress0.position()).hasValue(1);
    }

    @Test
    void shouldRefuseACapBelowOne() {
        assertThatThrownBy(() -> new KeyedDispatcher(handler(record -> {
        }), 0, Duration.ZERO))
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
        return new KeyedDispatcher.Handler() {
            @Override
            public Outcome process(ConsumerRecord<byte[], byte[]> record, Hold hold) throws InterruptedException {
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
                return DECIDED;
            }

            @Override
            public void complete(PartitionProgress progress, ConsumerRecord<byte[], byte[]> record, Outcome outcome) {
                handled.add(record.partition() + "@" + record.offset());
                progress.completed(record.offset());
            }
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
