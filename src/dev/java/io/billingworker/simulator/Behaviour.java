package io.billingworker.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * What the simulator does with one scripted request (see {@link SessionSimulator#script}). Scripted
 * requests skip the random faults; the global latency and an {@linkplain SessionSimulator#outage outage}
 * still apply. Validation (401, 400) happens before a script is consulted, so a script only ever sees
 * well-formed, authenticated requests.
 */
public sealed interface Behaviour {

    /** Create the order (or find it) and answer 200. */
    static Behaviour succeed() {
        return Succeed.INSTANCE;
    }

    /**
     * Create the order (or find it) and answer 200 with a {@code padding} string of {@code paddingChars}
     * characters added to {@code sdk_payload} (to the body when the shape has no {@code sdk_payload}): an
     * answer as large as a test needs, e.g. one whose outcome a topic refuses as too large.
     */
    static Behaviour succeedPadded(int paddingChars) {
        return new SucceedPadded(paddingChars);
    }

    /** Answer 400 {@code {"status":"Bad Request","error_code":errorCode,"error_message":errorMessage}}. */
    static Behaviour reject(String errorCode, String errorMessage) {
        return new Fail(JuspayError.badRequest(errorCode, errorMessage));
    }

    /** Answer with the given error, e.g. a 400 with {@code error_info}, or a 403. */
    static Behaviour fail(JuspayError error) {
        return new Fail(error);
    }

    /** Answer the 5xx {@code httpStatus} in Juspay's shape without creating the order. */
    static Behaviour serverError(int httpStatus) {
        return new Fail(JuspayError.serverError(httpStatus));
    }

    /** Answer 401 access_denied. */
    static Behaviour unauthorized() {
        return new Fail(JuspayError.accessDenied("Access denied for this request"));
    }

    /** Answer 404 in Juspay's shape. */
    static Behaviour notFound() {
        return new Fail(JuspayError.notFound("/session"));
    }

    /** Answer 429 with {@code Retry-After} in whole seconds. */
    static Behaviour tooManyRequests(Duration retryAfter) {
        return new TooManyRequests(retryAfter);
    }

    /** Never answer, until the client gives up or the simulator closes (bounded by its maximum hang). */
    static Behaviour hang() {
        return Hang.INSTANCE;
    }

    /** Drop the connection without a response. */
    static Behaviour dropConnection() {
        return DropConnection.INSTANCE;
    }

    /** Create (store) the order, then behave as {@code then}: e.g. a 500 or a dropped connection. */
    static Behaviour createThen(Behaviour then) {
        return new CreateThen(then);
    }

    /** Create (store) the order, then answer the 5xx {@code httpStatus}. */
    static Behaviour createThenFail(int httpStatus) {
        return new CreateThen(serverError(httpStatus));
    }

    /** Wait {@code delay} (on top of the global latency), then behave as {@code then}. */
    static Behaviour delayed(Duration delay, Behaviour then) {
        return new Delayed(delay, then);
    }

    /** See {@link #succeed()}. */
    enum Succeed implements Behaviour { INSTANCE }

    /** See {@link #hang()}. */
    enum Hang implements Behaviour { INSTANCE }

    /** See {@link #dropConnection()}. */
    enum DropConnection implements Behaviour { INSTANCE }

    /** See {@link #succeedPadded(int)}. */
    record SucceedPadded(int paddingChars) implements Behaviour {
        public SucceedPadded {
            if (paddingChars < 0) {
                throw new IllegalArgumentException("paddingChars must not be negative, was " + paddingChars);
            }
        }
    }

    /** Answer {@code error}. */
    record Fail(JuspayError error) implements Behaviour {
        public Fail {
            Objects.requireNonNull(error, "error");
        }
    }

    /** Answer 429 with {@code Retry-After}. */
    record TooManyRequests(Duration retryAfter) implements Behaviour {
        public TooManyRequests {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
            }
        }
    }

    /** Store the order, then behave as {@code then}. */
    record CreateThen(Behaviour then) implements Behaviour {
        public CreateThen {
            Objects.requireNonNull(then, "then");
            if (then instanceof CreateThen) {
                throw new IllegalArgumentException("createThen cannot wrap another createThen");
            }
        }
    }

    /** Wait {@code delay}, then behave as {@code then}. */
    record Delayed(Duration delay, Behaviour then) implements Behaviour {
        public Delayed {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(then, "then");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, was " + delay);
            }
        }
    }
}
