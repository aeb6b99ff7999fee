package io.billingworker.replay;

import java.util.Objects;

/** A replay or inspection cannot start (or found nothing to do); the message tells the operator what to change. */
public final class ReplayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of problem, which decides the command's exit code. */
    public enum Kind {
        /** Options that do not fit the topic or an earlier run (exit 2). */
        BAD_REQUEST(2),
        /** The broker cannot be reached, a topic is missing, or access is denied (exit 3). */
        UNAVAILABLE(3),
        /** The selection is empty: nothing to replay (exit 4). */
        NOTHING_SELECTED(4);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public ReplayException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ReplayException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
