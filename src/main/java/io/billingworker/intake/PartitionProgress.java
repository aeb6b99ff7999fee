package io.billingworker.intake;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Offset bookkeeping of one assigned partition: which fetched records are still open and how far the
 * committed position may advance. The position only moves past a record once its outcome is published,
 * so a crash can only cause records after the committed position to be processed again.
 *
 * <p>One instance per assignment: when a partition is revoked and assigned again, a new instance is made,
 * and late completions of the old one change nothing. Thread-safe.
 */
final class PartitionProgress {

    private final TopicPartition partition;
    private final ArrayDeque<Long> open = new ArrayDeque<>();
    private final Set<Long> doneOutOfOrder = new HashSet<>();
    private long nextPosition = -1;
    private long lastCommitted = -1;
    private boolean revoked;
    private boolean dispatchStopped;
    private int inFlight;

    PartitionProgress(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    /** Registers a fetched record; offsets arrive in increasing order. */
    synchronized void fetched(long offset) {
        if (nextPosition == -1 && open.isEmpty()) {
            nextPosition = offset;
        }
        open.addLast(offset);
    }

    /** Marks a record's outcome as published. */
    synchronized void completed(long offset) {
        if (revoked) {
            return;
        }
        if (!open.isEmpty() && open.peekFirst() == offset) {
            open.removeFirst();
            nextPosition = offset + 1;
            while (!open.isEmpty() && doneOutOfOrder.remove(open.peekFirst())) {
                nextPosition = open.removeFirst() + 1;
            }
        } else {
            doneOutOfOrder.add(offset);
        }
    }

    /** Records fetched and not yet completed. */
    synchronized int openCount() {
        return open.size() - doneOutOfOrder.size();
    }

    /** The offset to commit (the next record to process) when it moved since the last commit. */
    synchronized OptionalLong positionToCommit() {
        if (nextPosition < 0 || nextPosition == lastCommitted) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(nextPosition);
    }

    /** The committable position, whether or not it changed; empty before anything completed. */
    synchronized OptionalLong position() {
        return nextPosition < 0 ? OptionalLong.empty() : OptionalLong.of(nextPosition);
    }

    synchronized void committed(long position) {
        lastCommitted = Math.max(lastCommitted, position);
    }

    /** A record of this partition starts its call. */
    synchronized void started() {
        inFlight++;
    }

    /** A record of this partition finished, published or abandoned. */
    synchronized void finished() {
        inFlight--;
        notifyAll();
    }

    synchronized int inFlightCount() {
        return inFlight;
    }

    /** Stops starting further records of this partition (revocation or shutdown). */
    synchronized void stopDispatch() {
        dispatchStopped = true;
    }

    synchronized boolean isDispatchStopped() {
        return dispatchStopped || revoked;
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

    /** After revocation, completions are ignored: the new owner takes over from the committed position. */
    synchronized void revoke() {
        revoked = true;
    }

    synchronized boolean isRevoked() {
        return revoked;
    }
}
