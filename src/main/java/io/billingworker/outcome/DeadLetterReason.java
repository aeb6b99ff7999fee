package io.billingworker.outcome;

/**
 * Why a record went to the dead-letter topic. Written as the {@code dlt.reason} header; operators filter
 * replays on it.
 */
public enum DeadLetterReason {
    /** The value was null (a tombstone) or empty: there is no signup to process. */
    EMPTY_VALUE,
    /** The bytes are not a Confluent wire-format Avro record the worker can read (magic byte, truncation, garbage). */
    UNDECODABLE,
    /** The record names a schema id the registry does not know. */
    UNKNOWN_SCHEMA,
    /**
     * The record's writer schema (or an enum symbol in it) cannot be read as the worker's SubscriptionSignup; the
     * message names the field and why (docs/publishing.md).
     */
    SCHEMA_INCOMPATIBLE,
    /** Every attempt failed with a retryable error (5xx, 404, 429, timeout, connection failure). */
    RETRIES_EXHAUSTED,
    /** Juspay answered 401 or 403: the merchant's credentials are wrong or lack permission. */
    AUTH_FAILED,
    /** The merchant's credentials could not be read (missing environment variable or file). */
    MISSING_CREDENTIALS,
    /** An unexpected error in the worker itself; the record is kept so it can be replayed after a fix. */
    INTERNAL_ERROR,
    /**
     * The record waited longer than {@code processing.max-hold-ms} without an outcome (its merchant's circuit breaker
     * open, throttled, or the schema registry unreachable); the headers carry its attempts and its last error.
     * Replay it once the cause is fixed.
     */
    HELD_TOO_LONG,
    /**
     * The record's created or failed outcome could not be written to its topic for good (too large, not
     * authorized, refused by the topic); the session may exist at Juspay. Replay it once the topic is fixed: the
     * same order id is sent again.
     */
    OUTCOME_UNWRITABLE,
    /**
     * Every attempt was used up and the last one was a 2xx whose body is not the session response the contract
     * promises (not JSON, HTML, empty, cut short, longer than {@code juspay.max-response-bytes}, wrong types, required
     * fields missing); the message says what was wrong without quoting the body. The session may exist at Juspay:
     * replay it once the API answers properly, the same order id is sent again.
     */
    INVALID_RESPONSE,
    /**
     * Juspay's address answered a 3xx, which is not followed: a wrong {@code juspay.base-url} or a proxy in between.
     * The message carries the status and the {@code Location}. Replay it once the address is fixed.
     */
    UNEXPECTED_REDIRECT
}
