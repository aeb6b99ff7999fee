package io.billingworker.replay;

import java.util.ArrayList;
import java.util.List;

/** Records what a replay sends; acknowledges on flush, or fails the flush when told to. */
final class FakeSink implements ReplaySink {

    private final List<DeadLetterRecord> sent = new ArrayList<>();
    private int acknowledged;
    private int failFlushAfterSent = Integer.MAX_VALUE;
    private Runnable onSend = () -> {
    };

    @Override
    public void send(DeadLetterRecord record) {
        sent.add(record);
        onSend.run();
    }

    @Override
    public void flush() {
        if (sent.size() >= failFlushAfterSent) {
            throw new ReplayFailedException("the broker did not acknowledge a replayed record on in: boom");
        }
        acknowledged = sent.size();
    }

    /** Flushes fail once this many records were sent. */
    void failFlushOnceSent(int count) {
        this.failFlushAfterSent = count;
    }

    void onSend(Runnable action) {
        this.onSend = action;
    }

    List<DeadLetterRecord> sent() {
        return sent;
    }

    List<String> sentPositions() {
        return sent.stream().map(DeadLetterRecord::position).toList();
    }

    int acknowledged() {
        return acknowledged;
    }
}
