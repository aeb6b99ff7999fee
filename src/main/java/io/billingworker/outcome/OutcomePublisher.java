package io.billingworker.outcome;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Publishes the outcome of one consumed record to its outbound topic. */
public interface OutcomePublisher {

    /**
     * Publishes {@code outcome} for {@code source} and returns once it is safe to count the record as done:
     * acknowledged by the broker (at-least-once), or part of the open transaction (exactly-once).
     * Retries transient producer errors itself; returns only on success.
     *
     * @throws InterruptedException when the worker is stopping; the record is then not done
     */
    void publish(ConsumerRecord<byte[], byte[]> source, Outcome outcome) throws InterruptedException;
}
