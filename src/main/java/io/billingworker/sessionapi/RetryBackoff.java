package io.billingworker.sessionapi;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The wait before the next attempt, in milliseconds: the server's {@code Retry-After} when it sent one
 * (capped at {@link ResilienceSettings#maxRetryAfter()}, no jitter), else exponential backoff
 * {@code initialBackoff * multiplier^(attempt-1)} capped at {@link ResilienceSettings#maxBackoff()}, spread
 * uniformly over {@code +-jitterFactor}.
 */
final class RetryBackoff implements IntervalBiFunction<HttpResult> {

    private final ResilienceSettings settings;
    private final RandomGenerator random;

    RetryBackoff(ResilienceSettings settings, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param attempt attempts made so far (1 after the first failure)
     * @param outcome the last attempt's result (right) or exception (left)
     */
    @Override
    public Long apply(Integer attempt, Either<Throwable, HttpResult> outcome) {
        if (outcome != null && outcome.isRight() && outcome.get() instanceof HttpResult.Retryable retryable
                && retryable.retryAfter() != null) {
            Duration retryAfter = retryable.retryAfter();
            return (retryAfter.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : retryAfter)
                    .toMillis();
        }
        return backoffMillis(attempt);
    }

    private long backoffMillis(int attempt) {
        double base = settings.initialBackoff().toMillis()
                * Math.pow(settings.backoffMultiplier(), Math.max(0, attempt - 1));
        double capped = Math.min(base, settings.maxBackoff().toMillis());
        double factor = settings.jitterFactor();
        double spread = 1.0 - factor + 2.0 * factor * random.nextDouble();
        return Math.round(capped * spread);
    }
}
