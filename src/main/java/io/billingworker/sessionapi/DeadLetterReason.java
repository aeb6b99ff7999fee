package io.billingworker.sessionapi;

/**
 * Why a record goes to the dead-letter topic after its {@code /session} call (docs/contract.md, "Errors and
 * retries").
 */
public enum DeadLetterReason {
    /** Every attempt failed with a retryable failure: 5xx, 404, 429, timeouts, connection errors. */
    RETRIES_EXHAUSTED,
    /** HTTP 401 or 403: the merchant's credentials are wrong or lack access. */
    AUTH_FAILED
}
