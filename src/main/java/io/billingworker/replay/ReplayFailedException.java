package io.billingworker.replay;

/**
 * A replay could not go on (a send was not acknowledged, the broker went away, records stopped arriving). Progress
 * up to the last commit is kept: running the same replay again resumes there.
 */
public final class ReplayFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReplayFailedException(String message) {
        super(message);
    }

    public ReplayFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
