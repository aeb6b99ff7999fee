package io.billingworker.replay;

/** Where a replay re-publishes records. */
public interface ReplaySink {

    /** Sends the record's original key, value and headers with its replay count incremented; may be asynchronous. */
    void send(DeadLetterRecord record);

    /**
     * Waits until everything sent so far is acknowledged.
     *
     * @throws ReplayFailedException when a send failed; nothing after the last successful flush may be committed
     */
    void flush() throws InterruptedException;
}
