package io.billingworker.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

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

    /**
     * Answer exactly this, whatever the order (nothing is created): what a proxy, a load balancer or a broken API
     * sends on a bad day, e.g. {@code raw(500, "text/html", maintenancePage)} or {@code raw(200, "application/json",
     * "{not json")}. An empty body is sent with {@code Content-Length: 0}; a null content type sends none.
     */
    static Behaviour raw(int status, String contentType, String body) {
        return raw(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** See {@link #raw(int, String, String)}. */
    static Behaviour raw(int status, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return new Raw(status, headers, body);
    }

    /** Answer the 3xx {@code status} with {@code Location: location} and no body (nothing is created). */
    static Behaviour redirect(int status, String location) {
        if (status < 300 || status > 399) {
            throw new IllegalArgumentException("a redirect needs a 3xx status, was " + status);
        }
        return new Raw(status, Map.of("Location", Objects.requireNonNull(location, "location")), new byte[0]);
    }

    /**
     * Announce {@code Content-Length: announcedLength}, send only {@code body} (shorter), then close the connection:
     * a body broken off mid-way. Nothing is created.
     */
    static Behaviour cutShort(int status, String contentType, int announcedLength, String body) {
        return new CutShort(status, contentType, announcedLength, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Answer {@code status} with a JSON body of exactly {@code size} bytes ({@code {"padding":"   ...   "}}),
     * streamed so that the simulator holds no copy of it. Nothing is created.
     */
    static Behaviour hugeBody(int status, long size) {
        return new HugeBody(status, size);
    }

    /**
     * Create the order (or find it) and answer 200 with its usual body changed by {@code change}: a field left out,
     * or of another JSON type. The change gets a copy; what it returns is sent.
     */
    static Behaviour succeedWith(UnaryOperator<ObjectNode> change) {
        return new SucceedWith(change);
    }

    /** See {@link #succeed()}. */
    enum Succeed implements Behaviour { INSTANCE }

    /** See {@link #raw(int, String, byte[])} and {@link #redirect(int, String)}. */
    record Raw(int status, Map<String, String> headers, byte[] body) implements Behaviour {
        public Raw {
            requireStatus(status);
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }
    }

    /** See {@link #cutShort(int, String, int, String)}. */
    record CutShort(int status, String contentType, int announcedLength, byte[] body) implements Behaviour {
        public CutShort {
            requireStatus(status);
            Objects.requireNonNull(body, "body");
            if (announcedLength <= body.length) {
                throw new IllegalArgumentException("announcedLength must exceed the body's " + body.length
                        + " bytes, was " + announcedLength);
            }
        }
    }

    /** See {@link #hugeBody(int, long)}. */
    record HugeBody(int status, long size) implements Behaviour {
        static final int MIN_SIZE = 16;

        public HugeBody {
            requireStatus(status);
            if (size < MIN_SIZE) {
                throw new IllegalArgumentException("size must be at least " + MIN_SIZE + " bytes, was " + size);
            }
        }
    }

    /** See {@link #succeedWith(UnaryOperator)}. */
    record SucceedWith(UnaryOperator<ObjectNode> change) implements Behaviour {
        public SucceedWith {
            Objects.requireNonNull(change, "change");
        }
    }

    private static void requireStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
        }
    }

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
