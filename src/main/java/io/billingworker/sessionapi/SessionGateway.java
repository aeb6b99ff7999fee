package io.billingworker.sessionapi;

import io.billingworker.mapping.SessionRequest;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilient {@code /session} call: retries, one circuit breaker and one rate limiter per merchant, and
 * a global cap on calls in flight, around a {@link SessionApi} that makes single attempts. Blocking; call
 * it from a virtual thread.
 *
 * <p>Each attempt, in order: the merchant must not be inside a 429's {@code Retry-After} (else
 * {@link SessionCallResult.Throttled}); the merchant's breaker must permit it (else
 * {@link SessionCallResult.BreakerOpen}); the merchant's rate limiter and the in-flight cap must each give a permit
 * within their waits (else {@code Throttled}); then one HTTP request. Only {@link HttpResult.Retryable} results are
 * retried (an invalid 2xx among them: {@code INVALID_RESPONSE} when the budget runs out on one), and all of them but
 * 429 count as breaker failures, as does a {@link HttpResult.Redirect} (final: {@code UNEXPECTED_REDIRECT}, logged at
 * WARN once per merchant and {@code Location}): a 429 says "slow down", so it holds the merchant's
 * calls until its {@code Retry-After} instead; rejections and auth failures show that the API is up and count as
 * breaker successes (a slow one still counts as slow). If the breaker opens between attempts, the call stops with
 * {@code BreakerOpen} instead of sleeping towards a call it would refuse. Open breakers move to half-open on their
 * own timer ({@code breaker.open-wait-ms}), whatever becomes of the records behind them.
 *
 * <p>A record's {@link CallBudget} spans all its calls: holding never renews it, so {@code retry.max-attempts} counts
 * every attempt that reached the API, and a record whose budget is spent is dead-lettered whatever the breaker's
 * state. An attempt cut short by an interrupt (drain, shutdown) counts for neither the budget nor the breaker.
 *
 * <p>Retrying uses a Resilience4j {@link Retry} context per record (its decision, events and metrics) with the
 * {@link RetryBackoff} interval function. Resilience4j 2.3 sleeps through one JVM-wide static function
 * ({@code RetryImpl.setSleepFunction}), which a component must not replace; so the interval function only computes
 * the wait and reports 0 ms to the Retry, and the call waits through the record's own {@link Sleeper}.
 * Resilience4j's own retry events therefore show a wait of 0; this class logs the real one.
 *
 * <p>Metrics bound to the given registry: Resilience4j's tagged circuit breaker, rate limiter, retry and
 * bulkhead meters (tag {@code name} = merchant id, or {@value #RESILIENCE_NAME}), the {@value #CALL_TIMER}
 * timer (histogram) per attempt tagged {@code merchant} and {@code status_class}
 * ({@code 2xx}/{@code 3xx}/{@code 4xx}/{@code 5xx}/{@code invalid}/{@code timeout}/{@code io}), and the
 * {@value #RESULT_COUNTER} counter per record tagged {@code merchant} and {@code result}.
 */
public final class SessionGateway {

    /** Latency of one HTTP attempt. */
    public static final String CALL_TIMER = "juspay.session.call";
    /** Records whose call ended, by result ({@code created}, {@code rejected}, {@code dead_letter}, ...). */
    public static final String RESULT_COUNTER = "juspay.session.results";
    /** Name of the Retry and of the in-flight Bulkhead in Resilience4j's metrics. */
    public static final String RESILIENCE_NAME = "juspay-session";

    private static final Logger LOG = LoggerFactory.getLogger(SessionGateway.class);

    private final SessionApi api;
    private final ResilienceSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RetryBackoff backoff;
    private final CircuitBreakerRegistry breakers;
    private final RateLimiterRegistry rateLimiters;
    private final Retry retry;
    private final Bulkhead inFlight;
    private final SessionCallMetrics metrics;
    private final List<BreakerStateListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> openUntil = new ConcurrentHashMap<>();
    private final Map<String, Instant> throttledUntil = new ConcurrentHashMap<>();
    /** The last redirect each merchant was warned of (status and {@code Location}). */
    private final Map<String, String> redirectsWarned = new ConcurrentHashMap<>();
    /**
     * The backoff that Resilience4j's interval function computed for the attempt just judged on this thread. The
     * function only computes; the caller waits through the record's own {@link Sleeper}, which gives up the
     * record's concurrency permit meanwhile (Resilience4j 2.3 would sleep through one JVM-wide static function).
     */
    private static final ThreadLocal<Long> NEXT_WAIT = new ThreadLocal<>();

    private SessionGateway(Builder builder) {
        this.api = builder.api;
        this.settings = builder.settings;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.backoff = new RetryBackoff(settings, builder.random);
        this.breakers = CircuitBreakerRegistry.of(breakerConfig(settings, clock));
        this.breakers.getEventPublisher().onEntryAdded(added -> watch(added.getAddedEntry()));
        this.rateLimiters = RateLimiterRegistry.ofDefaults();
        RetryRegistry retries = RetryRegistry.of(retryConfig());
        this.retry = retries.retry(RESILIENCE_NAME);
        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxInFlight())
                .maxWaitDuration(settings.inFlightWait())
                .build());
        this.inFlight = bulkheads.bulkhead(RESILIENCE_NAME);
        MeterRegistry meterRegistry = builder.meterRegistry;
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meterRegistry);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(rateLimiters).bindTo(meterRegistry);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meterRegistry);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meterRegistry);
        this.metrics = new SessionCallMetrics(meterRegistry);
    }

    /**
     * @param api      makes single attempts, normally a {@link SessionApiClient}
     * @param settings retry, breaker, rate limit and in-flight settings
     */
    public static Builder builder(SessionApi api, ResilienceSettings settings) {
        return new Builder(api, settings);
    }

    /**
     * Calls {@code POST /session} for one record until it is decided or must wait, with a fresh attempt budget and
     * the gateway's own sleeper.
     *
     * @see #call(SessionRequest, MerchantCredentials, CallBudget, Sleeper)
     */
    public SessionCallResult call(SessionRequest request, MerchantCredentials credentials)
            throws InterruptedException {
        return call(request, credentials, newBudget(), sleeper);
    }

    /** A new attempt budget for one record: {@code retry.max-attempts} attempts over all its calls. */
    public CallBudget newBudget() {
        return new CallBudget(retry.context());
    }

    /**
     * Calls {@code POST /session} for one record until it is decided or must wait.
     *
     * @param request     the prepared request; its merchant id must be the credentials' merchant id
     * @param credentials the merchant's id and API key
     * @param budget      the record's attempt budget, the same object on every call for the record
     * @param waits       how to wait for a retry backoff or a rate-limit permit; a record's waits give up its
     *                    concurrency permit meanwhile and are bounded by its hold bound
     * @return created, rejected, dead-letter, or breaker-open / throttled (hold and call again later)
     * @throws InterruptedException when the thread is interrupted while waiting or calling: nothing is
     *                              decided for the record, and an attempt cut short counts for neither the budget
     *                              nor the breaker
     */
    public SessionCallResult call(SessionRequest request, MerchantCredentials credentials, CallBudget budget,
            Sleeper waits) throws InterruptedException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(waits, "waits");
        String merchantId = credentials.merchantId();
        if (!merchantId.equals(request.merchantId())) {
            throw new IllegalArgumentException("credentials are for merchant '" + merchantId
                    + "' but the request is for merchant '" + request.merchantId() + "'");
        }
        CircuitBreaker breaker = breakers.circuitBreaker(merchantId);
        RateLimiter rateLimiter = rateLimiters.rateLimiter(merchantId, () -> rateLimiterConfig(merchantId));
        int attempts = 0;
        while (true) {
            if (serverThrottled(merchantId)) {
                return finish(request, new SessionCallResult.Throttled(merchantId, ThrottleReason.SERVER_THROTTLED,
                        attempts));
            }
            if (!breaker.tryAcquirePermission()) {
                return finish(request, new SessionCallResult.BreakerOpen(merchantId, attempts));
            }
            ThrottleReason throttled = acquirePermits(rateLimiter, breaker, waits);
            if (throttled != null) {
                return finish(request, new SessionCallResult.Throttled(merchantId, throttled, attempts));
            }
            if (serverThrottled(merchantId)) {
                // Another call's 429 arrived while this one waited for its permits: honour its Retry-After too.
                inFlight.onComplete();
                breaker.releasePermission();
                return finish(request, new SessionCallResult.Throttled(merchantId, ThrottleReason.SERVER_THROTTLED,
                        attempts));
            }
            HttpResult result = sendOnce(request, credentials, breaker);
            attempts++;
            budget.attempted(result);
            if (result instanceof HttpResult.Retryable retryable && retryable.isServerThrottle()) {
                throttleMerchant(merchantId, retryable);
            }
            if (result instanceof HttpResult.Redirect redirect) {
                warnOfRedirect(merchantId, redirect);
            }
            long waitMillis = retryWait(budget, result, request);
            if (waitMillis < 0) {
                budget.retryContext().onComplete();
                return finish(request, decided(result, budget.attempts()));
            }
            if (!permitsCalls(breaker)) {
                // The breaker opened (maybe on this very failure): hold the record instead of sleeping towards a call
                // it would refuse. Its budget is kept: the next call goes on counting.
                return finish(request, new SessionCallResult.BreakerOpen(merchantId, attempts));
            }
            waits.sleep(Duration.ofMillis(waitMillis));
        }
    }

    /** Each known merchant's breaker state, by merchant id. */
    public Map<String, CircuitBreaker.State> breakerStates() {
        Map<String, CircuitBreaker.State> states = new TreeMap<>();
        breakers.getAllCircuitBreakers().forEach(breaker -> states.put(breaker.getName(), breaker.getState()));
        return Map.copyOf(states);
    }

    /**
     * How long until the merchant's open breaker lets a trial call through; {@link Duration#ZERO} when it is
     * not open (or the merchant is unknown).
     */
    public Duration untilBreakerRetry(String merchantId) {
        CircuitBreaker breaker = breakers.find(merchantId).orElse(null);
        if (breaker == null || permitsCalls(breaker)) {
            return Duration.ZERO;
        }
        Instant until = openUntil.get(merchantId);
        if (until == null || breaker.getState() == CircuitBreaker.State.FORCED_OPEN) {
            return settings.breakerWaitInOpen();
        }
        Duration left = Duration.between(clock.instant(), until);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * How long the merchant's calls still wait after a 429 from Juspay ({@code Retry-After}, or the first backoff
     * when it sent none); {@link Duration#ZERO} when they need not wait.
     */
    public Duration untilServerThrottleEnds(String merchantId) {
        Instant until = throttledUntil.get(merchantId);
        if (until == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), until);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** One WARN per merchant and {@code Location}: each record's own dead letter is logged at DEBUG after it. */
    private void warnOfRedirect(String merchantId, HttpResult.Redirect redirect) {
        String target = redirect.httpStatus() + " " + redirect.location();
        if (!target.equals(redirectsWarned.put(merchantId, target))) {
            LOG.warn("POST /session for merchant {} answered {}; its records are dead-lettered as "
                    + "UNEXPECTED_REDIRECT until juspay.base-url (or the proxy in between) is fixed",
                    merchantId, redirect.message());
        }
    }

    private boolean serverThrottled(String merchantId) {
        return !untilServerThrottleEnds(merchantId).isZero();
    }

    private void throttleMerchant(String merchantId, HttpResult.Retryable throttle) {
        Duration wait = throttle.retryAfter() != null ? throttle.retryAfter() : settings.initialBackoff();
        if (wait.compareTo(settings.maxRetryAfter()) > 0) {
            wait = settings.maxRetryAfter();
        }
        Instant until = clock.instant().plus(wait);
        throttledUntil.merge(merchantId, until, (a, b) -> a.isAfter(b) ? a : b);
        LOG.debug("Juspay throttled merchant {} (429); its calls wait {} ms", merchantId, wait.toMillis());
    }

    /** Adds a listener told about every breaker state transition. */
    public void addBreakerStateListener(BreakerStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public ResilienceSettings settings() {
        return settings;
    }

    private ThrottleReason acquirePermits(RateLimiter rateLimiter, CircuitBreaker breaker, Sleeper waits)
            throws InterruptedException {
        long waitNanos = rateLimiter.reservePermission();
        if (waitNanos < 0) {
            breaker.releasePermission();
            return ThrottleReason.RATE_LIMITED;
        }
        try {
            if (waitNanos > 0) {
                waits.sleep(Duration.ofNanos(waitNanos));
            }
        } catch (InterruptedException | RuntimeException e) {
            breaker.releasePermission();
            throw e;
        }
        if (!inFlight.tryAcquirePermission()) {
            breaker.releasePermission();
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for an in-flight slot");
            }
            return ThrottleReason.IN_FLIGHT_LIMIT;
        }
        return null;
    }

    private HttpResult sendOnce(SessionRequest request, MerchantCredentials credentials, CircuitBreaker breaker)
            throws InterruptedException {
        Instant start = clock.instant();
        HttpResult result;
        try {
            result = api.send(request, credentials.apiKey());
        } catch (RuntimeException e) {
            breaker.releasePermission();
            throw e;
        } finally {
            inFlight.onComplete();
        }
        if (Thread.interrupted()) {
            // Cut short by a drain or shutdown: says nothing about the API, and the record runs again.
            breaker.releasePermission();
            throw new InterruptedException("interrupted during POST /session for merchant "
                    + credentials.merchantId());
        }
        Duration elapsed = Duration.between(start, clock.instant());
        if (elapsed.isNegative()) {
            elapsed = Duration.ZERO;
        }
        breaker.onResult(elapsed.toNanos(), TimeUnit.NANOSECONDS, result);
        metrics.recordCall(credentials.merchantId(), result.statusClass(), elapsed);
        return result;
    }

    /**
     * Asks the record's Retry context whether to go again: the wait before the next attempt in milliseconds, or -1
     * when the result is final (a success, a rejection, or the budget is spent).
     */
    private long retryWait(CallBudget budget, HttpResult result, SessionRequest request) {
        if (result instanceof HttpResult.Retryable retryable) {
            LOG.debug("POST /session for merchant {} order {} failed on attempt {}: {}", request.merchantId(),
                    request.orderId(), budget.attempts(), retryable.message());
        }
        NEXT_WAIT.remove();
        if (!budget.retryContext().onResult(result)) {
            return -1;
        }
        Long wait = NEXT_WAIT.get();
        NEXT_WAIT.remove();
        return wait == null ? 0 : wait;
    }

    private SessionCallResult decided(HttpResult result, int attempts) {
        return switch (result) {
            case HttpResult.Success success -> new SessionCallResult.Created(success.response(), attempts);
            case HttpResult.Rejected rejected -> new SessionCallResult.Rejected(rejected.error(), attempts);
            case HttpResult.AuthFailure auth -> new SessionCallResult.DeadLetter(DeadLetterReason.AUTH_FAILED,
                    auth.error().httpStatus(), null, auth.error().summary(), attempts);
            case HttpResult.Redirect redirect -> new SessionCallResult.DeadLetter(
                    DeadLetterReason.UNEXPECTED_REDIRECT, redirect.httpStatus(), null, redirect.message(), attempts);
            case HttpResult.Retryable failure -> new SessionCallResult.DeadLetter(
                    failure.kind() == FailureKind.INVALID_RESPONSE
                            ? DeadLetterReason.INVALID_RESPONSE : DeadLetterReason.RETRIES_EXHAUSTED,
                    failure.httpStatus(), failure.exceptionClass(), failure.message(), attempts);
        };
    }

    private SessionCallResult finish(SessionRequest request, SessionCallResult result) {
        String merchantId = request.merchantId();
        String tag = switch (result) {
            case SessionCallResult.Created created -> "created";
            case SessionCallResult.Rejected rejected -> {
                LOG.info("POST /session rejected for merchant {} order {}: {}", merchantId, request.orderId(),
                        rejected.error().summary());
                yield "rejected";
            }
            case SessionCallResult.DeadLetter deadLetter when deadLetter.reason()
                    == DeadLetterReason.UNEXPECTED_REDIRECT -> {
                LOG.debug("POST /session for merchant {} order {} goes to dead letter ({}): {}", merchantId,
                        request.orderId(), deadLetter.reason(), deadLetter.message());
                yield "dead_letter";
            }
            case SessionCallResult.DeadLetter deadLetter -> {
                LOG.warn("POST /session for merchant {} order {} goes to dead letter ({}) after {} attempt(s): {}",
                        merchantId, request.orderId(), deadLetter.reason(), deadLetter.attempts(),
                        deadLetter.message());
                yield "dead_letter";
            }
            case SessionCallResult.BreakerOpen open -> "breaker_open";
            case SessionCallResult.Throttled throttled -> switch (throttled.reason()) {
                case RATE_LIMITED -> "rate_limited";
                case IN_FLIGHT_LIMIT -> "in_flight_limit";
                case SERVER_THROTTLED -> "server_throttled";
            };
        };
        metrics.recordResult(merchantId, tag);
        return result;
    }

    private static boolean permitsCalls(CircuitBreaker breaker) {
        CircuitBreaker.State state = breaker.getState();
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    private void watch(CircuitBreaker breaker) {
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State from = event.getStateTransition().getFromState();
            CircuitBreaker.State to = event.getStateTransition().getToState();
            String merchantId = event.getCircuitBreakerName();
            if (to == CircuitBreaker.State.OPEN) {
                openUntil.put(merchantId, clock.instant().plus(settings.breakerWaitInOpen()));
                LOG.warn("Circuit breaker for merchant {} opened ({} -> {}); calls refused for {}", merchantId,
                        from, to, settings.breakerWaitInOpen());
            } else {
                openUntil.remove(merchantId);
                LOG.info("Circuit breaker for merchant {}: {} -> {}", merchantId, from, to);
            }
            for (BreakerStateListener listener : listeners) {
                try {
                    listener.onStateTransition(merchantId, from, to);
                } catch (RuntimeException e) {
                    LOG.warn("Breaker state listener failed for merchant {}", merchantId, e);
                }
            }
        });
    }

    private RetryConfig retryConfig() {
        IntervalBiFunction<HttpResult> waitThenProceed = (attempt, outcome) -> {
            long millis = backoff.apply(attempt, outcome);
            LOG.debug("Retrying POST /session in {} ms (attempt {} of {})", millis, attempt + 1,
                    settings.maxAttempts());
            NEXT_WAIT.set(millis);
            return 0L;
        };
        return RetryConfig.<HttpResult>custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnResult(result -> result instanceof HttpResult.Retryable)
                .retryOnException(e -> false)
                .intervalBiFunction(waitThenProceed)
                .failAfterMaxAttempts(false)
                .build();
    }

    private static CircuitBreakerConfig breakerConfig(ResilienceSettings settings, Clock clock) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerSlidingWindowSize())
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .failureRateThreshold(settings.breakerFailureRateThreshold())
                .slowCallRateThreshold(settings.breakerSlowCallRateThreshold())
                .slowCallDurationThreshold(settings.breakerSlowCallDuration())
                .waitDurationInOpenState(settings.breakerWaitInOpen())
                .permittedNumberOfCallsInHalfOpenState(settings.breakerHalfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordResult(result -> result instanceof HttpResult.Redirect
                        || result instanceof HttpResult.Retryable retryable && !retryable.isServerThrottle())
                .clock(clock)
                .build();
    }

    private RateLimiterConfig rateLimiterConfig(String merchantId) {
        return RateLimiterConfig.custom()
                .limitForPeriod(settings.rateLimitFor(merchantId))
                .limitRefreshPeriod(settings.rateLimitPeriod())
                .timeoutDuration(settings.rateLimitWait())
                .build();
    }

    /** Builds a {@link SessionGateway}; clock, sleeper, random source and meter registry are optional. */
    public static final class Builder {
        private final SessionApi api;
        private final ResilienceSettings settings;
        private MeterRegistry meterRegistry = new SimpleMeterRegistry();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.threadSleep();
        private RandomGenerator random = new Random();

        private Builder(SessionApi api, ResilienceSettings settings) {
            this.api = Objects.requireNonNull(api, "api");
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** Where all meters go; a private {@link SimpleMeterRegistry} when not set. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /** Times calls and the breaker's open state. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Waits between attempts and for rate-limit permits. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Jitter source; must be safe for concurrent use. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public SessionGateway build() {
            return new SessionGateway(this);
        }
    }
}
