package io.billingworker.sessionapi;

import io.billingworker.mapping.SessionRequest;

/** One {@code POST /session} attempt, classified. Implemented by {@link SessionApiClient}; faked in tests. */
@FunctionalInterface
public interface SessionApi {

    /**
     * Sends the request once, never retrying, and classifies the answer. I/O failures are returned as
     * {@link HttpResult.Retryable}, not thrown. If the calling thread is interrupted the result is a
     * retryable failure and the interrupt flag stays set.
     */
    HttpResult send(SessionRequest request, ApiKey key);
}
