package io.billingworker.outcome;

/**
 * The outcome producer can publish nothing any more (fenced, not authorized for the cluster or its transactional id,
 * closed): no outcome can be written until the worker is restarted with a fix, so the worker stops with a non-zero
 * exit and its unpublished records are processed again after the restart.
 */
public final class PublisherFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PublisherFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
