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

    /** Fetching paused ({@code reason}: circuit-breaker, buffer-full, shutdown) or resumed (reason null). */
    default void fetching(boolean paused, String reason, int partitions) {
    }
}
