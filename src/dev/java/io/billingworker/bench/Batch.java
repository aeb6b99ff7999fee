package io.billingworker.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * One batch of benchmark events and what became of each, counted per event id: how many outcomes it got (to find
 * lost and duplicated ones), when the worker decided its first outcome (the outcome record's timestamp: the
 * worker sets it to the decision time, its {@code created_at} or {@code failed_at}; a dead letter's is its send
 * time) and when it became visible to a {@code read_committed} consumer. For open-loop batches
 * the end-to-end latency from {@code occurred_at} to visibility goes into an HdrHistogram.
 *
 * <p>Written by the single outcome-reader thread; read by others through {@link #distinct()} (an atomic whose
 * update follows the array writes) or after the reader stopped.
 */
final class Batch {

    /** Outcome kinds, by the topic they were read from. */
    enum Kind { CREATED, FAILED, DEAD_LETTER }

    private final int id;
    private final int size;
    private final byte[] counts;
    private final long[] publishedAt;
    private final long[] visibleAt;
    private final long[] occurredAt;
    private final Histogram endToEnd = new Histogram(3_600_000L, 3);
    private final AtomicInteger distinct = new AtomicInteger();
    private final int[] byKind = new int[Kind.values().length];
    private volatile int produced;

    Batch(int id, int size, boolean trackLatency) {
        this.id = id;
        this.size = size;
        this.counts = new byte[size];
        this.publishedAt = new long[size];
        this.visibleAt = new long[size];
        this.occurredAt = trackLatency ? new long[size] : null;
    }

    int id() {
        return id;
    }

    int size() {
        return size;
    }

    /** Records that event {@code sequence} occurred at {@code epochMillis} and was sent. */
    void sent(int sequence, long epochMillis) {
        if (occurredAt != null) {
            occurredAt[sequence] = epochMillis;
        }
        produced = Math.max(produced, sequence + 1);
    }

    /** Marks the first {@code count} events as sent (pre-filled batches). */
    void sentAll(int count) {
        produced = count;
    }

    int produced() {
        return produced;
    }

    /** Reader thread only. */
    void outcome(int sequence, Kind kind, long createTime, long visibleMillis) {
        if (sequence < 0 || sequence >= size) {
            return;
        }
        byKind[kind.ordinal()]++;
        if (counts[sequence] < Byte.MAX_VALUE) {
            counts[sequence]++;
        }
        if (counts[sequence] == 1) {
            publishedAt[sequence] = createTime;
            visibleAt[sequence] = visibleMillis;
            if (occurredAt != null && occurredAt[sequence] > 0) {
                endToEnd.recordValue(Math.max(0, visibleMillis - occurredAt[sequence]));
            }
            distinct.incrementAndGet();
        }
    }

    /** Events with at least one outcome. */
    int distinct() {
        return distinct.get();
    }

    /** Waits until the first {@code expected} events all have an outcome; false on timeout. */
    boolean awaitOutcomes(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (distinct.get() < expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            BrokerProcess.sleep(Duration.ofMillis(20));
        }
        return true;
    }

    /** What became of the first {@code count} events; call after the reader stopped or the batch completed. */
    Tally tally(int count) {
        int lost = 0;
        int duplicates = 0;
        for (int i = 0; i < count; i++) {
            if (counts[i] == 0) {
                lost++;
            } else if (counts[i] > 1) {
                duplicates += counts[i] - 1;
            }
        }
        return new Tally(count, count - lost, lost, duplicates, byKind[Kind.CREATED.ordinal()],
                byKind[Kind.FAILED.ordinal()], byKind[Kind.DEAD_LETTER.ordinal()]);
    }

    /** Decision times (ms, the outcome records' timestamps) of the first {@code count} events' outcomes, sorted. */
    long[] sortedPublishTimes(int count) {
        long[] times = Arrays.copyOf(publishedAt, count);
        Arrays.sort(times);
        return times;
    }

    /**
     * Writes {@code occurred_at, published, visible} (epoch ms) of the first {@code count} events as CSV, to see
     * where latency arises: before the worker published (occurred to published) or after (published to visible).
     */
    void writeTimeline(java.nio.file.Path file, int count) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("occurred_at_ms,decided_ms,visible_ms\n");
        for (int i = 0; i < count; i++) {
            csv.append(occurredAt == null ? 0 : occurredAt[i]).append(',').append(publishedAt[i]).append(',')
                    .append(visibleAt[i]).append('\n');
        }
        java.nio.file.Files.writeString(file, csv);
    }

    Histogram endToEnd() {
        return endToEnd;
    }

    /**
     * Outcome counts of a batch.
     *
     * @param events     events sent
     * @param withOutcome events with at least one outcome
     * @param lost       events without any outcome
     * @param duplicates outcomes beyond the first, summed over events
     */
    record Tally(int events, int withOutcome, int lost, int duplicates, int created, int failed, int deadLetters) {

        Tally plus(Tally other) {
            return new Tally(events + other.events, withOutcome + other.withOutcome, lost + other.lost,
                    duplicates + other.duplicates, created + other.created, failed + other.failed,
                    deadLetters + other.deadLetters);
        }

        static Tally empty() {
            return new Tally(0, 0, 0, 0, 0, 0, 0);
        }
    }
}
