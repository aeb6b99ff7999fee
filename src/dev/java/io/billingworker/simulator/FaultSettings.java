package io.billingworker.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * The random faults the simulator injects into requests that no script covers, as one immutable snapshot:
 * every request sees one consistent set. Rates are probabilities per request; a request suffers at most
 * one fault, so the rates together must not exceed 1.
 *
 * @param latency    delay before every answer (also before faults and errors)
 * @param errorRate  share of requests answered 500, 502 or 503 in Juspay's error shape
 * @param rate429    share of requests answered 429 with a {@code Retry-After} header
 * @param retryAfter the {@code Retry-After} value of those 429s (whole seconds)
 * @param hangRate   share of requests never answered (until the client gives up or the simulator closes)
 * @param resetRate  share of requests whose connection is dropped without a response
 * @param outage     when true every request is answered 503, scripts included
 */
public record FaultSettings(
        LatencyModel latency,
        double errorRate,
        double rate429,
        Duration retryAfter,
        double hangRate,
        double resetRate,
        boolean outage) {

    /** No latency, no faults, no outage. */
    public static final FaultSettings NONE =
            new FaultSettings(LatencyModel.none(), 0, 0, Duration.ofSeconds(1), 0, 0, false);

    public FaultSettings {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(retryAfter, "retryAfter");
        requireRate(errorRate, "errorRate");
        requireRate(rate429, "rate429");
        requireRate(hangRate, "hangRate");
        requireRate(resetRate, "resetRate");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
        }
        double total = errorRate + rate429 + hangRate + resetRate;
        if (total > 1.0 + 1e-9) {
            throw new IllegalArgumentException(
                    "errorRate + rate429 + hangRate + resetRate must not exceed 1, was " + total);
        }
    }

    public FaultSettings withLatency(LatencyModel value) {
        return new FaultSettings(value, errorRate, rate429, retryAfter, hangRate, resetRate, outage);
    }

    public FaultSettings withErrorRate(double value) {
        return new FaultSettings(latency, value, rate429, retryAfter, hangRate, resetRate, outage);
    }

    public FaultSettings withRate429(double value) {
        return new FaultSettings(latency, errorRate, value, retryAfter, hangRate, resetRate, outage);
    }

    public FaultSettings withRetryAfter(Duration value) {
        return new FaultSettings(latency, errorRate, rate429, value, hangRate, resetRate, outage);
    }

    public FaultSettings withHangRate(double value) {
        return new FaultSettings(latency, errorRate, rate429, retryAfter, value, resetRate, outage);
    }

    public FaultSettings withResetRate(double value) {
        return new FaultSettings(latency, errorRate, rate429, retryAfter, hangRate, value, outage);
    }

    public FaultSettings withOutage(boolean value) {
        return new FaultSettings(latency, errorRate, rate429, retryAfter, hangRate, resetRate, value);
    }

    private static void requireRate(double rate, String name) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + rate);
        }
    }
}
