package io.billingworker.sessionapi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's own meters. Tags are the merchant id and a small closed set of values; never order,
 * customer or event ids.
 */
final class SessionCallMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    SessionCallMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** One HTTP attempt's latency, tagged {@code merchant} and {@code status_class}. */
    void recordCall(String merchantId, String statusClass, Duration elapsed) {
        timers.computeIfAbsent(merchantId + '\u0000' + statusClass, key -> Timer.builder(SessionGateway.CALL_TIMER)
                        .description("Latency of one POST /session attempt")
                        .tag("merchant", merchantId)
                        .tag("status_class", statusClass)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(60))
                        .register(registry))
                .record(elapsed);
    }

    /** One record's end result, tagged {@code merchant} and {@code result}. */
    void recordResult(String merchantId, String result) {
        counters.computeIfAbsent(merchantId + '\u0000' + result, key -> Counter.builder(SessionGateway.RESULT_COUNTER)
                        .description("Records whose /session call ended, by result")
                        .tag("merchant", merchantId)
                        .tag("result", result)
                        .register(registry))
                .increment();
    }
}
