package io.billingworker.sessionapi;

import java.time.Duration;
import java.util.Objects;

/**
 * The classified outcome of exactly one {@code POST /session} attempt (docs/contract.md, "Errors and retries").
 * Text fields are bounded and never contain the API key or the {@code Authorization} value.
 */
public sealed interface HttpResult {

    /**
     * Metric tag for the attempt: {@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 5xx} (by HTTP status),
     * {@code invalid} for a 2xx whose body is not a created session, {@code timeout} or {@code io} when no status
     * arrived.
     */
    String statusClass();

    /** A 2xx with a readable session response. */
    record Success(int httpStatus, SessionResponse response) implements HttpResult {
        public Success {
            Objects.requireNonNull(response, "response");
        }

        @Override
        public String statusClass() {
            return HttpResult.statusClassOf(httpStatus);
        }
    }

    /** HTTP 400 or another 4xx that will fail the same way again: the signup can never succeed as sent. */
    record Rejected(ApiError error) implements HttpResult {
        public Rejected {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String statusClass() {
            return HttpResult.statusClassOf(error.httpStatus());
        }
    }

    /** HTTP 401 or 403: the merchant's credentials are wrong or lack access. Not retried. */
    record AuthFailure(ApiError error) implements HttpResult {
        public AuthFailure {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String statusClass() {
            return HttpResult.statusClassOf(error.httpStatus());
        }
    }

    /**
     * A failure that may succeed later: retrying with the same order id is safe.
     *
     * @param kind           what went wrong
     * @param httpStatus     the status when the server answered, else {@code null}
     * @param error          the parsed error body when the server answered with one, else {@code null}
     * @param retryAfter     the server's {@code Retry-After} (never negative), else {@code null}
     * @param exceptionClass the I/O exception's class when no status arrived, else {@code null}
     * @param message        a bounded description, free of secrets
     */
    record Retryable(FailureKind kind, Integer httpStatus, ApiError error, Duration retryAfter, String exceptionClass,
                     String message) implements HttpResult {
        public Retryable {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
            message = SafeText.bound(message, SafeText.MAX_MESSAGE);
        }

        /** A 429: Juspay asks this merchant's calls to slow down; not a sign that the API is broken. */
        public boolean isServerThrottle() {
            return httpStatus != null && httpStatus == 429;
        }

        @Override
        public String statusClass() {
            return switch (kind) {
                case TIMEOUT -> "timeout";
                case CONNECTION -> "io";
                case INVALID_RESPONSE -> "invalid";
                case HTTP_STATUS -> httpStatus == null ? "io" : HttpResult.statusClassOf(httpStatus);
            };
        }
    }

    /**
     * A 3xx: redirects are not followed, and the answer will not change by asking again (a wrong base URL, or a proxy
     * in between). Final; counts as a breaker failure.
     *
     * @param httpStatus the 3xx status
     * @param location   the {@code Location} header without its query and fragment, bounded; {@code null} when absent
     * @param message    a bounded description, free of secrets
     */
    record Redirect(int httpStatus, String location, String message) implements HttpResult {
        public Redirect {
            Objects.requireNonNull(message, "message");
            location = SafeText.bound(location, SafeText.MAX_LOCATION);
            message = SafeText.bound(message, SafeText.MAX_MESSAGE);
        }

        @Override
        public String statusClass() {
            return HttpResult.statusClassOf(httpStatus);
        }
    }

    private static String statusClassOf(int httpStatus) {
        return (httpStatus / 100) + "xx";
    }
}
