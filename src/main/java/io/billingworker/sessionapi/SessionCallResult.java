package io.billingworker.sessionapi;

import java.util.Objects;

/**
 * The end of one record's {@code /session} call through the {@link SessionGateway}, retries included.
 * {@code attempts} counts HTTP requests actually sent.
 */
public sealed interface SessionCallResult {

    int attempts();

    /** The session was created: publish {@code BillingSessionCreated}. */
    record Created(SessionResponse response, int attempts) implements SessionCallResult {
        public Created {
            Objects.requireNonNull(response, "response");
        }
    }

    /** Juspay rejected the request (400 or another non-retryable 4xx): publish {@code BillingSessionFailed}. */
    record Rejected(ApiError error, int attempts) implements SessionCallResult {
        public Rejected {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * Send the original record to the dead-letter topic.
     *
     * @param reason         why
     * @param lastHttpStatus the last attempt's HTTP status, {@code null} when it got none
     * @param exceptionClass the last attempt's I/O exception class, {@code null} when the server answered
     * @param message        bounded, secret-free description of the last failure
     * @param attempts       HTTP requests sent
     */
    record DeadLetter(DeadLetterReason reason, Integer lastHttpStatus, String exceptionClass, String message,
                      int attempts) implements SessionCallResult {
        public DeadLetter {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The merchant's circuit breaker does not permit calls (it was open before the call, or opened between
     * attempts), or the last attempt failed while it was open or half-open. Nothing is decided: hold the record
     * and call again later ({@link SessionGateway#untilBreakerRetry(String)} says when); do not dead-letter it.
     */
    record BreakerOpen(String merchantId, int attempts) implements SessionCallResult {
        public BreakerOpen {
            Objects.requireNonNull(merchantId, "merchantId");
        }
    }

    /**
     * A local limit (the merchant's rate limit or the global in-flight cap) gave no permit within its wait,
     * so nothing was sent on this attempt. Nothing is decided: hold the record and call again later.
     */
    record Throttled(String merchantId, ThrottleReason reason, int attempts) implements SessionCallResult {
        public Throttled {
            Objects.requireNonNull(merchantId, "merchantId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
