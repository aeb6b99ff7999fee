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
 * <p>Each attempt, in order: the merchant's breaker must permit it (else {@link SessionCallResult.BreakerOpen});
 * the merchant's rate limiter and the in-flight cap must each give a permit within their waits (else
 * {@link SessionCallResult.Throttled}); then one HTTP request. Only {@link HttpResult.Retryable} results are
 * retried and only they count as breaker failures; rejections and auth failures show that the API is up and
 * count as breaker successes (a slow one still counts as slow). If the breaker opens between attempts, the
 * call stops with {@code BreakerOpen} instead of sleeping towards a call it would refuse. A record whose last
 * attempt fails while the breaker is open or half-open also ends with {@code BreakerOpen}, not a dead letter:
 * it failed because of an outage, and is held until the breaker lets calls through again.
 *
 * <p>Retrying uses a Resilience4j {@link Retry} (its decision, events and metrics) with the
 * {@link RetryBackoff} interval function. Resilience4j 2.3 sleeps through one JVM-wide static function
 * ({@code RetryImpl.setSleepFunction}), which a component must not replace; so the interval function given
 * to the Retry does the wait itself through the injected {@link Sleeper} and reports 0 ms to the Retry.
 * Resilience4j's own retry events therefore show a wait of 0; this class logs the real one.
 *
 * <p>Metrics bound to the given registry: Resilience4j's tagged circuit breaker, rate limiter, retry and
 * bulkhead meters (tag {@code name} = merchant id, or {@value #RESILIENCE_NAME}), the {@value #CALL_TIMER}
 * timer (histogram) per attempt tagged {@code merchant} and {@code status_class}
 * ({@code 2xx}/{@code 4xx}/{@code 5xx}/{@code timeout}/{@code io}), and the {@value #RESULT_COUNTER} counter
 * per record tagged {@code merchant} and {@code result}.
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
     * Calls {@code POST /session} for one record until it is decided or must wait.
     *
     * @param request     the prepared request; its merchant id must be the credentials' merchant id
     * @param credentials the merchant's id and API key
     * @return created, rejected, dead-letter, or breaker-open / throttled (hold and call again later)
     * @throws InterruptedException when the thread is interrupted while waiting or calling: nothing is
     *                              decided for the record
     */
    public SessionCallResult call(SessionRequest request, MerchantCredentials credentials)
            throws InterruptedException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(credentials, "credentials");
        String merchantId = credentials.merchantId();
        if (!merchantId.equals(request.merchantId())) {
            throw new IllegalArgumentException("credentials are for merchant '" + merchantId
                    + "' but the request is for merchant '" + request.merchantId() + "'");
        }
        CircuitBreaker breaker = breakers.circuitBreaker(merchantId);
        RateLimiter rateLimiter = rateLimiters.rateLimiter(merchantId, () -> rateLimiterConfig(merchantId));
        Retry.Context<HttpResult> retryContext = retry.context();
        int attempts = 0;
        while (true) {
            if (!breaker.tryAcquirePermission()) {
                return finish(request, new SessionCallResult.BreakerOpen(merchantId, attempts));
            }
            ThrottleReason throttled = acquirePermits(rateLimiter, breaker);
            if (throttled != null) {
                return finish(request, new SessionCallResult.Throttled(merchantId, throttled, attempts));
            }
            HttpResult result = sendOnce(request, credentials, breaker);
            attempts++;
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted during POST /session for merchant " + merchantId);
            }
            if (result instanceof HttpResult.Retryable && mustHold(breaker, attempts)) {
                return finish(request, new SessionCallResult.BreakerOpen(merchantId, attempts));
            }
            if (!retryAfterWait(retryContext, result, request, attempts)) {
                retryContext.onComplete();
                return finish(request, decided(result, attempts));
            }
        }
    }

    /** Whether any merchant's breaker is open (refusing calls). */
    public boolean anyBreakerOpen() {
        return breakers.getAllCircuitBreakers().stream().anyMatch(breaker -> !permitsCalls(breaker));
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

    /** Adds a listener told about every breaker state transition. */
    public void addBreakerStateListener(BreakerStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public ResilienceSettings settings() {
        return settings;
    }

    private ThrottleReason acquirePermits(RateLimiter rateLimiter, CircuitBreaker breaker)
            throws InterruptedException {
        long waitNanos = rateLimiter.reservePermission();
        if (waitNanos < 0) {
            breaker.releasePermission();
            return ThrottleReason.RATE_LIMITED;
        }
        try {
            if (waitNanos > 0) {
                sleeper.sleep(Duration.ofNanos(waitNanos));
            }
        } catch (InterruptedException e) {
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

    private HttpResult sendOnce(SessionRequest request, MerchantCredentials credentials, CircuitBreaker breaker) {
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
        Duration elapsed = Duration.between(start, clock.instant());
        if (elapsed.isNegative()) {
            elapsed = Duration.ZERO;
        }
        breaker.onResult(elapsed.toNanos(), TimeUnit.NANOSECONDS, result);
        metrics.recordCall(credentials.merchantId(), result.statusClass(), elapsed);
        return result;
    }

    /** Asks the Retry whether to go again; if so, the interval function has already waited. */
    private boolean retryAfterWait(Retry.Context<HttpResult> retryContext, HttpResult result,
                                   SessionRequest request, int attempts) throws InterruptedException {
        if (result instanceof HttpResult.Retryable retryable) {
            LOG.debug("POST /session for merchant {} order {} failed on attempt {}: {}", request.merchantId(),
                    request.orderId(), attempts, retryable.message());
        }
        try {
            return retryContext.onResult(result);
        } catch (SleepInterrupted e) {
            throw e.interruption;
        }
    }

    private SessionCallResult decided(HttpResult result, int attempts) {
        return switch (result) {
            case HttpResult.Success success -> new SessionCallResult.Created(success.response(), attempts);
            case HttpResult.Rejected rejected -> new SessionCallResult.Rejected(rejected.error(), attempts);
            case HttpResult.AuthFailure auth -> new SessionCallResult.DeadLetter(DeadLetterReason.AUTH_FAILED,
                    auth.error().httpStatus(), null, auth.error().summary(), attempts);
            case HttpResult.Retryable failure -> new SessionCallResult.DeadLetter(
                    DeadLetterReason.RETRIES_EXHAUSTED, failure.httpStatus(), failure.exceptionClass(),
                    failure.message(), attempts);
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
            case SessionCallResult.DeadLetter deadLetter -> {
                LOG.warn("POST /session for merchant {} order {} goes to dead letter ({}) after {} attempt(s): {}",
                        merchantId, request.orderId(), deadLetter.reason(), deadLetter.attempts(),
                        deadLetter.message());
                yield "dead_letter";
            }
            case SessionCallResult.BreakerOpen open -> "breaker_open";
            case SessionCallResult.Throttled throttled -> throttled.reason() == ThrottleReason.RATE_LIMITED
                    ? "rate_limited" : "in_flight_limit";
        };
        metrics.recordResult(merchantId, tag);
        return result;
    }

    /**
     * After a retryable failure: whether the record must be held instead of retried or dead-lettered. While the
     * breaker is open a retry would be refused. And when the last attempt failed while the breaker was open (this
     * very failure may have opened it) or half-open (still testing whether the API is back), the record failed
     * because of an outage the breaker judged or suspects: "retries exhausted" dead letters are for records that
     * fail while the API is judged up, so it is held and called again once the breaker lets calls through.
     */
    private boolean mustHold(CircuitBreaker breaker, int attempts) {
        if (!permitsCalls(breaker)) {
            return true;
        }
        return attempts >= settings.maxAttempts() && breaker.getState() == CircuitBreaker.State.HALF_OPEN;
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
            try {
                sleeper.sleep(Duration.ofMillis(millis));
            } catch (InterruptedException e) {
                throw new SleepInterrupted(e);
            }
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
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordResult(result -> result instanceof HttpResult.Retryable)
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

    /** Carries an interrupted backoff sleep out of Resilience4j's Retry, which only lets unchecked exceptions through. */
    private static final class SleepInterrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient InterruptedException interruption;

        SleepInterrupted(InterruptedException interruption) {
            super(null, interruption, false, false);
            this.interruption = interruption;
        }
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
