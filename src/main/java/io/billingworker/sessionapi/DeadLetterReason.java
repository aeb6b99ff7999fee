package io.billingworker.sessionapi;

/**
 * Why a record goes to the dead-letter topic after its {@code /session} call (docs/contract.md, "Errors and
 * retries").
 */
public enum DeadLetterReason {
    /**
     * Every attempt was used up and the last one failed with a retryable failure: 5xx, 404, 429, timeouts,
     * connection errors.
     */
    RETRIES_EXHAUSTED,
    /** HTTP 401 or 403: the merchant's credentials are wrong or lack access. */
    AUTH_FAILED,
    /**
     * Every attempt was used up and the last one was a 2xx whose body is not the session response the contract
     * promises (not JSON, empty, cut short, too long, wrong types, required fields missing).
     */
    INVALID_RESPONSE,
    /** A 3xx: not followed and not retried (a wrong base URL or a proxy in between). */
    UNEXPECTED_REDIRECT
}
