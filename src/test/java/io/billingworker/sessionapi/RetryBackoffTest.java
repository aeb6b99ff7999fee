package io.billingworker.sessionapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.core.functions.Either;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private final ResilienceSettings settings = ResilienceSettings.builder()
            .initialBackoff(Duration.ofMillis(200))
            .backoffMultiplier(2.0)
            .maxBackoff(Duration.ofSeconds(10))
            .jitterFactor(0.5)
            .maxRetryAfter(Duration.ofSeconds(30))
            .build();

    @Test
    void shouldGrowExponentiallyUpToMaxWithoutJitterAtMidpoint() {
        RetryBackoff backoff = new RetryBackoff(settings, fixed(0.5));

        long first = backoff.apply(1, failure());
        long second = backoff.apply(2, failure());
        long fifth = backoff.apply(5, failure());
        long tenth = backoff.apply(10, failure());

        assertThat(first).isEqualTo(200);
        assertThat(second).isEqualTo(400);
        assertThat(fifth).isEqualTo(3200);
        assertThat(tenth).isEqualTo(10_000);
    }

    @Test
    void shouldSpreadByJitterFactor() {
        long lowest = new RetryBackoff(settings, fixed(0.0)).apply(2, failure());
        long highest = new RetryBackoff(settings, fixed(0.999_999)).apply(2, failure());

        assertThat(lowest).isEqualTo(200);
        assertThat(highest).isEqualTo(600);
    }

    @Test
    void shouldUseRetryAfterWithoutJitter() {
        RetryBackoff backoff = new RetryBackoff(settings, fixed(0.0));

        long wait = backoff.apply(1, Either.right(Fixtures.tooManyRequests(Duration.ofSeconds(7))));

        assertThat(wait).isEqualTo(7000);
    }

    @Test
    void shouldCapRetryAfter() {
        RetryBackoff backoff = new RetryBackoff(settings, fixed(0.5));

        long wait = backoff.apply(1, Either.right(Fixtures.tooManyRequests(Duration.ofSeconds(120))));

        assertThat(wait).isEqualTo(30_000);
    }

    private static Either<Throwable, HttpResult> failure() {
        return Either.right(Fixtures.serverError(503));
    }

    /** A random source whose {@code nextDouble()} is always {@code value}. */
    static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
