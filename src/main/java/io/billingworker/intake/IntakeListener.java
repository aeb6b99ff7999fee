package io.billingworker.intake;

import io.billingworker.outcome.Outcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Hooks the consumer loop calls, for metrics and logs. Implementations must be fast and thread-safe. */
public interface IntakeListener {

    IntakeListener NONE = new IntakeListener() {
    };

    /** A record was fetched and dispatched. */
    default void consumed(ConsumerRecord<byte[], byte[]> record) {
    }

    /** A record was fetched and skipped: it was finished before (the committed offset's metadata names it). */
    default void skipped(ConsumerRecord<byte[], byte[]> record) {
    }

    /** A record's outcome was published. */
    default void published(ConsumerRecord<byte[], byte[]> record, Outcome outcome) {
    }

    /**
     * A record whose processing had started ended without a published outcome: it was interrupted (partition revoked
     * or lost, shutdown, a fatal publishing error) or failed with an error, and is processed again from the committed
     * position, here or by the partition's next owner. Every record whose processing starts ends in exactly one
     * {@link #published} or {@code abandoned}; a record never started (its partition stopped first) in neither.
     */
    default void abandoned(ConsumerRecord<byte[], byte[]> record) {
    }

    /** Fetching paused ({@code reason}: circuit-breaker, buffer-full, shutdown) or resumed (reason null). */
    default void fetching(boolean paused, String reason, int partitions) {
    }
}
