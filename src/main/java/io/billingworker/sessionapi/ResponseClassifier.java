package io.billingworker.sessionapi;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Turns one HTTP answer into an {@link HttpResult} (docs/contract.md, "Errors and retries"):
 * <ul>
 *   <li>2xx with a JSON object body: {@link HttpResult.Success}.</li>
 *   <li>2xx whose body is not a JSON object (or too long): {@link HttpResult.Retryable} of kind
 *       {@link FailureKind#MALFORMED_RESPONSE}. The order may or may not exist at Juspay; the request
 *       carries the same order id on every attempt, so asking again is safe and is the only way to learn
 *       the session's links.</li>
 *   <li>401, 403: {@link HttpResult.AuthFailure}.</li>
 *   <li>404: retryable. Juspay documents it as {@code "Internal server Error"}, so it is treated like a 5xx
 *       (docs/contract.md, "Juspay's pages over our first draft").</li>
 *   <li>408, 429 and every 5xx: retryable, with the parsed {@code Retry-After}.</li>
 *   <li>any other 4xx: {@link HttpResult.Rejected}.</li>
 *   <li>1xx, 3xx (redirects are not followed) and anything else: retryable; a wrong base URL then ends in
 *       the dead-letter topic, from where it can be replayed once fixed.</li>
 * </ul>
 */
final class ResponseClassifier {

    private final ResponseParser parser;
    private final Clock clock;

    ResponseClassifier(ResponseParser parser, Clock clock) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param status           HTTP status code
     * @param body             the body read, at most the configured maximum
     * @param truncated        whether the body was longer than the maximum
     * @param retryAfterHeader the {@code Retry-After} header value or {@code null}
     */
    HttpResult classify(int status, byte[] body, boolean truncated, String retryAfterHeader) {
        if (status >= 200 && status < 300) {
            return success(status, body, truncated);
        }
        if (status == 401 || status == 403) {
            return new HttpResult.AuthFailure(parser.parseError(status, body));
        }
        if (isRetryableStatus(status)) {
            ApiError error = parser.parseError(status, body);
            Duration retryAfter = RetryAfter.parse(retryAfterHeader, clock);
            return new HttpResult.Retryable(FailureKind.HTTP_STATUS, status, error, retryAfter, null, error.summary());
        }
        if (status >= 400 && status < 500) {
            return new HttpResult.Rejected(parser.parseError(status, body));
        }
        ApiError error = parser.parseError(status, body);
        return new HttpResult.Retryable(FailureKind.HTTP_STATUS, status, error, null, null,
                "unexpected " + error.summary());
    }

    private HttpResult success(int status, byte[] body, boolean truncated) {
        if (truncated) {
            return malformed(status, "body longer than " + body.length + " bytes");
        }
        try {
            return new HttpResult.Success(status, parser.parseSession(body));
        } catch (IOException e) {
            return malformed(status, e.getClass().getSimpleName());
        }
    }

    private static HttpResult malformed(int status, String reason) {
        return new HttpResult.Retryable(FailureKind.MALFORMED_RESPONSE, status, null, null, null,
                "HTTP " + status + " with an unreadable session response (" + reason + ")");
    }

    static boolean isRetryableStatus(int status) {
        return status >= 500 || status == 404 || status == 408 || status == 429;
    }
}
