package io.billingworker.simulator;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A faithful, fast stand-in for Juspay's {@code POST /session} on 127.0.0.1, for tests, the demo and
 * benchmarks. It checks Basic auth and {@code x-merchantid} per merchant, validates the body as docs/contract.md
 * describes, creates each order once and answers repeats identically, and injects faults (latency, 5xx,
 * 429, hangs, dropped connections, outages, per-order scripts) that tests can change while it runs (the fault
 * setters of {@link FaultControls}, on the builder and on the running simulator alike).
 *
 * <p>It runs on the JDK's {@link HttpServer} (or {@link HttpsServer} when given an {@link SSLContext}) with
 * a virtual thread per request, so thousands of requests can wait out their latency at once without a
 * platform thread each. Start one with {@link #builder()}; {@link #close()} releases every waiting request
 * and stops the server.
 *
 * <pre>{@code
 * try (SessionSimulator juspay = SessionSimulator.builder().merchant("m1", "key1").start()) {
 *     juspay.failTimesThenSucceed("order-1", 2, 503);
 *     // point the client at juspay.baseUrl()
 * }
 * }</pre>
 */
public final class SessionSimulator implements AutoCloseable, FaultControls<SessionSimulator> {

    private static final Logger LOG = LoggerFactory.getLogger(SessionSimulator.class);

    static {
        // The JDK server writes response headers and body in two segments; without TCP_NODELAY, Nagle's
        // algorithm and the client's delayed ACK stall every answer by up to 40 ms. And by default it closes
        // all but 200 idle keep-alive connections, so a thousand concurrent callers would reconnect on almost
        // every call. Both are JVM-wide settings read once, when the first HttpServer is created; they are
        // only set here when nobody chose otherwise.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "16384");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Set<Thread> pausing = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final FaultSettings initialFaults;
    private final ResponseShape initialShape;
    private final boolean initialRecording;
    private final AtomicReference<FaultSettings> faults;
    private volatile ResponseShape shape;
    private final Scripts scripts = new Scripts();
    private final OrderStore orders;
    private final RequestLog log;
    private final Counters counters = new Counters();

    private SessionSimulator(Builder builder) throws IOException {
        this.initialFaults = builder.faults;
        this.initialShape = builder.shape;
        this.initialRecording = builder.recordRequests;
        this.faults = new AtomicReference<>(builder.faults);
        this.shape = builder.shape;
        LockedRandom random = new LockedRandom(builder.random);
        this.orders = new OrderStore(new LockedRandom(new SplittableRandom(random.nextLong())), builder.clock);
        this.log = new RequestLog(builder.recordRequests, builder.maxRecordedRequests);
        SessionHandler handler = new SessionHandler(
                new MerchantKeys(builder.keyByMerchant),
                new RequestValidator(builder.requireRoutingId),
                new ResponseRenderer(builder.linkBaseUrl, builder.environment, builder.paymentLinkExpiry),
                orders, scripts, log, counters, faults, () -> shape, random, builder.clock, this::pause,
                new Semaphore(builder.maxConcurrentHangs), builder.maxHang);

        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), builder.port);
        if (builder.sslContext == null) {
            this.server = HttpServer.create(address, builder.backlog);
        } else {
            HttpsServer https = HttpsServer.create(address, builder.backlog);
            https.setHttpsConfigurator(new HttpsConfigurator(builder.sslContext));
            this.server = https;
        }
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        this.baseUrl = (builder.sslContext == null ? "http" : "https") + "://127.0.0.1:" + port();
        LOG.info("Session simulator listening on {}", baseUrl);
    }

    /** A builder with no merchants, no faults, the {@link ResponseShape#COMBINED} shape and an ephemeral port. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- where it listens

    /** The port it listens on (the ephemeral one chosen when built with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} (or https), the base URL a Session API client is configured with. */
    public String baseUrl() {
        return baseUrl;
    }

    /** {@code <baseUrl>/session}. */
    public URI sessionUri() {
        return URI.create(baseUrl + SessionHandler.SESSION_PATH);
    }

    // ---------------------------------------------------------------- faults, changeable while running

    /** The fault settings now in force. */
    public FaultSettings faults() {
        return faults.get();
    }

    /** Replaces all fault settings at once. */
    public SessionSimulator faults(FaultSettings settings) {
        faults.set(Objects.requireNonNull(settings, "settings"));
        return this;
    }

    /** Applies {@code change} to the fault settings now in force, atomically. */
    @Override
    public SessionSimulator changeFaults(UnaryOperator<FaultSettings> change) {
        faults.updateAndGet(f -> Objects.requireNonNull(change.apply(f), "faults"));
        return this;
    }

    /** Sets the shape of {@code 200} bodies. */
    public SessionSimulator responseShape(ResponseShape value) {
        shape = Objects.requireNonNull(value, "value");
        return this;
    }

    // ---------------------------------------------------------------- per-order scripts

    /**
     * Scripts the calls for {@code orderId}: the n-th call behaves as the n-th step; once the steps run out
     * the last one repeats. Replaces an earlier script for the same order id.
     */
    public SessionSimulator script(String orderId, Behaviour... steps) {
        scripts.script(orderId, steps);
        return this;
    }

    /** Scripts every order id {@code orderIds} accepts; each such order walks the steps on its own. */
    public SessionSimulator scriptMatching(Predicate<String> orderIds, Behaviour... steps) {
        scripts.scriptMatching(orderIds, steps);
        return this;
    }

    /** Scripts every order id starting with {@code prefix}; each such order walks the steps on its own. */
    public SessionSimulator scriptOrdersStartingWith(String prefix, Behaviour... steps) {
        Objects.requireNonNull(prefix, "prefix");
        scripts.scriptMatching(orderId -> orderId.startsWith(prefix), steps);
        return this;
    }

    /**
     * Scripts every call of merchant {@code merchantId} whose order no order script covers: each of its orders
     * walks the steps on its own, e.g. {@code scriptMerchant("m_bad", Behaviour.serverError(503))} fails that
     * merchant alone. Replaces an earlier script for the same merchant; {@link #clearScripts()} removes it.
     */
    public SessionSimulator scriptMerchant(String merchantId, Behaviour... steps) {
        scripts.scriptMerchant(merchantId, steps);
        return this;
    }

    /** The first {@code times} calls for the order get the 5xx {@code status}, later ones succeed. */
    public SessionSimulator failTimesThenSucceed(String orderId, int times, int status) {
        if (times < 0) {
            throw new IllegalArgumentException("times must not be negative, was " + times);
        }
        Behaviour[] steps = new Behaviour[times + 1];
        Arrays.fill(steps, 0, times, Behaviour.serverError(status));
        steps[times] = Behaviour.succeed();
        return script(orderId, steps);
    }

    /** Every call for the order gets the 5xx {@code status}. */
    public SessionSimulator alwaysFail(String orderId, int status) {
        return script(orderId, Behaviour.serverError(status));
    }

    /** Every call for the order gets a 400 with this {@code error_code} and {@code error_message}. */
    public SessionSimulator rejectOrder(String orderId, String errorCode, String errorMessage) {
        return script(orderId, Behaviour.reject(errorCode, errorMessage));
    }

    /** Every call for an order id starting with {@code prefix} gets a 400 with this error. */
    public SessionSimulator rejectOrdersStartingWith(String prefix, String errorCode, String errorMessage) {
        return scriptOrdersStartingWith(prefix, Behaviour.reject(errorCode, errorMessage));
    }

    /** The first call creates the order but answers the 5xx {@code status}; later calls return the order. */
    public SessionSimulator createThenFail(String orderId, int status) {
        return script(orderId, Behaviour.createThenFail(status), Behaviour.succeed());
    }

    /** Every call for the order gets 401 access_denied. */
    public SessionSimulator alwaysUnauthorized(String orderId) {
        return script(orderId, Behaviour.unauthorized());
    }

    /** Removes every script. */
    public SessionSimulator clearScripts() {
        scripts.clear();
        return this;
    }

    // ---------------------------------------------------------------- observation

    /** A snapshot of all counters. */
    public SimulatorStats stats() {
        return counters.snapshot(orders.size());
    }

    /** Requests received since start or the last reset. */
    public long requestsReceived() {
        return counters.received();
    }

    /** Answers sent with {@code status} since start or the last reset. */
    public long responses(int status) {
        return counters.responses(status);
    }

    /** Distinct orders created. */
    public long ordersCreated() {
        return orders.size();
    }

    /** Requests being handled now. */
    public int inFlight() {
        return counters.inFlight();
    }

    /** The most requests handled at once. */
    public int peakInFlight() {
        return counters.peakInFlight();
    }

    /** The recorded requests, oldest first (empty while recording is off). */
    public List<ReceivedRequest> requests() {
        return log.all();
    }

    /** The recorded requests whose body carried this {@code order_id}, oldest first. */
    public List<ReceivedRequest> requestsFor(String orderId) {
        return log.forOrder(Objects.requireNonNull(orderId, "orderId"));
    }

    /** Turns recording of requests on or off (off keeps memory flat in benchmarks). */
    public SessionSimulator recording(boolean on) {
        log.enabled(on);
        return this;
    }

    /** The orders created, oldest first. */
    public List<SimulatedOrder> orders() {
        return orders.all();
    }

    /** The order a merchant created with this order id. */
    public Optional<SimulatedOrder> order(String merchantId, String orderId) {
        return orders.find(merchantId, orderId);
    }

    /**
     * Back to the state it started in: counters, recorded requests, orders and scripts cleared; faults,
     * response shape and recording as built. Requests in flight finish normally.
     */
    public void reset() {
        faults.set(initialFaults);
        shape = initialShape;
        log.enabled(initialRecording);
        scripts.clear();
        orders.clear();
        log.clear();
        counters.reset();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Stops the simulator: every request still waiting (latency, delay or hang) has its connection dropped,
     * the port is closed, and the request threads end. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing.countDown();
        pausing.forEach(Thread::interrupt);
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.info("Session simulator on {} stopped", baseUrl);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * Holds the calling request thread for {@code duration}; false if the simulator is closing (then at once). A
     * sleep that {@link #close()} interrupts, rather than a timed wait on the closing latch: a thousand timed waiters
     * on one latch made every expiring wait walk the latch's queue, a tenth of the simulator's CPU under load.
     */
    private boolean pause(Duration duration) {
        if (closing.getCount() == 0) {
            return false;
        }
        if (duration.isZero() || duration.isNegative()) {
            return true;
        }
        Thread current = Thread.currentThread();
        pausing.add(current);
        try {
            if (closing.getCount() == 0) {
                return false;
            }
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            current.interrupt();
            return false;
        } finally {
            pausing.remove(current);
        }
    }

    /** Settings for a {@link SessionSimulator}, checked as they are given; {@link #start()} starts it. */
    public static final class Builder implements FaultControls<Builder> {

        private final Map<String, String> keyByMerchant = new LinkedHashMap<>();
        private int port;
        private int backlog = 1024;
        private SSLContext sslContext;
        private ResponseShape shape = ResponseShape.COMBINED;
        private FaultSettings faults = FaultSettings.NONE;
        private RandomGenerator random = new SplittableRandom();
        private Clock clock = Clock.systemUTC();
        private boolean recordRequests = true;
        private int maxRecordedRequests = 100_000;
        private int maxConcurrentHangs = 1_000;
        private Duration maxHang = Duration.ofMinutes(2);
        private String linkBaseUrl = "https://sandbox.juspay.in";
        private String environment = "sandbox";
        private Duration paymentLinkExpiry;
        private boolean requireRoutingId;

        private Builder() {
        }

        /** Accepts {@code apiKey} for {@code merchantId} (both required; a key must not contain ':'). */
        public Builder merchant(String merchantId, String apiKey) {
            Objects.requireNonNull(merchantId, "merchantId");
            Objects.requireNonNull(apiKey, "apiKey");
            keyByMerchant.put(merchantId, apiKey);
            return this;
        }

        /** Adds every merchant and API key of {@code keyByMerchant}. */
        public Builder merchants(Map<String, String> keyByMerchant) {
            Objects.requireNonNull(keyByMerchant, "keyByMerchant").forEach(this::merchant);
            return this;
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + value);
            }
            port = value;
            return this;
        }

        /** The listen backlog (default 1024). */
        public Builder backlog(int value) {
            backlog = requireAtLeast(1, value, "backlog");
            return this;
        }

        /** Serve HTTPS with this context instead of plain HTTP. */
        public Builder sslContext(SSLContext value) {
            sslContext = Objects.requireNonNull(value, "sslContext");
            return this;
        }

        /** The shape of {@code 200} bodies (default {@link ResponseShape#COMBINED}). */
        public Builder responseShape(ResponseShape value) {
            shape = Objects.requireNonNull(value, "responseShape");
            return this;
        }

        /** All fault settings at once. */
        public Builder faults(FaultSettings value) {
            faults = Objects.requireNonNull(value, "faults");
            return this;
        }

        /** Applies {@code change} to the fault settings to start with. */
        @Override
        public Builder changeFaults(UnaryOperator<FaultSettings> change) {
            faults = Objects.requireNonNull(change.apply(faults), "faults");
            return this;
        }

        /** The source of every random choice (faults, latency, ids); seed it for deterministic tests. */
        public Builder random(RandomGenerator value) {
            random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** Same as {@code random(new SplittableRandom(seed))}. */
        public Builder seed(long seed) {
            return random(new SplittableRandom(seed));
        }

        /** The clock for timestamps (received-at, order creation, token expiry). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Whether to record requests (default true). */
        public Builder recordRequests(boolean value) {
            recordRequests = value;
            return this;
        }

        /** At most this many requests are kept; the oldest are dropped (default 100,000). */
        public Builder maxRecordedRequests(int value) {
            maxRecordedRequests = requireAtLeast(1, value, "maxRecordedRequests");
            return this;
        }

        /** At most this many requests hang at once; further hangs drop the connection at once (default 1,000). */
        public Builder maxConcurrentHangs(int value) {
            maxConcurrentHangs = requireAtLeast(0, value, "maxConcurrentHangs");
            return this;
        }

        /** A hanging request's connection is dropped after this long at the latest (default 2 minutes). */
        public Builder maxHang(Duration value) {
            Objects.requireNonNull(value, "maxHang");
            if (value.isNegative()) {
                throw new IllegalArgumentException("maxHang must not be negative, was " + value);
            }
            maxHang = value;
            return this;
        }

        /** Where payment and authentication links point (default {@code https://sandbox.juspay.in}). */
        public Builder linkBaseUrl(String value) {
            linkBaseUrl = Objects.requireNonNull(value, "linkBaseUrl");
            return this;
        }

        /** The SDK payload's {@code environment} (default {@code sandbox}). */
        public Builder environment(String value) {
            environment = Objects.requireNonNull(value, "environment");
            return this;
        }

        /** Gives payment links this lifetime; by default {@code expiry} is Juspay's sample string {@code "null"}. */
        public Builder paymentLinkExpiry(Duration value) {
            paymentLinkExpiry = Objects.requireNonNull(value, "paymentLinkExpiry");
            return this;
        }

        /** Whether a request without {@code x-routing-id} gets a 400 (default false). */
        public Builder requireRoutingId(boolean value) {
            requireRoutingId = value;
            return this;
        }

        /** {@code value} when it is at least {@code min}; else an exception naming the setting. */
        private static int requireAtLeast(int min, int value, String name) {
            if (value < min) {
                String rule = min == 0 ? "must not be negative" : "must be at least " + min;
                throw new IllegalArgumentException(name + " " + rule + ", was " + value);
            }
            return value;
        }

        /**
         * Starts the simulator.
         *
         * @throws IllegalStateException when no merchant was configured
         * @throws UncheckedIOException  when the port cannot be bound
         */
        public SessionSimulator start() {
            if (keyByMerchant.isEmpty()) {
                throw new IllegalStateException("at least one merchant and API key must be configured");
            }
            try {
                return new SessionSimulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the session simulator on 127.0.0.1:" + port, e);
            }
        }
    }
}
