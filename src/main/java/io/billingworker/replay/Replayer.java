package io.billingworker.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The replay loop. Reads each planned partition up to its captured end, decides per record (replay, refuse, skip),
 * sends at the given rate, and keeps progress: every {@link Settings#commitEvery()} records or
 * {@link Settings#commitInterval()}, and when it stops, it waits until everything sent is acknowledged and then
 * commits the first offset not yet handled in each partition. A stop request ends the run after the record in
 * hand; a later run of the same replay resumes at the committed offsets, so no record is replayed twice.
 *
 * <p>Nothing is committed until the first record is sent (or when continuing an earlier run): a run that sends
 * nothing leaves no trace, so its name can be reused with corrected filters.
 */
public final class Replayer {

    /** Limits of a run. */
    public record Settings(long maxCount, int commitEvery, Duration commitInterval, Duration idleTimeout) {
        public Settings {
            if (maxCount < 1 || commitEvery < 1) {
                throw new IllegalArgumentException("maxCount and commitEvery must be positive");
            }
            Objects.requireNonNull(commitInterval, "commitInterval");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
        }

        /** No {@code --max}, commit every 100 records or second, give up after 30 s without records. */
        public static Settings defaults() {
            return new Settings(Long.MAX_VALUE, 100, Duration.ofSeconds(1), Duration.ofSeconds(30));
        }

        public Settings withMaxCount(long max) {
            return new Settings(max, commitEvery, commitInterval, idleTimeout);
        }
    }

    private final DeadLetterSource source;
    private final ReplaySink sink;
    private final ReplaySelection selection;
    private final RateLimiter rateLimiter;
    private final ReplayListener listener;
    private final StopSignal stop;
    private final Clock clock;
    private final Settings settings;

    public Replayer(DeadLetterSource source, ReplaySink sink, ReplaySelection selection, RateLimiter rateLimiter,
            ReplayListener listener, StopSignal stop, Clock clock, Settings settings) {
        this.source = Objects.requireNonNull(source, "source");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.selection = Objects.requireNonNull(selection, "selection");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.stop = Objects.requireNonNull(stop, "stop");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Runs the plan. On {@link InterruptedException} the run stops as if interrupted, commits what was
     * acknowledged, and returns with the thread's interrupt flag set.
     *
     * @throws ReplayFailedException when sending failed (the commit before the failure stands) or records stopped
     *         arriving (what was acknowledged is committed first)
     */
    public ReplayResult run(ReplayPlan plan) {
        Run run = new Run(plan);
        try {
            run.loop();
        } catch (InterruptedException e) {
            run.ending = ReplayResult.Ending.INTERRUPTED;
            run.interrupted = true;
        } finally {
            listener.finished();
        }
        try {
            run.commit();
        } catch (InterruptedException e) {
            run.interrupted = true;
            throw new ReplayFailedException("interrupted while waiting for the broker to acknowledge replayed"
                    + " records; progress up to the previous commit is kept", e);
        } finally {
            if (run.interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (run.failure != null) {
            throw run.failure;
        }
        return run.result();
    }

    private final class Run {
        private final ReplayPlan plan;
        private final Instant started = clock.instant();
        private final Map<Integer, Long> next = new HashMap<>();
        private final Map<Integer, Long> end = new HashMap<>();
        private final Set<Integer> active = new HashSet<>();
        private final Tally replayed = new Tally();
        private final Tally refused = new Tally();
        private long skipped;
        private long handledSinceCommit;
        private Instant lastCommit = started;
        private Instant lastProgress = started;
        private boolean committing;
        private boolean interrupted;
        private ReplayFailedException failure;
        private ReplayResult.Ending ending = ReplayResult.Ending.COMPLETED;

        Run(ReplayPlan plan) {
            this.plan = plan;
            this.committing = plan.resumed();
            for (PartitionPlan partition : plan.partitions()) {
                next.put(partition.partition(), partition.start());
                end.put(partition.partition(), partition.end());
                if (partition.start() < partition.end()) {
                    active.add(partition.partition());
                } else {
                    source.pause(partition.partition());
                }
            }
        }

        void loop() throws InterruptedException {
            while (!active.isEmpty()) {
                if (stop.isRequested()) {
                    ending = ReplayResult.Ending.INTERRUPTED;
                    return;
                }
                List<DeadLetterRecord> batch = source.poll();
                for (DeadLetterRecord record : batch) {
                    if (!handle(record)) {
                        return;
                    }
                }
                advanceToPositions();
                if (idle()) {
                    return;
                }
                maybeCommit();
            }
        }

        /** Handles one record; false when the run must stop before it. */
        private boolean handle(DeadLetterRecord record) throws InterruptedException {
            int partition = record.partition();
            if (!active.contains(partition) || record.offset() < next.get(partition)
                    || record.offset() >= end.get(partition)) {
                return true;
            }
            if (stop.isRequested()) {
                ending = ReplayResult.Ending.INTERRUPTED;
                return false;
            }
            switch (selection.decide(record)) {
                case REPLAY -> {
                    if (replayed.total() >= settings.maxCount()) {
                        ending = ReplayResult.Ending.MAX_REACHED;
                        return false;
                    }
                    rateLimiter.acquire();
                    if (stop.isRequested()) {
                        ending = ReplayResult.Ending.INTERRUPTED;
                        return false;
                    }
                    sink.send(record);
                    committing = true;
                    replayed.add(record);
                    listener.replayed(record);
                }
                case REFUSE -> {
                    refused.add(record);
                    listener.refused(record);
                }
                case SKIP -> {
                    skipped++;
                    listener.skipped(record);
                }
            }
            moveTo(partition, record.offset() + 1);
            handledSinceCommit++;
            maybeCommit();
            return true;
        }

        /** After a whole batch: positions may have moved past offsets that hold no record (transaction markers). */
        private void advanceToPositions() {
            for (Integer partition : Set.copyOf(active)) {
                long position = Math.min(source.position(partition), end.get(partition));
                if (position > next.get(partition)) {
                    moveTo(partition, position);
                }
            }
        }

        private void moveTo(int partition, long offset) {
            next.put(partition, offset);
            lastProgress = clock.instant();
            if (offset >= end.get(partition)) {
                active.remove(partition);
                source.pause(partition);
            }
        }

        /** True (and the failure noted) when records stopped arriving although the plan is not done. */
        private boolean idle() {
            Duration idle = Duration.between(lastProgress, clock.instant());
            if (!active.isEmpty() && idle.compareTo(settings.idleTimeout()) > 0) {
                StringBuilder waiting = new StringBuilder();
                for (Integer partition : active) {
                    waiting.append(waiting.isEmpty() ? "" : ", ").append(partition).append(" at ")
                            .append(next.get(partition)).append(" of ").append(end.get(partition));
                }
                failure = new ReplayFailedException("no records arrived for " + idle.toSeconds()
                        + " s although the dead-letter topic holds more (partition " + waiting + "); is the broker"
                        + " still reachable? Progress is kept: run the same replay again to resume");
                return true;
            }
            return false;
        }

        private void maybeCommit() throws InterruptedException {
            if (handledSinceCommit >= settings.commitEvery()
                    || Duration.between(lastCommit, clock.instant()).compareTo(settings.commitInterval()) >= 0) {
                commit();
            }
        }

        void commit() throws InterruptedException {
            lastCommit = clock.instant();
            handledSinceCommit = 0;
            if (!committing) {
                return;
            }
            sink.flush();
            source.commit(Map.copyOf(next));
        }

        ReplayResult result() {
            long remaining = 0;
            for (PartitionPlan partition : plan.partitions()) {
                remaining += partition.end() - next.get(partition.partition());
            }
            return new ReplayResult(ending, replayed, refused, skipped, remaining, plan,
                    Duration.between(started, clock.instant()));
        }
    }
}
