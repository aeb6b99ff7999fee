package io.billingworker.intake;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Offset bookkeeping of one assigned partition: which fetched records are still open and how far the
 * committed position may advance. The position only moves past a record once its outcome is published,
 * so a crash can only cause records after the committed position to be processed again.
 *
 * <p>Records finished above the position (other keys finish ahead of an older open record) are recorded in the
 * commit's metadata ({@link #metadataToCommit(int)}, {@link FinishedOffsets}); whoever gets the partition next skips
 * them ({@link #skipFinished}), so a crash repeats only what was unfinished, not everything above the oldest open
 * record.
 *
 * <p>Exactly-once: a completed record's outcome is held ({@link #completed(long, Runnable)}) and written into the
 * transaction by {@link #releaseInOrder()}, in offset order, right before the transaction commits; the offsets it
 * commits carry the finished offsets above the position in their metadata. A transaction then holds exactly the
 * outcomes of the records below the committed position plus those the metadata names, so a crash cannot make an
 * outcome appear twice.
 *
 * <p>One instance per assignment: when a partition is revoked and assigned again, a new instance is made,
 * and late completions of the old one change nothing. Thread-safe.
 */
final class PartitionProgress {

    private final TopicPartition partition;
    private final ArrayDeque<Long> open = new ArrayDeque<>();
    /** When each record of {@link #open} was fetched ({@link System#nanoTime()}), in the same order. */
    private final ArrayDeque<Long> fetchedAt = new ArrayDeque<>();
    private final TreeSet<Long> doneOutOfOrder = new TreeSet<>();
    /** Offsets finished before this assignment (from the committed metadata): skipped when fetched. */
    private final TreeSet<Long> skip = new TreeSet<>();
    private final Map<Long, Runnable> heldWrites = new HashMap<>();
    private long nextPosition = -1;
    private long lastCommitted = -1;
    private String lastCommittedMetadata = "";
    private boolean revoked;
    private boolean dispatchStopped;
    private long highestStarted = -1;
    private long drainLimit = Long.MAX_VALUE;
    private int inFlight;

    PartitionProgress(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    /**
     * Registers a fetched record; offsets arrive in increasing order.
     *
     * @return false when the record was already finished before this assignment (the committed metadata says so): it
     *         counts as completed at once and must not be processed
     */
    synchronized boolean fetched(long offset) {
        if (nextPosition == -1 && open.isEmpty()) {
            nextPosition = offset;
        }
        open.addLast(offset);
        fetchedAt.addLast(System.nanoTime());
        if (!skip.isEmpty() && skip.remove(offset)) {
            completed(offset);
            return false;
        }
        return true;
    }

    /**
     * The finished offsets above the committed position that the previous owner recorded; their records are skipped
     * when fetched. Called before the first fetch of this assignment.
     */
    synchronized void skipFinished(SortedSet<Long> finished) {
        skip.addAll(finished);
    }

    /** Offsets still to be skipped when fetched. */
    synchronized int toSkip() {
        return skip.size();
    }

    /**
     * How long ago the oldest record that holds the position back was fetched, in nanoseconds; 0 when none is
     * open. The committed position cannot pass it, so this age growing without bound means a frozen partition.
     */
    synchronized long oldestOpenAgeNanos(long nowNanos) {
        Long oldest = fetchedAt.peekFirst();
        return oldest == null ? 0 : Math.max(0, nowNanos - oldest);
    }

    private long removeFirstOpen() {
        fetchedAt.removeFirst();
        return open.removeFirst();
    }

    /** Marks a record's outcome as published. */
    synchronized void completed(long offset) {
        if (revoked) {
            return;
        }
        if (!open.isEmpty() && open.peekFirst() == offset) {
            removeFirstOpen();
            nextPosition = offset + 1;
            while (!open.isEmpty() && doneOutOfOrder.remove(open.peekFirst())) {
                nextPosition = removeFirstOpen() + 1;
            }
        } else {
            doneOutOfOrder.add(offset);
        }
    }

    /**
     * Exactly-once: marks a record's outcome as ready; {@code write} puts it into the open transaction and runs later,
     * from {@link #releaseInOrder()}, once every older record of the partition was written.
     */
    synchronized void completed(long offset, Runnable write) {
        if (revoked) {
            return;
        }
        heldWrites.put(offset, write);
    }

    /**
     * Exactly-once: writes the held outcomes into the open transaction in offset order and moves the position past
     * every finished record at its head; finished records above an open one are then named in the commit's metadata.
     * Called on the polling thread right before the transaction commits, so the transaction holds exactly the outcomes
     * below the offsets it commits and those its metadata names. A write that throws stays held for the next release.
     */
    synchronized void releaseInOrder() {
        if (revoked) {
            return;
        }
        for (Long offset : new TreeSet<>(heldWrites.keySet())) {
            heldWrites.get(offset).run();
            heldWrites.remove(offset);
            doneOutOfOrder.add(offset);
        }
        while (!open.isEmpty() && doneOutOfOrder.remove(open.peekFirst())) {
            nextPosition = removeFirstOpen() + 1;
        }
    }

    /**
     * Records finished above the position: published (at-least-once) or ready (exactly-once) while an older record of
     * the partition is still open. They count toward {@code processing.max-buffered}.
     */
    synchronized int finishedAboveCount() {
        return doneOutOfOrder.size() + heldWrites.size();
    }

    /** Exactly-once: outcomes ready and not yet written. */
    synchronized int heldCount() {
        return heldWrites.size();
    }

    /** Records fetched and not yet completed (exactly-once: held outcomes count as completed). */
    synchronized int openCount() {
        return open.size() - doneOutOfOrder.size() - heldWrites.size();
    }

    /** The offset to commit (the next record to process) when it moved since the last commit. */
    synchronized OptionalLong positionToCommit() {
        if (nextPosition < 0 || nextPosition == lastCommitted) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(nextPosition);
    }

    /**
     * What to commit now: the position and, as metadata, the finished offsets above it (at most {@code maxBytes}
     * characters, see {@link FinishedOffsets}); empty when neither changed since the last commit.
     */
    synchronized Optional<OffsetAndMetadata> toCommit(int maxBytes) {
        if (nextPosition < 0) {
            return Optional.empty();
        }
        String metadata = FinishedOffsets.encode(nextPosition, doneOutOfOrder, maxBytes);
        if (nextPosition == lastCommitted && metadata.equals(lastCommittedMetadata)) {
            return Optional.empty();
        }
        return Optional.of(new OffsetAndMetadata(nextPosition, metadata));
    }

    /** The committable position, whether or not it changed; empty before anything completed. */
    synchronized OptionalLong position() {
        return nextPosition < 0 ? OptionalLong.empty() : OptionalLong.of(nextPosition);
    }

    synchronized void committed(long position) {
        lastCommitted = Math.max(lastCommitted, position);
    }

    synchronized void committed(OffsetAndMetadata committed) {
        if (committed.offset() >= lastCommitted) {
            lastCommitted = committed.offset();
            lastCommittedMetadata = committed.metadata();
        }
    }

    /**
     * The record at {@code offset} starts, unless dispatch was stopped, or the partition is draining and the record
     * lies above every record started before the drain. Checking and counting at once means that once
     * {@link #stopDispatch()} returned, {@link #awaitNoneInFlight} cannot miss a record that starts later.
     *
     * @return false when the record must not start (it stays uncommitted and is processed again)
     */
    synchronized boolean tryStart(long offset) {
        if (!mayStart(offset)) {
            return false;
        }
        inFlight++;
        highestStarted = Math.max(highestStarted, offset);
        return true;
    }

    /** A record of this partition finished, published or abandoned. */
    synchronized void finished() {
        inFlight--;
        notifyAll();
    }

    synchronized int inFlightCount() {
        return inFlight;
    }

    /** Stops starting any further record of this partition (partitions lost, or a drain that ran out of time). */
    synchronized void stopDispatch() {
        dispatchStopped = true;
    }

    /**
     * Drains the partition before a handoff (revocation, shutdown): records above the highest one started so far are
     * not started, but the waiting records below it still are. Records of other keys often finish ahead of an older
     * waiting one; the position can only pass them once that one is done too. Stopping it would leave their
     * outcomes published but uncommitted, and the next owner would repeat them.
     */
    synchronized void drainStarted() {
        drainLimit = Math.min(drainLimit, highestStarted);
    }

    /** Whether a stop or a drain was asked for. */
    synchronized boolean isDispatchStopped() {
        return dispatchStopped || revoked || drainLimit != Long.MAX_VALUE;
    }

    /** Whether the record at {@code offset} may still start. */
    synchronized boolean mayStart(long offset) {
        return !dispatchStopped && !revoked && offset <= drainLimit;
    }

    /**
     * Waits until, after {@link #drainStarted()}, nothing is in flight and every record up to the highest started
     * one is completed (or, once dispatch was stopped, only until nothing is in flight), so the committable position
     * covers every outcome published; or until the deadline passes.
     *
     * @return true when drained
     */
    synchronized boolean awaitDrained(long deadlineNanos) throws InterruptedException {
        // Once dispatch is stopped (a drain that ran out, then interrupted its records), the open records cannot
        // finish any more: waiting for them again (the revocation that follows a shutdown drain) would only take the
        // bound a second time.
        while (inFlight > 0 || !dispatchStopped && hasOpenRecordUpTo(drainLimit)) {
            long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return false;
            }
            wait(leftMillis);
        }
        return true;
    }

    private boolean hasOpenRecordUpTo(long limit) {
        for (long offset : open) {
            if (offset > limit) {
                return false;
            }
            if (!doneOutOfOrder.contains(offset) && !heldWrites.containsKey(offset)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits until no record of this partition is in flight or the deadline passes.
     *
     * @return true when none is in flight
     */
    synchronized boolean awaitNoneInFlight(long deadlineNanos) throws InterruptedException {
        while (inFlight > 0) {
            long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return false;
            }
            wait(leftMillis);
        }
        return true;
    }

    /**
     * After revocation, completions are ignored and held outcomes dropped unwritten: the new owner takes over from
     * the committed position.
     */
    synchronized void revoke() {
        revoked = true;
        heldWrites.clear();
    }

    synchronized boolean isRevoked() {
        return revoked;
    }
}
