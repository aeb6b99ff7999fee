package io.billingworker.simulator;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The fault setters that {@link SessionSimulator.Builder} (settings to start with) and a running
 * {@link SessionSimulator} (changed while it serves) share. Each changes one part of the {@link FaultSettings};
 * unless set there is no latency, no fault and no outage.
 *
 * @param <T> the type the setters return for chaining
 */
public interface FaultControls<T extends FaultControls<T>> {

    /** Replaces the fault settings by {@code change} applied to them, in one step. */
    T changeFaults(UnaryOperator<FaultSettings> change);

    /** Sets the delay before every answer. */
    default T latency(LatencyModel latency) {
        return changeFaults(f -> f.withLatency(latency));
    }

    /** Sets the share of unscripted requests answered 500, 502 or 503. */
    default T errorRate(double rate) {
        return changeFaults(f -> f.withErrorRate(rate));
    }

    /** Sets the share of unscripted requests answered 429, and their {@code Retry-After} (1 s unless set). */
    default T rate429(double rate, Duration retryAfter) {
        return changeFaults(f -> f.withRate429(rate).withRetryAfter(retryAfter));
    }

    /** Sets the share of unscripted requests never answered. */
    default T hangRate(double rate) {
        return changeFaults(f -> f.withHangRate(rate));
    }

    /** Sets the share of unscripted requests whose connection is dropped without a response. */
    default T resetRate(double rate) {
        return changeFaults(f -> f.withResetRate(rate));
    }

    /** Switches a total outage on (every request answered 503, scripts included) or off. */
    default T outage(boolean down) {
        return changeFaults(f -> f.withOutage(down));
    }
}
