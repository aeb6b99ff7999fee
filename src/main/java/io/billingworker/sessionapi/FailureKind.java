package io.billingworker.sessionapi;

/** Why a {@code /session} attempt may succeed later (see {@link HttpResult.Retryable}). */
public enum FailureKind {
    /**
     * The server answered 5xx, 404 (Juspay lists it as an internal server error: docs/contract.md, "Responses"), 408,
     * 429 or an unexpected status.
     */
    HTTP_STATUS,
    /**
     * A 2xx whose body is not the session response the contract promises (docs/contract.md, "Responses"): not JSON,
     * empty, cut short, longer than the limit, a field of the wrong type or a required field missing.
     */
    INVALID_RESPONSE,
    /** Connect, response or connection-pool lease timeout. */
    TIMEOUT,
    /** Connection refused or reset, no response, TLS or other I/O failure. */
    CONNECTION
}
