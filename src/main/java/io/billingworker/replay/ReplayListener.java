package io.billingworker.replay;

/** Told about each decision of a replay run (progress line, dry-run listing). */
public interface ReplayListener {

    /** Does nothing. */
    ReplayListener NONE = new ReplayListener() {
    };

    /** {@code record} was sent (or, in a dry run, would be). */
    default void replayed(DeadLetterRecord record) {
    }

    /** {@code record} matched but reached the maximum replay count. */
    default void refused(DeadLetterRecord record) {
    }

    /** {@code record} does not match the filters. */
    default void skipped(DeadLetterRecord record) {
    }

    /** The run ended (normally, interrupted, or by an error). */
    default void finished() {
    }

    /** Calls each listener in turn. */
    static ReplayListener all(ReplayListener... listeners) {
        return new ReplayListener() {
            @Override
            public void replayed(DeadLetterRecord record) {
                for (ReplayListener listener : listeners) {
                    listener.replayed(record);
                }
            }

            @Override
            public void refused(DeadLetterRecord record) {
                for (ReplayListener listener : listeners) {
                    listener.refused(record);
                }
            }

            @Override
            public void skipped(DeadLetterRecord record) {
                for (ReplayListener listener : listeners) {
                    listener.skipped(record);
                }
            }

            @Override
            public void finished() {
                for (ReplayListener listener : listeners) {
                    listener.finished();
                }
            }
        };
    }
}
