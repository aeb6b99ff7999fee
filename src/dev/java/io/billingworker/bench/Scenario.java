package io.billingworker.bench;

import java.util.Objects;

/**
 * One configuration to measure.
 *
 * @param mode        {@link #WORKER} or {@link #NAIVE}
 * @param exactlyOnce exactly-once (transactions, commit interval 1 s) instead of at-least-once
 * @param concurrency C: the worker's {@code processing.max-in-flight}
 * @param latencyMs   L: the simulator's fixed answer delay
 * @param partitions  P: input topic partitions
 * @param keys        K: distinct record keys (subscription ids)
 */
record Scenario(String mode, boolean exactlyOnce, int concurrency, int latencyMs, int partitions, int keys) {

    static final String WORKER = "worker";
    static final String NAIVE = "naive";

    Scenario {
        Objects.requireNonNull(mode, "mode");
        if (!mode.equals(WORKER) && !mode.equals(NAIVE)) {
            throw new IllegalArgumentException("mode must be worker or naive, was " + mode);
        }
    }

    static Scenario worker(boolean exactlyOnce, int concurrency, int latencyMs, int partitions, int keys) {
        return new Scenario(WORKER, exactlyOnce, concurrency, latencyMs, partitions, keys);
    }

    static Scenario naive(int latencyMs, int partitions, int keys) {
        return new Scenario(NAIVE, false, partitions, latencyMs, partitions, keys);
    }

    boolean isNaive() {
        return mode.equals(NAIVE);
    }

    /**
     * Requests that can be waiting at the API at once: the concurrency, but never more than the distinct keys
     * (one record per key at a time) nor, for the naive design, the partitions.
     */
    int effectiveConcurrency() {
        int calls = isNaive() ? partitions : concurrency;
        return Math.min(calls, keys);
    }

    /** The Little's-law ceiling with the configured latency, events per second. */
    double nominalLimit() {
        return effectiveConcurrency() * 1000.0 / latencyMs;
    }

    String guarantee() {
        return exactlyOnce ? "EOS" : "ALO";
    }

    /** A short label, e.g. {@code worker ALO C=256 L=200 P=12 K=10000}. */
    String label() {
        return isNaive()
                ? String.format("naive L=%d P=%d K=%d", latencyMs, partitions, keys)
                : String.format("worker %s C=%d L=%d P=%d K=%d", guarantee(), concurrency, latencyMs, partitions,
                        keys);
    }
}
