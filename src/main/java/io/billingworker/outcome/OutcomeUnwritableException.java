package io.billingworker.outcome;

import java.util.Objects;

/**
 * The broker refused an outcome record for good: the record itself is the problem (too large, refused by the topic's
 * authorization or validation), so sending it again cannot help. The record's signup is then dead-lettered with reason
 * {@link DeadLetterReason#OUTCOME_UNWRITABLE}; when the dead-letter topic refuses too, the worker stops.
 */
public final class OutcomeUnwritableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public OutcomeUnwritableException(String topic, Throwable cause) {
        super("the broker refused the record for topic " + topic + ": " + Objects.requireNonNull(cause, "cause"),
                cause);
        this.topic = topic;
    }

    /** The topic that refused the record. */
    public String topic() {
        return topic;
    }
}
