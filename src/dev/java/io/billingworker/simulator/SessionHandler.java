package io.billingworker.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Answers one request, in the order a real gateway would: record it, wait the latency, then outage,
 * unknown path (404), authentication (401), validation (400), and finally the order's script or a random
 * fault, or success. Each request runs on its own virtual thread, so waiting costs no platform thread.
 */
final class SessionHandler implements HttpHandler {

    /** Exchanges already counted as finished (HttpExchange attributes are shared per context, so not those). */
    private final java.util.Set<HttpExchange> finished = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static final String SESSION_PATH = "/session";
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final int[] SERVER_ERRORS = {500, 502, 503};

    /**
     * Exact decimals kept on parse. Jackson's default buffer recycling is per thread, which a virtual thread
     * per request defeats; a shared pool reuses the buffers across requests.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private final MerchantKeys keys;
    private final RequestValidator validator;
    private final ResponseRenderer renderer;
    private final OrderStore orders;
    private final Scripts scripts;
    private final RequestLog log;
    private final Counters counters;
    private final AtomicReference<FaultSettings> faults;
    private final Supplier<ResponseShape> shape;
    private final LockedRandom random;
    private final Clock clock;
    private final Pauser pauser;
    private final Semaphore hangPermits;
    private final Duration maxHang;

    SessionHandler(MerchantKeys keys, RequestValidator validator, ResponseRenderer renderer, OrderStore orders,
            Scripts scripts, RequestLog log, Counters counters, AtomicReference<FaultSettings> faults,
            Supplier<ResponseShape> shape, LockedRandom random, Clock clock, Pauser pauser,
            Semaphore hangPermits, Duration maxHang) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.orders = Objects.requireNonNull(orders, "orders");
        this.scripts = Objects.requireNonNull(scripts, "scripts");
        this.log = Objects.requireNonNull(log, "log");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pauser = Objects.requireNonNull(pauser, "pauser");
        this.hangPermits = Objects.requireNonNull(hangPermits, "hangPermits");
        this.maxHang = Objects.requireNonNull(maxHang, "maxHang");
    }

    /** Parses a body the way the simulator does (exact decimals kept), or a missing node when not JSON. */
    static JsonNode parse(byte[] raw) {
        if (raw.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = JSON.readTree(raw);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    @Override
    public void handle(HttpExchange exchange) {
        counters.requestStarted();
        try {
            serve(exchange);
        } catch (AbortConnection e) {
            // Thrown on: the JDK server closes the connection when a handler fails, whatever was sent.
            throw e;
        } catch (IOException | RuntimeException e) {
            // The client went away or the connection broke mid-answer: nothing more to say to it.
            exchange.close();
        } finally {
            finish(exchange);
            finished.remove(exchange);
            exchange.close();
        }
    }

    /**
     * Counts the request as no longer in flight, once. Called before the response is written, so a client that
     * has its answer never sees its own request still counted in flight.
     */
    private void finish(HttpExchange exchange) {
        if (finished.add(exchange)) {
            counters.requestFinished();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        byte[] raw = readBody(exchange.getRequestBody(), exchange.getRequestHeaders().getFirst("Content-Length"));
        JsonNode body = raw == null ? MissingNode.getInstance() : parse(raw);
        String path = exchange.getRequestURI().getPath();
        MerchantKeys.Result auth = keys.authenticate(
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("x-merchantid"));
        if (log.enabled()) {
            log.add(new ReceivedRequest(exchange.getRequestMethod(), path, headers(exchange),
                    raw == null ? "" : new String(raw, StandardCharsets.UTF_8), body, clock.instant(),
                    auth.merchantId()));
        }
        FaultSettings settings = faults.get();
        if (!pauser.pause(settings.latency().next(random))) {
            drop(exchange);
            return;
        }
        if (settings.outage()) {
            respond(exchange, JuspayError.serverError(503).withMessage("Simulated outage"));
        } else if (!SESSION_PATH.equals(path) || !"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, JuspayError.notFound(path));
        } else if (!auth.authenticated()) {
            respond(exchange, auth.error());
        } else if (raw == null) {
            respond(exchange, JuspayError.badRequest(JuspayError.INVALID_JSON,
                    "Request body exceeds " + MAX_BODY_BYTES + " bytes"));
        } else {
            var invalid = validator.validate(exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("x-routing-id"), body);
            if (invalid.isPresent()) {
                respond(exchange, invalid.get());
            } else {
                ObjectNode request = (ObjectNode) body;
                String orderId = request.get("order_id").asText();
                Behaviour behaviour = scripts.next(auth.merchantId(), orderId).orElseGet(() -> randomFault(settings));
                perform(exchange, behaviour, auth.merchantId(), orderId, request);
            }
        }
    }

    private void perform(HttpExchange exchange, Behaviour behaviour, String merchantId, String orderId,
            ObjectNode request) throws IOException {
        switch (behaviour) {
            case Behaviour.Succeed succeed -> {
                SimulatedOrder order = orders.findOrCreate(merchantId, orderId, request);
                respond(exchange, 200, renderer.render(order, shape.get()), Map.of());
            }
            case Behaviour.SucceedPadded padded -> {
                SimulatedOrder order = orders.findOrCreate(merchantId, orderId, request);
                respond(exchange, 200, padded(renderer.render(order, shape.get()), padded.paddingChars()), Map.of());
            }
            case Behaviour.SucceedWith succeedWith -> {
                SimulatedOrder order = orders.findOrCreate(merchantId, orderId, request);
                ObjectNode body = succeedWith.change().apply(renderer.render(order, shape.get()).deepCopy());
                respond(exchange, 200, body, Map.of());
            }
            case Behaviour.Raw raw -> respondRaw(exchange, raw.status(), raw.headers(), raw.body());
            case Behaviour.CutShort cutShort -> cutShort(exchange, cutShort);
            case Behaviour.HugeBody huge -> hugeBody(exchange, huge);
            case Behaviour.Fail fail -> respond(exchange, fail.error());
            case Behaviour.TooManyRequests tooMany -> respond(exchange, 429, JuspayError.tooManyRequests().toJson(),
                    Map.of("Retry-After", Long.toString(retryAfterSeconds(tooMany.retryAfter()))));
            case Behaviour.Hang hang -> hang(exchange);
            case Behaviour.DropConnection dropConnection -> drop(exchange);
            case Behaviour.CreateThen createThen -> {
                orders.findOrCreate(merchantId, orderId, request);
                perform(exchange, createThen.then(), merchantId, orderId, request);
            }
            case Behaviour.Delayed delayed -> {
                if (pauser.pause(delayed.delay())) {
                    perform(exchange, delayed.then(), merchantId, orderId, request);
                } else {
                    drop(exchange);
                }
            }
        }
    }

    /** The body with a {@code padding} string of {@code chars} characters in its {@code sdk_payload} (or on top). */
    private static ObjectNode padded(ObjectNode body, int chars) {
        ObjectNode target = body.get("sdk_payload") instanceof ObjectNode sdk ? sdk : body;
        target.put("padding", "x".repeat(chars));
        return body;
    }

    private Behaviour randomFault(FaultSettings settings) {
        double total = settings.resetRate() + settings.hangRate() + settings.rate429() + settings.errorRate();
        if (total == 0) {
            return Behaviour.succeed();
        }
        double draw = random.nextDouble();
        double bound = settings.resetRate();
        if (draw < bound) {
            return Behaviour.dropConnection();
        }
        bound += settings.hangRate();
        if (draw < bound) {
            return Behaviour.hang();
        }
        bound += settings.rate429();
        if (draw < bound) {
            return Behaviour.tooManyRequests(settings.retryAfter());
        }
        bound += settings.errorRate();
        if (draw < bound) {
            return Behaviour.serverError(SERVER_ERRORS[random.nextInt(SERVER_ERRORS.length)]);
        }
        return Behaviour.succeed();
    }

    /** Holds the request unanswered until the simulator closes or the maximum hang passes, then drops it. */
    private void hang(HttpExchange exchange) {
        counters.hangStarted();
        if (hangPermits.tryAcquire()) {
            try {
                pauser.pause(maxHang);
            } finally {
                hangPermits.release();
            }
        }
        drop(exchange);
    }

    private void drop(HttpExchange exchange) {
        counters.dropped();
        // Closing an exchange before its response headers are sent closes the connection itself.
        exchange.close();
    }

    private void respond(HttpExchange exchange, JuspayError error) throws IOException {
        respond(exchange, error.httpStatus(), error.toJson(), Map.of());
    }

    private void respond(HttpExchange exchange, int status, ObjectNode body, Map<String, String> extraHeaders)
            throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        extraHeaders.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        counters.responded(status);
        finish(exchange);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void respondRaw(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        counters.responded(status);
        finish(exchange);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Announces more than it sends, then fails the exchange so that the server closes the connection. */
    private void cutShort(HttpExchange exchange, Behaviour.CutShort cutShort) throws IOException {
        if (cutShort.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", cutShort.contentType());
        }
        counters.responded(cutShort.status());
        finish(exchange);
        exchange.sendResponseHeaders(cutShort.status(), cutShort.announcedLength());
        OutputStream out = exchange.getResponseBody();
        out.write(cutShort.body());
        out.flush();
        counters.dropped();
        throw new AbortConnection();
    }

    /** Streams {@code {"padding":"   ...   "}} of exactly the requested size; the client may stop reading early. */
    private void hugeBody(HttpExchange exchange, Behaviour.HugeBody huge) throws IOException {
        byte[] head = "{\"padding\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] spaces = new byte[64 * 1024];
        java.util.Arrays.fill(spaces, (byte) ' ');
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        counters.responded(huge.status());
        finish(exchange);
        exchange.sendResponseHeaders(huge.status(), huge.size());
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(head);
            long left = huge.size() - head.length - tail.length;
            while (left > 0) {
                int chunk = (int) Math.min(left, spaces.length);
                out.write(spaces, 0, chunk);
                left -= chunk;
            }
            out.write(tail);
        }
    }

    /** Makes the JDK server close the connection of a response already under way. */
    private static final class AbortConnection extends RuntimeException {
        AbortConnection() {
            super("simulated connection close mid-body", null, false, false);
        }
    }

    private static long retryAfterSeconds(Duration retryAfter) {
        long seconds = retryAfter.toSeconds();
        return retryAfter.toNanosPart() > 0 ? seconds + 1 : seconds;
    }

    /** The body, or null when it is larger than {@link #MAX_BODY_BYTES}. */
    private static byte[] readBody(InputStream in, String contentLength) throws IOException {
        try (in) {
            // With a Content-Length (the server stream ends there), read exactly that: readNBytes(limit) would start
            // with a 16 KiB buffer, wait for the end of the stream and copy.
            long announced = parseLength(contentLength);
            int limit = announced >= 0 && announced <= MAX_BODY_BYTES ? (int) announced : MAX_BODY_BYTES + 1;
            byte[] raw = in.readNBytes(limit);
            if (raw.length > MAX_BODY_BYTES) {
                in.transferTo(OutputStream.nullOutputStream());
                return null;
            }
            return raw;
        }
    }

    private static long parseLength(String contentLength) {
        if (contentLength == null) {
            return -1;
        }
        try {
            return Long.parseLong(contentLength.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, List<String>> headers(HttpExchange exchange) {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String key = name.toLowerCase(Locale.ROOT);
            List<String> copy = "authorization".equals(key)
                    ? values.stream().map(v -> ReceivedRequest.REDACTED).toList()
                    : List.copyOf(new ArrayList<>(values));
            headers.put(key, copy);
        });
        return headers;
    }
}
