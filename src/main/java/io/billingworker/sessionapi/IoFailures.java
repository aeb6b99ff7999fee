package io.billingworker.sessionapi;

import java.io.IOException;
import java.io.InterruptedIOException;

/** Classifies the I/O exception of a failed attempt; the message is scrubbed of the key and bounded. */
final class IoFailures {

    private IoFailures() {
    }

    static HttpResult.Retryable classify(IOException failure, ApiKey key) {
        // SocketTimeoutException, HttpClient's ConnectTimeoutException and ConnectionRequestTimeoutException
        // (pool lease) are all InterruptedIOExceptions.
        FailureKind kind = failure instanceof InterruptedIOException ? FailureKind.TIMEOUT : FailureKind.CONNECTION;
        String detail = failure.getMessage() == null ? "" : ": " + failure.getMessage();
        String message = SafeText.scrub("POST /session failed: " + failure.getClass().getSimpleName() + detail, key);
        return new HttpResult.Retryable(kind, null, null, null, failure.getClass().getName(), message);
    }
}
