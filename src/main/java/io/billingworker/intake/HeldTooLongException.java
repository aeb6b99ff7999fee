package io.billingworker.intake;

import java.time.Duration;
import java.util.Objects;

/** A record reached its hold bound ({@code processing.max-hold-ms}) while it waited; it is dead-lettered. */
public final class HeldTooLongException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration bound;

    public HeldTooLongException(Duration bound) {
        this(bound, null);
    }

    /** @param detail what the record was waiting for, appended to the message; or null */
    public HeldTooLongException(Duration bound, String detail) {
        super("held for " + Objects.requireNonNull(bound, "bound").toMillis() + " ms (processing.max-hold-ms) "
                + "without an outcome" + (detail == null ? "" : "; " + detail), null, false, false);
        this.bound = bound;
    }

    /** The hold bound that was reached. */
    public Duration bound() {
        return bound;
    }
}
