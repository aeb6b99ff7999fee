package io.billingworker.intake;

import io.billingworker.outcome.Outcome;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs records concurrently across keys and strictly one at a time, in offset order, within a key.
 *
 * <p>Each key with pending records has one virtual thread that works through that key's queue. A record goes
 * through two stages on it: {@link Handler#process} (decode, map, call the API) under one of the permits of a shared
 * semaphore that caps the worker's concurrency, then {@link Handler#complete} (publish the outcome) after the permit
 * is released, so waiting for the broker's acknowledgement does not hold API concurrency. The key's next record
 * starts only when both stages are done. Records of a partition whose dispatch was stopped (revocation, shutdown)
 * are not started: they stay uncommitted and are processed again from the committed position.
 *
 * <p>A record that must wait in the first stage (open breaker, throttle, registry outage, retry backoff) waits
 * through its {@link Hold}: the permit is released for the wait and taken again after it, so records that wait never
 * hold up records that could make progress, whichever merchant they belong to. The hold is bounded by
 * {@code maxHold} from the moment the record started.
 */
final class KeyedDispatcher {

    private static final Logger log = LoggerFactory.getLogger(KeyedDispatcher.class);

    /** What to do with one record, in two stages. */
    interface Handler {
        /** Decides the record's outcome; runs holding a concurrency permit, except while it waits through {@code hold}. */
        Outcome process(ConsumerRecord<byte[], byte[]> record, Hold hold) throws InterruptedException;

        /** Publishes the outcome; runs after the permit is released. Returns normally only once it is published. */
        void complete(PartitionProgress progress, ConsumerRecord<byte[], byte[]> record, Outcome outcome)
                throws InterruptedException;

        /**
         * The record started and ended without {@link #complete} returning (interrupted, or an error); called on its
         * thread before the record stops counting as in flight for its partition. Must not throw.
         */
        default void abandoned(ConsumerRecord<byte[], byte[]> record) {
        }
    }

    private record Work(PartitionProgress progress, ConsumerRecord<byte[], byte[]> record) {
    }

    private record KeyId(int partition, String topic, Object key) {
    }

    private final Handler handler;
    private final Semaphore permits;
    private final ThreadFactory threads = Thread.ofVirtual().name("record-", 0).factory();
    private final Map<KeyId, ArrayDeque<Work>> queues = new HashMap<>();
    private final Map<KeyId, Thread> runners = new HashMap<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger uniqueKeys = new AtomicInteger();
    private final long maxHoldNanos;

    /**
     * @param maxHold how long a record may be in processing before a wait gives up with {@link HeldTooLongException};
     *                {@link Duration#ZERO} for no bound
     */
    KeyedDispatcher(Handler handler, int maxInFlight, Duration maxHold) {
        this.handler = Objects.requireNonNull(handler, "handler");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        if (maxHold.isNegative()) {
            throw new IllegalArgumentException("maxHold must not be negative, was " + maxHold);
        }
        this.permits = new Semaphore(maxInFlight, true);
        this.maxHoldNanos = maxHold.toNanos();
    }

    /** Queues a record behind earlier records of its key. Called from the polling thread in offset order. */
    void dispatch(PartitionProgress progress, ConsumerRecord<byte[], byte[]> record) {
        KeyId key = keyOf(record);
        Work work = new Work(progress, record);
        buffered.incrementAndGet();
        synchronized (this) {
            ArrayDeque<Work> queue = queues.get(key);
            if (queue != null) {
                queue.addLast(work);
                return;
            }
            queue = new ArrayDeque<>();
            queue.addLast(work);
            queues.put(key, queue);
            ArrayDeque<Work> ownQueue = queue;
            Thread runner = threads.newThread(() -> drain(key, ownQueue));
            runners.put(key, runner);
            runner.start();
        }
    }

    /** Records dispatched and not yet finished, queued or in flight. */
    int buffered() {
        return buffered.get();
    }

    /** Records in the first stage now (holding a permit: decoding, mapping, calling the API). */
    int inFlight() {
        return inFlight.get();
    }

    /** Records in the first stage waiting without a permit (open breaker, throttle, registry outage, backoff). */
    int held() {
        return held.get();
    }

    /** Keys with records queued or in flight. */
    synchronized int activeKeys() {
        return queues.size();
    }

    /** Interrupts the runners of the given partitions' keys (or of all keys when {@code partitions} is null). */
    synchronized void interrupt(java.util.Set<org.apache.kafka.common.TopicPartition> partitions) {
        List<Thread> targets = new ArrayList<>();
        for (Map.Entry<KeyId, Thread> entry : runners.entrySet()) {
            KeyId key = entry.getKey();
            if (partitions == null
                    || partitions.contains(new org.apache.kafka.common.TopicPartition(key.topic(), key.partition()))) {
                targets.add(entry.getValue());
            }
        }
        targets.forEach(Thread::interrupt);
    }

    private void drain(KeyId key, ArrayDeque<Work> queue) {
        while (true) {
            Work work;
            synchronized (this) {
                work = queue.peekFirst();
            }
            long offset = work.record().offset();
            boolean abandon = !work.progress().mayStart(offset);
            if (!abandon) {
                try {
                    permits.acquire();
                    // Checks the partition's dispatch and counts the record in flight in one step.
                    if (!work.progress().tryStart(offset)) {
                        permits.release();
                        abandon = true;
                    } else {
                        abandon = !run(work);
                    }
                } catch (InterruptedException e) {
                    abandon = true;
                }
            }
            synchronized (this) {
                // An abandoned record has no outcome: it stays uncommitted and is processed again.
                queue.removeFirst();
                buffered.decrementAndGet();
                if (queue.isEmpty()) {
                    queues.remove(key);
                    runners.remove(key);
                    return;
                }
            }
            if (abandon) {
                Thread.interrupted();
            }
        }
    }

    /**
     * Processes one record already counted as started, holding a permit (except while it waits through its hold);
     * releases the permit, then publishes; false when it was interrupted and has no outcome.
     */
    private boolean run(Work work) {
        inFlight.incrementAndGet();
        RecordHold hold = new RecordHold(System.nanoTime());
        boolean completed = false;
        try {
            Outcome outcome = handler.process(work.record(), hold);
            hold.releasePermit();
            handler.complete(work.progress(), work.record(), outcome);
            completed = true;
            return true;
        } catch (InterruptedException e) {
            log.info("record {}-{}@{} interrupted before its outcome was published; it will be processed again",
                    work.record().topic(), work.record().partition(), work.record().offset());
            return false;
        } finally {
            hold.releasePermit();
            try {
                if (!completed) {
                    handler.abandoned(work.record());
                }
            } finally {
                work.progress().finished();
            }
        }
    }

    /** One record's hold: waits without its permit, within the record's hold bound. */
    private final class RecordHold implements Hold {
        private final long startedNanos;
        private boolean holdingPermit = true;

        RecordHold(long startedNanos) {
            this.startedNanos = startedNanos;
        }

        @Override
        public void await(Duration delay) throws InterruptedException {
            long sleepNanos = Math.max(1_000_000L, delay.toNanos());
            if (maxHoldNanos > 0) {
                long leftNanos = startedNanos + maxHoldNanos - System.nanoTime();
                if (leftNanos <= 0) {
                    throw new HeldTooLongException(Duration.ofNanos(maxHoldNanos));
                }
                sleepNanos = Math.min(sleepNanos, leftNanos);
            }
            releasePermit();
            held.incrementAndGet();
            try {
                Thread.sleep(Duration.ofNanos(sleepNanos));
            } finally {
                held.decrementAndGet();
            }
            if (maxHoldNanos > 0 && System.nanoTime() - startedNanos >= maxHoldNanos) {
                throw new HeldTooLongException(Duration.ofNanos(maxHoldNanos));
            }
            permits.acquire();
            inFlight.incrementAndGet();
            holdingPermit = true;
        }

        void releasePermit() {
            if (holdingPermit) {
                holdingPermit = false;
                inFlight.decrementAndGet();
                permits.release();
            }
        }
    }

    private KeyId keyOf(ConsumerRecord<byte[], byte[]> record) {
        Object key = record.key() == null
                ? Integer.valueOf(uniqueKeys.incrementAndGet())
                : ByteBuffer.wrap(record.key());
        return new KeyId(record.partition(), record.topic(), key);
    }
}
