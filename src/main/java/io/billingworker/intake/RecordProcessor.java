package io.billingworker.intake;

import io.billingworker.outcome.Outcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one consumed record into its outcome: decode, validate and map, call {@code /session}.
 * Runs on a virtual thread and may block for as long as the call takes. Whenever it has to wait (an open circuit
 * breaker, a throttle, an unreachable registry, a retry backoff) it waits through the given {@link Hold}, which
 * gives up the record's concurrency permit meanwhile and bounds the total hold.
 */
@FunctionalInterface
public interface RecordProcessor {

    /**
     * @param hold how to wait; its bound reached, it throws {@link HeldTooLongException}, which the processor turns
     *             into a {@code HELD_TOO_LONG} dead letter
     * @return the record's outcome, never null
     * @throws InterruptedException when the worker is stopping or the partition was revoked; the record then
     *         has no outcome yet and is processed again from the committed position
     */
    Outcome process(ConsumerRecord<byte[], byte[]> record, Hold hold) throws InterruptedException;

    /** Processes a record with an unbounded hold: for callers that process one record at a time. */
    default Outcome process(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        return process(record, Hold.unbounded());
    }
}
