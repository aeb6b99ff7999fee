package io.billingworker.sessionapi;

import io.github.resilience4j.retry.Retry;

/**
 * One record's attempt budget across every {@link SessionGateway#call} it makes: waiting behind an open breaker or a
 * throttle and calling again never renews it, so {@code retry.max-attempts} counts every attempt that reached the API.
 * Also remembers the last failed attempt, for the dead letter of a record that is held too long. Used by one record
 * at a time.
 */
public final class CallBudget {

    private final Retry.Context<HttpResult> retryContext;
    private int attempts;
    private HttpResult.Retryable lastFailure;

    CallBudget(Retry.Context<HttpResult> retryContext) {
        this.retryContext = retryContext;
    }

    Retry.Context<HttpResult> retryContext() {
        return retryContext;
    }

    void attempted(HttpResult result) {
        attempts++;
        if (result instanceof HttpResult.Retryable retryable) {
            lastFailure = retryable;
        }
    }

    /** HTTP requests sent for the record so far. */
    public int attempts() {
        return attempts;
    }

    /** The last attempt that failed with a retryable error, or null. */
    public HttpResult.Retryable lastFailure() {
        return lastFailure;
    }
}
