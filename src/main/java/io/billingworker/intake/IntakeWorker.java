package io.billingworker.intake;

import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.outcome.KafkaOutcomePublisher;
import io.billingworker.outcome.Outcome;
import io.billingworker.outcome.OutcomePublisher;
import io.billingworker.outcome.OutcomeUnwritableException;
import io.billingworker.outcome.PublisherFailedException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop: fetches signup records, hands them to the {@link KeyedDispatcher} (concurrent across
 * keys, ordered within a key), publishes each outcome, and commits offsets only up to the first record whose
 * outcome is not yet published.
 *
 * <p>Exactly-once: each outcome is serialized when its record finishes but written into the transaction on the
 * polling thread, in offset order, right before the transaction that also commits its offset (see
 * {@link PartitionProgress#releaseInOrder()}).
 *
 * <p>All consumer calls happen on the thread that runs {@link #run()}: pausing (buffer full, shutdown), resuming,
 * committing and the rebalance callbacks. Fetching never pauses for one merchant's trouble: a record that must wait
 * (its merchant's breaker open, throttled, registry unreachable) waits in the buffer without a concurrency permit, at
 * most {@code processing.max-hold-ms}, and counts toward {@code processing.max-buffered}.
 *
 * <p>Publishing: retriable producer errors are retried; an outcome the broker refuses for good is replaced by a
 * {@code OUTCOME_UNWRITABLE} dead letter; when even that is refused, or the producer itself fails, the loop stops with
 * {@link #failure()} set (the {@code run} command then exits non-zero).
 */
public final class IntakeWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(IntakeWorker.class);
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(5);
    private static final Duration COMMITTED_TIMEOUT = Duration.ofSeconds(30);

    private final Consumer<byte[], byte[]> consumer;
    private final RecordProcessor processor;
    private final OutcomePublisher publisher;
    private final OffsetCommitter committer;
    /** The transactional publisher in exactly-once mode, else null. */
    private final KafkaOutcomePublisher transactional;
    private final IntakeSettings settings;
    private final IntakeListener listener;
    private final KeyedDispatcher dispatcher;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean running;
    private volatile RuntimeException failure;
    /** A record thread's fatal publishing error, rethrown by the polling thread to stop the loop. */
    private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
    private String pausedReason;
    /** After a buffer-full pause, fetching resumes once no more than this many records are buffered. */
    private final int resumeBelow;

    public IntakeWorker(
            Consumer<byte[], byte[]> consumer,
            RecordProcessor processor,
            OutcomePublisher publisher,
            IntakeSettings settings,
            IntakeListener listener) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.transactional = publisher instanceof KafkaOutcomePublisher kafka && kafka.isTransactional()
                ? kafka : null;
        this.committer = transactional != null
                ? OffsetCommitter.transactional(consumer, transactional)
                : OffsetCommitter.consumer(consumer);
        this.dispatcher = new KeyedDispatcher(new Stages(), settings.maxInFlight(), settings.maxHold());
        this.resumeBelow = resumeLevel(settings);
    }

    /**
     * The buffered count at or below which fetching resumes after the buffer was full: three quarters of
     * {@code max-buffered}, but never below {@code max-in-flight}, so that the records buffered keep every concurrency
     * permit busy while the next fetch arrives.
     */
    static int resumeLevel(IntakeSettings settings) {
        return Math.max(settings.maxInFlight(), settings.maxBuffered() - settings.maxBuffered() / 4);
    }

    @Override
    public void run() {
        running = true;
        try {
            consumer.subscribe(List.of(settings.inputTopic()), new Rebalance());
            long nextCommit = System.nanoTime() + settings.commitInterval().toNanos();
            while (!stopRequested) {
                throwIfFatal();
                updateFetching();
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(settings.pollTimeout());
                } catch (WakeupException e) {
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    dispatch(record);
                }
                if (System.nanoTime() - nextCommit >= 0) {
                    commit(false);
                    nextCommit = System.nanoTime() + settings.commitInterval().toNanos();
                }
            }
            drainAndCommit(Set.copyOf(progress.keySet()), settings.shutdownGrace());
            throwIfFatal();
        } catch (RuntimeException e) {
            failure = e;
            log.error("worker stopped by an unrecoverable error; records without a published outcome are processed "
                    + "again after a restart", e);
            // Stop every partition first, so no queued record of a key starts after an earlier one was abandoned.
            progress.values().forEach(PartitionProgress::stopDispatch);
            dispatcher.interrupt(null);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                log.warn("closing the consumer failed: {}", e.toString());
            }
            running = false;
            stopped.countDown();
        }
    }

    /** Asks the loop to stop: stop fetching, finish calls in flight within the grace period, commit, close. */
    public void stop() {
        stopRequested = true;
        consumer.wakeup();
    }

    /** Waits for the loop to end. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The error that ended the loop, or null. */
    public RuntimeException failure() {
        return failure;
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * Records fetched and not yet finished, plus finished records above an older open record of their partition
     * (their offsets wait in the commit's metadata until the position passes them).
     */
    public int buffered() {
        return dispatcher.buffered() + finishedAbove();
    }

    /**
     * Records being processed now: decoded, mapped and calling the API, at most {@code maxInFlight}. Records whose
     * outcome is being published no longer count.
     */
    public int inFlight() {
        return dispatcher.inFlight();
    }

    /** Records waiting without a concurrency permit: breaker open, throttled, registry unreachable, backing off. */
    public int held() {
        return dispatcher.held();
    }

    /**
     * Age of the oldest fetched record that is not finished, over all assigned partitions; zero when none is open.
     * The committed position cannot pass that record, so an age that keeps growing is a frozen partition.
     */
    public Duration oldestUnfinishedAge() {
        long now = System.nanoTime();
        long oldest = 0;
        for (PartitionProgress partitionProgress : progress.values()) {
            oldest = Math.max(oldest, partitionProgress.oldestOpenAgeNanos(now));
        }
        return Duration.ofNanos(oldest);
    }

    /** Keys with records waiting or in flight. */
    public int activeKeys() {
        return dispatcher.activeKeys();
    }

    /** Partitions currently paused, or 0. */
    public int pausedPartitions() {
        return pausedReason == null ? 0 : progress.size();
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress partitionProgress = progress.get(partition);
        if (partitionProgress == null) {
            log.warn("record of unassigned partition {} ignored", partition);
            return;
        }
        if (!partitionProgress.fetched(record.offset())) {
            // Finished before this assignment: the committed metadata names it; no second call, no second outcome.
            notifyListener(() -> listener.skipped(record));
            return;
        }
        notifyListener(() -> listener.consumed(record));
        dispatcher.dispatch(partitionProgress, record);
    }

    /** A record's two stages: its outcome under a concurrency permit, then publishing it without one. */
    private final class Stages implements KeyedDispatcher.Handler {

        @Override
        public Outcome process(ConsumerRecord<byte[], byte[]> record, Hold hold) throws InterruptedException {
            try {
                return processor.process(record, hold);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || stopRequested && isInterruption(e)) {
                    // Cut short by a drain or shutdown: nothing was decided, the record runs again.
                    Thread.interrupted();
                    throw new InterruptedException("interrupted: " + e);
                }
                log.error("unexpected error processing {}-{}@{}; sending it to the dead-letter topic",
                        record.topic(), record.partition(), record.offset(), e);
                return new Outcome.DeadLetter(DeadLetterReason.INTERNAL_ERROR, e.getClass().getName(),
                        "unexpected error: " + e.getClass().getSimpleName(), null, 0, null);
            }
        }

        @Override
        public void complete(PartitionProgress partitionProgress, ConsumerRecord<byte[], byte[]> record,
                Outcome outcome) throws InterruptedException {
            if (transactional != null) {
                // Written by the polling thread in offset order just before the transaction that commits its offset.
                ProducerRecord<byte[], byte[]> prepared = prepareUntilDone(record, outcome);
                partitionProgress.completed(record.offset(), () -> transactional.sendInTransaction(prepared));
            } else {
                Outcome published = publishUntilDone(record, outcome);
                partitionProgress.completed(record.offset());
                notifyListener(() -> listener.published(record, published));
                return;
            }
            notifyListener(() -> listener.published(record, outcome));
        }

        @Override
        public void abandoned(ConsumerRecord<byte[], byte[]> record) {
            notifyListener(() -> listener.abandoned(record));
        }
    }

    private static boolean isInterruption(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || t instanceof org.apache.kafka.common.errors.InterruptException) {
                return true;
            }
        }
        return false;
    }

    /** Stops the loop from a record thread: the record is abandoned (processed again after a restart). */
    private InterruptedException fail(RuntimeException error) {
        fatal.compareAndSet(null, error);
        // No later record of any key may start once one was abandoned.
        progress.values().forEach(PartitionProgress::stopDispatch);
        consumer.wakeup();
        return new InterruptedException("worker stopping: " + error.getMessage());
    }

    private void throwIfFatal() {
        RuntimeException error = fatal.get();
        if (error != null) {
            throw error;
        }
    }

    /** A failing listener (metrics, logs) must never leave a record or its key stuck. */
    private static void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("intake listener failed: {}", e.toString());
        }
    }

    private ProducerRecord<byte[], byte[]> prepareUntilDone(ConsumerRecord<byte[], byte[]> record, Outcome outcome)
            throws InterruptedException {
        long backoffMillis = 100;
        while (true) {
            try {
                return transactional.prepare(record, outcome);
            } catch (RuntimeException e) {
                log.warn("serializing the {} outcome of {}-{}@{} failed, retrying in {} ms: {}", outcome.kind(),
                        record.topic(), record.partition(), record.offset(), backoffMillis, e.toString());
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    /**
     * Publishes the outcome, retrying retriable failures; returns the outcome published: the given one, or a
     * {@code OUTCOME_UNWRITABLE} dead letter in its place when the broker refuses it for good.
     */
    private Outcome publishUntilDone(ConsumerRecord<byte[], byte[]> record, Outcome outcome)
            throws InterruptedException {
        long backoffMillis = 100;
        Outcome current = outcome;
        while (true) {
            try {
                publisher.publish(record, current);
                return current;
            } catch (OutcomeUnwritableException e) {
                if (current instanceof Outcome.DeadLetter) {
                    throw fail(new PublisherFailedException("the dead-letter topic " + e.topic() + " refuses the record "
                            + record.topic() + "-" + record.partition() + "@" + record.offset() + " ("
                            + e.getCause() + "); stopping, since no outcome of it can be written", e));
                }
                log.error("the {} outcome of {}-{}@{} can never be written ({}); dead-lettering the signup as "
                        + "OUTCOME_UNWRITABLE", current.kind(), record.topic(), record.partition(), record.offset(),
                        e.getMessage());
                current = unwritable(current, e);
            } catch (PublisherFailedException e) {
                throw fail(e);
            } catch (RuntimeException e) {
                log.warn("publishing the {} outcome of {}-{}@{} failed, retrying in {} ms: {}", current.kind(),
                        record.topic(), record.partition(), record.offset(), backoffMillis, e.toString());
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    private static Outcome.DeadLetter unwritable(Outcome refused, OutcomeUnwritableException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String message = "the " + refused.kind() + " outcome could not be written to " + e.topic() + ": "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return switch (refused) {
            case Outcome.Created created -> new Outcome.DeadLetter(DeadLetterReason.OUTCOME_UNWRITABLE,
                    cause.getClass().getName(), message, null, created.value().getAttempts(),
                    created.value().getMerchantId());
            case Outcome.Failed failed -> new Outcome.DeadLetter(DeadLetterReason.OUTCOME_UNWRITABLE,
                    cause.getClass().getName(), message, failed.value().getHttpStatus(), failed.value().getAttempts(),
                    failed.value().getMerchantId());
            case Outcome.DeadLetter deadLetter -> deadLetter;
        };
    }

    private void updateFetching() {
        int buffered = buffered();
        // Hysteresis: once full, fetching stays paused until a quarter of the buffer is free again. Resuming at the
        // first free slot would pause and resume every poll under a backlog, and each change costs the broker a fetch
        // session update and a refetch.
        String reason = stopRequested ? "shutdown"
                : buffered >= settings.maxBuffered() ? "buffer-full"
                : "buffer-full".equals(pausedReason) && buffered > resumeBelow ? "buffer-full"
                : null;
        Set<TopicPartition> assignment = consumer.assignment();
        if (reason != null) {
            if (!consumer.paused().containsAll(assignment)) {
                consumer.pause(assignment);
            }
            if (!reason.equals(pausedReason)) {
                // A backlog fills the buffer several times a second: the pauses are counted, and logged at DEBUG.
                if ("shutdown".equals(reason)) {
                    log.info("fetching paused: {} ({} partitions, {} records buffered)", reason, assignment.size(),
                            buffered());
                } else {
                    log.debug("fetching paused: {} ({} partitions, {} records buffered)", reason, assignment.size(),
                            buffered());
                }
                notifyListener(() -> listener.fetching(true, reason, assignment.size()));
            }
        } else {
            Set<TopicPartition> paused = consumer.paused();
            if (!paused.isEmpty()) {
                consumer.resume(paused);
            }
            if (pausedReason != null) {
                log.debug("fetching resumed after {}", pausedReason);
                notifyListener(() -> listener.fetching(false, null, assignment.size()));
            }
        }
        pausedReason = reason;
    }

    /** Finished records above an older open record, over all partitions; they count against max-buffered. */
    private int finishedAbove() {
        int finished = 0;
        for (PartitionProgress partitionProgress : progress.values()) {
            finished += partitionProgress.finishedAboveCount();
        }
        return finished;
    }

    /**
     * Commits every partition whose position or finished offsets above it changed, the latter in the commit's
     * metadata; also closes the open transaction in exactly-once mode.
     */
    private void commit(boolean sync) {
        if (transactional != null) {
            progress.values().forEach(PartitionProgress::releaseInOrder);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<PartitionProgress, OffsetAndMetadata> commits = new HashMap<>();
        for (PartitionProgress partitionProgress : progress.values()) {
            partitionProgress.toCommit(settings.offsetMetadataMaxBytes()).ifPresent(commit -> {
                offsets.put(partitionProgress.partition(), commit);
                commits.put(partitionProgress, commit);
            });
        }
        committer.commit(offsets, sync, () -> commits.forEach(PartitionProgress::committed));
    }

    /**
     * Drains the partitions (records above the highest one started are not started; those below it, and the calls in
     * flight, finish) for up to {@code bound}, then commits, so that the committed position covers every outcome
     * published. What is still running after {@code bound} is interrupted and processed again by the next owner.
     */
    private void drainAndCommit(Set<TopicPartition> partitions, Duration bound) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
        assignment.retainAll(partitions);
        consumer.pause(assignment);
        forEachProgress(partitions, PartitionProgress::drainStarted);
        if (!await(partitions, bound, PartitionProgress::awaitDrained)) {
            log.warn("calls still in flight for {} after {} ms; interrupting them: their records are processed again "
                    + "by the next owner with the same order ids", partitions, bound.toMillis());
            forEachProgress(partitions, PartitionProgress::stopDispatch);
            dispatcher.interrupt(partitions);
            await(partitions, INTERRUPT_WAIT, PartitionProgress::awaitNoneInFlight);
        }
        commitDespiteWakeup();
    }

    /**
     * The final synchronous commit of a drain. {@link #stop()} wakes the consumer up; when that happened while the
     * loop was not inside {@code poll()}, the wake-up is still pending and the next blocking consumer call, this
     * commit, throws it. The exception clears it, so the second attempt commits.
     */
    private void commitDespiteWakeup() {
        try {
            commit(true);
        } catch (WakeupException e) {
            commit(true);
        }
    }

    private void forEachProgress(Collection<TopicPartition> partitions, java.util.function.Consumer<PartitionProgress> action) {
        for (TopicPartition partition : partitions) {
            PartitionProgress partitionProgress = progress.get(partition);
            if (partitionProgress != null) {
                action.accept(partitionProgress);
            }
        }
    }

    /** A wait on one partition until a deadline; true when the condition was reached. */
    @FunctionalInterface
    private interface PartitionWait {
        boolean await(PartitionProgress progress, long deadlineNanos) throws InterruptedException;
    }

    private boolean await(Collection<TopicPartition> partitions, Duration bound, PartitionWait wait) {
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            for (TopicPartition partition : partitions) {
                PartitionProgress partitionProgress = progress.get(partition);
                if (partitionProgress != null && !wait.await(partitionProgress, deadline)) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(partitions);
            int skipped = 0;
            for (TopicPartition partition : partitions) {
                PartitionProgress partitionProgress = new PartitionProgress(partition);
                OffsetAndMetadata commit = committed.get(partition);
                if (commit != null) {
                    partitionProgress.skipFinished(FinishedOffsets.decode(commit.offset(), commit.metadata()));
                    skipped += partitionProgress.toSkip();
                }
                progress.put(partition, partitionProgress);
            }
            log.info("partitions assigned: {}; {} records above their committed positions were finished before and "
                    + "are skipped", partitions, skipped);
        }

        /** The committed positions and metadata; none (everything is processed) when they cannot be read now. */
        private Map<TopicPartition, OffsetAndMetadata> committedOffsets(Collection<TopicPartition> partitions) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions),
                        COMMITTED_TIMEOUT);
                return committed == null ? Map.of() : new HashMap<>(committed);
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("reading the committed offsets of {} failed ({}); records finished before are processed "
                        + "again", partitions, e.toString());
                return Map.of();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Duration bound = stopRequested ? settings.shutdownGrace() : settings.rebalanceDrain();
            log.info("partitions revoked: {}; draining calls in flight for up to {} ms", partitions,
                    bound.toMillis());
            drainAndCommit(Set.copyOf(partitions), bound);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            log.warn("partitions lost: {}; their uncommitted records are processed again by the next owner",
                    partitions);
            partitions.forEach(partition -> {
                PartitionProgress partitionProgress = progress.get(partition);
                if (partitionProgress != null) {
                    partitionProgress.stopDispatch();
                }
            });
            dispatcher.interrupt(Set.copyOf(partitions));
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                PartitionProgress partitionProgress = progress.remove(partition);
                if (partitionProgress != null) {
                    partitionProgress.revoke();
                }
            }
        }
    }
}
