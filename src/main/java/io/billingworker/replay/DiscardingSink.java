package io.billingworker.replay;

/** Sends nothing: dry runs and inspections. */
final class DiscardingSink implements ReplaySink {

    @Override
    public void send(DeadLetterRecord record) {
    }

    @Override
    public void flush() {
    }
}
