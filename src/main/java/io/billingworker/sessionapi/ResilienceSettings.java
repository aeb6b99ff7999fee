package io.billingworker.sessionapi;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the {@link SessionGateway} retries, trips, throttles and caps {@code /session} calls. Validated when
 * built; every message names the setting and the bad value. The defaults suit a payment API.
 *
 * @param maxAttempts                  HTTP attempts per record, the first included
 * @param initialBackoff               wait after the first failed attempt
 * @param backoffMultiplier            growth of the wait per further attempt
 * @param maxBackoff                   longest computed wait (before jitter)
 * @param jitterFactor                 each wait is spread uniformly over {@code +-jitterFactor} of itself
 * @param maxRetryAfter                a server's {@code Retry-After} is honoured up to this long
 * @param breakerSlidingWindowSize     calls per merchant the breaker looks at
 * @param breakerMinimumCalls          calls needed before the breaker may open
 * @param breakerFailureRateThreshold  percentage of retryable failures that opens the breaker
 * @param breakerSlowCallRateThreshold percentage of slow calls that opens the breaker
 * @param breakerSlowCallDuration      a call taking longer than this is slow
 * @param breakerWaitInOpen            how long an open breaker refuses calls before trying half-open
 * @param breakerHalfOpenCalls         trial calls in half-open state
 * @param rateLimitPerPeriod           default calls per merchant per {@code rateLimitPeriod}
 * @param rateLimitPeriod              the rate limiter's period (one second for a per-second limit)
 * @param merchantRateLimits           per-merchant overrides of {@code rateLimitPerPeriod}
 * @param rateLimitWait                longest wait for a rate-limit permit before the call is throttled
 * @param maxInFlight                  calls in flight across all merchants; size it to the worker's
 *                                     concurrency and at most the client's pool size
 * @param inFlightWait                 longest wait for an in-flight slot before the call is throttled
 */
