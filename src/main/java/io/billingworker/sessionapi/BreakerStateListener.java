package io.billingworker.sessionapi;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** Told about every state transition of a merchant's circuit breaker, on the thread that caused it. */
@FunctionalInterface
public interface BreakerStateListener {

    void onStateTransition(String merchantId, CircuitBreaker.State from, CircuitBreaker.State to);
}
