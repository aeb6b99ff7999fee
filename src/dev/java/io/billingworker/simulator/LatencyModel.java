package io.billingworker.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long the simulator waits before answering a request: none, fixed, uniform in a range, or
 * log-normal given its median and 99th percentile (a realistic long-tailed API latency).
 */
public sealed interface LatencyModel {

    /** z-score of the 99th percentile of the standard normal distribution. */
    double Z_99 = 2.3263478740408408;

    /** The delay for one request, drawn from {@code random} where the model is random. */
    Duration next(RandomGenerator random);

    /** Answers immediately. */
    static LatencyModel none() {
        return new Fixed(Duration.ZERO);
    }

    /** Always waits {@code delay}. */
    static LatencyModel fixed(Duration delay) {
        return new Fixed(delay);
    }

    /** Waits a uniformly distributed time in [{@code min}, {@code max}]. */
    static LatencyModel uniform(Duration min, Duration max) {
        return new Uniform(min, max);
    }

    /** Waits a log-normally distributed time with the given median and 99th percentile. */
    static LatencyModel logNormal(Duration median, Duration p99) {
        return new LogNormal(median, p99);
    }

    /** A constant delay. */
    record Fixed(Duration delay) implements LatencyModel {
        public Fixed {
            requireNonNegative(delay, "delay");
        }

        @Override
        public Duration next(RandomGenerator random) {
            return delay;
        }
    }

    /** A delay uniformly distributed between {@code min} and {@code max}, both included. */
    record Uniform(Duration min, Duration max) implements LatencyModel {
        public Uniform {
            requireNonNegative(min, "min");
            requireNonNegative(max, "max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("latency max (" + max + ") must not be less than min (" + min + ")");
            }
        }

        @Override
        public Duration next(RandomGenerator random) {
            long span = max.toNanos() - min.toNanos();
            return span == 0 ? min : min.plusNanos(random.nextLong(span + 1));
        }
    }

    /** A log-normal delay: half the requests take less than {@code median}, 99% less than {@code p99}. */
    record LogNormal(Duration median, Duration p99) implements LatencyModel {
        public LogNormal {
            Objects.requireNonNull(median, "median");
            Objects.requireNonNull(p99, "p99");
            if (median.isNegative() || median.isZero()) {
                throw new IllegalArgumentException("latency median must be positive, was " + median);
            }
            if (p99.compareTo(median) < 0) {
                throw new IllegalArgumentException(
                        "latency p99 (" + p99 + ") must not be less than the median (" + median + ")");
            }
        }

        @Override
        public Duration next(RandomGenerator random) {
            double mu = Math.log(median.toNanos());
            double sigma = (Math.log(p99.toNanos()) - mu) / Z_99;
            return Duration.ofNanos(Math.round(Math.exp(mu + sigma * random.nextGaussian())));
        }
    }

    private static void requireNonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException("latency " + name + " must not be negative, was " + value);
        }
    }
}