public record ResilienceSettings(
        int maxAttempts,
        Duration initialBackoff,
        double backoffMultiplier,
        Duration maxBackoff,
        double jitterFactor,
        Duration maxRetryAfter,
        int breakerSlidingWindowSize,
        int breakerMinimumCalls,
        float breakerFailureRateThreshold,
        float breakerSlowCallRateThreshold,
        Duration breakerSlowCallDuration,
        Duration breakerWaitInOpen,
        int breakerHalfOpenCalls,
        int rateLimitPerPeriod,
        Duration rateLimitPeriod,
        Map<String, Integer> merchantRateLimits,
        Duration rateLimitWait,
        int maxInFlight,
        Duration inFlightWait) {

    static final int MAX_ATTEMPTS_LIMIT = 100;

    public ResilienceSettings {
        requireRange("maxAttempts", maxAttempts, 1, MAX_ATTEMPTS_LIMIT);
        requirePositive("initialBackoff", initialBackoff);
        if (!(backoffMultiplier >= 1.0 && backoffMultiplier <= 10.0)) {
            throw new IllegalArgumentException("backoffMultiplier must be between 1.0 and 10.0, was "
                    + backoffMultiplier);
        }
        requirePositive("maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be at least initialBackoff (" + initialBackoff
                    + "), was " + maxBackoff);
        }
        if (!(jitterFactor >= 0.0 && jitterFactor < 1.0)) {
            throw new IllegalArgumentException("jitterFactor must be at least 0 and below 1, was " + jitterFactor);
        }
        requireNotNegative("maxRetryAfter", maxRetryAfter);
        requireRange("breakerSlidingWindowSize", breakerSlidingWindowSize, 1, 100_000);
        requireRange("breakerMinimumCalls", breakerMinimumCalls, 1, breakerSlidingWindowSize);
        requirePercentage("breakerFailureRateThreshold", breakerFailureRateThreshold);
        requirePercentage("breakerSlowCallRateThreshold", breakerSlowCallRateThreshold);
        requirePositive("breakerSlowCallDuration", breakerSlowCallDuration);
        requirePositive("breakerWaitInOpen", breakerWaitInOpen);
        requireRange("breakerHalfOpenCalls", breakerHalfOpenCalls, 1, 10_000);
        requireRange("rateLimitPerPeriod", rateLimitPerPeriod, 1, 1_000_000);
        requirePositive("rateLimitPeriod", rateLimitPeriod);
        merchantRateLimits = validRateLimits(merchantRateLimits);
        requireNotNegative("rateLimitWait", rateLimitWait);
        requireRange("maxInFlight", maxInFlight, 1, 100_000);
        requireNotNegative("inFlightWait", inFlightWait);
    }

    /** The default settings. */
    public static ResilienceSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Calls per {@link #rateLimitPeriod()} allowed for {@code merchantId}. */
    public int rateLimitFor(String merchantId) {
        return merchantRateLimits.getOrDefault(merchantId, rateLimitPerPeriod);
    }

    private static Map<String, Integer> validRateLimits(Map<String, Integer> limits) {
        if (limits == null) {
            throw new IllegalArgumentException("merchantRateLimits is required (empty for none)");
        }
        Map<String, Integer> copy = new TreeMap<>();
        limits.forEach((merchant, limit) -> {
            if (merchant == null || merchant.isBlank()) {
                throw new IllegalArgumentException("merchantRateLimits has a blank merchant id");
            }
            if (limit == null || limit < 1 || limit > 1_000_000) {
                throw new IllegalArgumentException("merchantRateLimits." + merchant
                        + " must be between 1 and 1000000, was " + limit);
            }
            copy.put(merchant, limit);
        });
        return Map.copyOf(copy);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void requirePercentage(String name, float value) {
        if (!(value > 0f && value <= 100f)) {
            throw new IllegalArgumentException(name + " must be above 0 and at most 100, was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        SessionApiSettings.requirePositive(name, value);
    }

    private static void requireNotNegative(String name, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    /** Builds {@link ResilienceSettings}; starts from the defaults, {@link #build()} validates. */
    public static final class Builder {
        private int maxAttempts = 6;
        private Duration initialBackoff = Duration.ofMillis(200);
        private double backoffMultiplier = 2.0;
        private Duration maxBackoff = Duration.ofSeconds(10);
        private double jitterFactor = 0.5;
        private Duration maxRetryAfter = Duration.ofSeconds(30);
        private int breakerSlidingWindowSize = 50;
        private int breakerMinimumCalls = 20;
        private float breakerFailureRateThreshold = 50f;
        private float breakerSlowCallRateThreshold = 50f;
        private Duration breakerSlowCallDuration = Duration.ofSeconds(10);
        private Duration breakerWaitInOpen = Duration.ofSeconds(30);
        private int breakerHalfOpenCalls = 5;
        private int rateLimitPerPeriod = 200;
        private Duration rateLimitPeriod = Duration.ofSeconds(1);
        private Map<String, Integer> merchantRateLimits = Map.of();
        private Duration rateLimitWait = Duration.ofSeconds(5);
        private int maxInFlight = SessionApiSettings.DEFAULT_MAX_CONNECTIONS;
        private Duration inFlightWait = Duration.ofSeconds(5);

        private Builder() {
        }

        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        public Builder initialBackoff(Duration value) {
            initialBackoff = value;
            return this;
        }

        public Builder backoffMultiplier(double value) {
            backoffMultiplier = value;
            return this;
        }

        public Builder maxBackoff(Duration value) {
            maxBackoff = value;
            return this;
        }

        public Builder jitterFactor(double value) {
            jitterFactor = value;
            return this;
        }

        public Builder maxRetryAfter(Duration value) {
            maxRetryAfter = value;
            return this;
        }

        public Builder breakerSlidingWindowSize(int value) {
            breakerSlidingWindowSize = value;
            return this;
        }

        public Builder breakerMinimumCalls(int value) {
            breakerMinimumCalls = value;
            return this;
        }

        public Builder breakerFailureRateThreshold(float value) {
            breakerFailureRateThreshold = value;
            return this;
        }

        public Builder breakerSlowCallRateThreshold(float value) {
            breakerSlowCallRateThreshold = value;
            return this;
        }

        public Builder breakerSlowCallDuration(Duration value) {
            breakerSlowCallDuration = value;
            return this;
        }

        public Builder breakerWaitInOpen(Duration value) {
            breakerWaitInOpen = value;
            return this;
        }

        public Builder breakerHalfOpenCalls(int value) {
            breakerHalfOpenCalls = value;
            return this;
        }

        public Builder rateLimitPerPeriod(int value) {
            rateLimitPerPeriod = value;
            return this;
        }

        public Builder rateLimitPeriod(Duration value) {
            rateLimitPeriod = value;
            return this;
        }

        public Builder merchantRateLimits(Map<String, Integer> value) {
            merchantRateLimits = value;
            return this;
        }

        public Builder rateLimitWait(Duration value) {
            rateLimitWait = value;
            return this;
        }

        public Builder maxInFlight(int value) {
            maxInFlight = value;
            return this;
        }

        public Builder inFlightWait(Duration value) {
            inFlightWait = value;
            return this;
        }

        public ResilienceSettings build() {
            return new ResilienceSettings(maxAttempts, initialBackoff, backoffMultiplier, maxBackoff, jitterFactor,
                    maxRetryAfter, breakerSlidingWindowSize, breakerMinimumCalls, breakerFailureRateThreshold,
                    breakerSlowCallRateThreshold, breakerSlowCallDuration, breakerWaitInOpen, breakerHalfOpenCalls,
                    rateLimitPerPeriod, rateLimitPeriod, merchantRateLimits, rateLimitWait, maxInFlight,
                    inFlightWait);
        }
    }
}
