package io.billingworker.sessionapi;

/** Which local limit refused a {@code /session} attempt (see {@link SessionCallResult.Throttled}). */
public enum ThrottleReason {
    /** The merchant's rate limiter gave no permit within its wait. */
    RATE_LIMITED,
    /** The global cap on calls in flight gave no slot within its wait. */
    IN_FLIGHT_LIMIT,
    /** Juspay answered 429 for this merchant: its calls wait until the {@code Retry-After} (or a backoff) passed. */
    SERVER_THROTTLED
}
