package io.billingworker.intake;

import io.billingworker.outcome.Outcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one consumed record into its outcome: decode, validate and map, call {@code /session}.
 * Runs on a virtual thread and may block for as long as the call takes, including while a circuit
 * breaker holds it back.
 */
@FunctionalInterface
public interface RecordProcessor {

    /**
     * @return the record's outcome, never null
     * @throws InterruptedException when the worker is stopping or the partition was revoked; the record then
     *         has no outcome yet and is processed again from the committed position
     */
    Outcome process(ConsumerRecord<byte[], byte[]> record) throws InterruptedException;
}
