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
    INTERNAL_ERROR
}
