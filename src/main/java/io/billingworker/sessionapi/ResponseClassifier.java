package io.billingworker.sessionapi;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Turns one HTTP answer into an {@link HttpResult} (docs/contract.md, "Errors and retries"):
 * <ul>
 *   <li>2xx with a JSON body holding a created session's minimum ({@link ResponseParser}):
 *       {@link HttpResult.Success}.</li>
 *   <li>any other 2xx (not JSON, a non-JSON {@code Content-Type}, empty, cut short, longer than
 *       {@code juspay.max-response-bytes}, wrong types, required fields missing): {@link HttpResult.Retryable} of
 *       kind {@link FailureKind#INVALID_RESPONSE}. The order may or may not exist at Juspay; the request carries
 *       the same order id on every attempt, so asking again is safe and is the only way to learn the session's
 *       links.</li>
 *   <li>3xx: {@link HttpResult.Redirect}, final. Redirects are not followed and asking again would get the same
 *       answer: a wrong base URL or a proxy in between.</li>
 *   <li>401, 403: {@link HttpResult.AuthFailure}.</li>
 *   <li>404: retryable. Juspay documents it as {@code "Internal server Error"}, so it is treated like a 5xx
 *       (docs/contract.md, "Juspay's pages over our first draft").</li>
 *   <li>408, 429 and every 5xx: retryable, with the parsed {@code Retry-After}.</li>
 *   <li>any other 4xx: {@link HttpResult.Rejected}.</li>
 *   <li>1xx and anything else: retryable.</li>
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
     * Classifies a complete body labelled as JSON, without a {@code Location}.
     *
     * @param status           HTTP status code
     * @param body             the body read, at most the configured maximum
     * @param truncated        whether the body was longer than the maximum
     * @param retryAfterHeader the {@code Retry-After} header value or {@code null}
     */
    HttpResult classify(int status, byte[] body, boolean truncated, String retryAfterHeader) {
        return classify(status, new ResponseBody(body, "application/json",
                truncated ? ResponseBody.End.TOO_LONG : ResponseBody.End.COMPLETE, truncated ? -1 : body.length),
                null, retryAfterHeader);
    }

    /**
     * @param status           HTTP status code
     * @param body             the body as far as it was read
     * @param location         the {@code Location} header value or {@code null}
     * @param retryAfterHeader the {@code Retry-After} header value or {@code null}
     */
    HttpResult classify(int status, ResponseBody body, String location, String retryAfterHeader) {
        if (status >= 200 && status < 300) {
            return success(status, body);
        }
        if (status >= 300 && status < 400) {
            return redirect(status, location);
        }
        if (status == 401 || status == 403) {
            return new HttpResult.AuthFailure(parser.parseError(status, body.bytes()));
        }
        if (isRetryableStatus(status)) {
            ApiError error = parser.parseError(status, body.bytes());
            Duration retryAfter = RetryAfter.parse(retryAfterHeader, clock);
            return new HttpResult.Retryable(FailureKind.HTTP_STATUS, status, error, retryAfter, null,
                    summary(error, body));
        }
        if (status >= 400 && status < 500) {
            return new HttpResult.Rejected(parser.parseError(status, body.bytes()));
        }
        ApiError error = parser.parseError(status, body.bytes());
        return new HttpResult.Retryable(FailureKind.HTTP_STATUS, status, error, null, null,
                "unexpected " + summary(error, body));
    }

    private HttpResult success(int status, ResponseBody body) {
        String problem = switch (body.end()) {
            case TOO_LONG -> "body longer than the " + body.bytes().length + "-byte limit (juspay.max-response-bytes)";
            case CUT_SHORT -> "body cut short: the connection ended before the body did";
            case COMPLETE -> body.jsonOrUnlabelled() ? null : "Content-Type " + body.mediaType() + " is not JSON";
        };
        if (problem == null) {
            try {
                return new HttpResult.Success(status, parser.parseSession(body.bytes()));
            } catch (InvalidResponseException e) {
                problem = e.getMessage();
            }
        }
        return new HttpResult.Retryable(FailureKind.INVALID_RESPONSE, status, null, null, null,
                "HTTP " + status + " with an invalid session response: " + problem + "; " + body.describe());
    }

    private static HttpResult redirect(int status, String location) {
        String target = location == null ? null : withoutQuery(location.strip());
        return new HttpResult.Redirect(status, target, "HTTP " + status + " redirect to "
                + (target == null ? "no Location" : "Location " + target)
                + " (not followed: check juspay.base-url and any proxy in between)");
    }

    /** The error's summary; for a body labelled other than JSON, what the body was (a proxy's HTML page, say). */
    private static String summary(ApiError error, ResponseBody body) {
        if (body.bytes().length == 0 || body.jsonOrUnlabelled()) {
            return error.summary();
        }
        return error.summary() + " (not a JSON error: " + body.describe() + ")";
    }

    /**
     * A {@code Location} without user info, query and fragment (they may carry tokens), bounded; {@code unreadable}
     * when it is not a URI.
     */
    static String withoutQuery(String location) {
        try {
            URI uri = new URI(location);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme() + "://";
            String host = uri.getHost() == null ? "" : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            String cut = uri.getRawQuery() != null || uri.getRawFragment() != null ? " (query left out)" : "";
            return SafeText.bound(scheme + host + path, SafeText.MAX_LOCATION) + cut;
        } catch (URISyntaxException e) {
            return "unreadable";
        }
    }

    static boolean isRetryableStatus(int status) {
        return status >= 500 || status == 404 || status == 408 || status == 429;
    }
}
