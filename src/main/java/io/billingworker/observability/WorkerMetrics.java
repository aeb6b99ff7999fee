package io.billingworker.observability;

import io.billingworker.intake.IntakeListener;
import io.billingworker.outcome.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The worker's own meters: events consumed, outcomes by kind, reason and merchant, end-to-end latency from the
 * record's timestamp to its outcome being published, and fetch pauses. Tags stay bounded: no order, customer
 * or event ids.
 */
public final class WorkerMetrics implements IntakeListener {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter consumed;
    private final Timer endToEnd;
    private final Set<String> merchants;

    /** @param merchants the configured merchant ids: any other id is tagged {@code unknown} to keep tags bounded */
    public WorkerMetrics(MeterRegistry registry, Clock clock, Set<String> merchants) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.merchants = Set.copyOf(merchants);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.consumed = Counter.builder("billing.events.consumed")
                .description("Signup records fetched from the input topic")
                .register(registry);
        this.endToEnd = Timer.builder("billing.outcome.latency")
                .description("From the signup record's timestamp to its outcome being published")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public void consumed(ConsumerRecord<byte[], byte[]> record) {
        consumed.increment();
    }

    @Override
    public void published(ConsumerRecord<byte[], byte[]> record, Outcome outcome) {
        String reason;
        String merchant;
        switch (outcome) {
            case Outcome.Created created -> {
                reason = "none";
                merchant = created.value().getMerchantId();
            }
            case Outcome.Failed failed -> {
                reason = failed.value().getReason().name();
                merchant = failed.value().getMerchantId();
            }
            case Outcome.DeadLetter dead -> {
                reason = dead.reason().name();
                merchant = dead.merchantId();
            }
        }
        Counter.builder("billing.outcomes")
                .description("Outcomes published, by kind, reason and merchant")
                .tag("kind", outcome.kind())
                .tag("reason", reason)
                .tag("merchant", merchant != null && merchants.contains(merchant) ? merchant : "unknown")
                .register(registry)
                .increment();
        long latency = clock.millis() - record.timestamp();
        if (latency >= 0) {
            endToEnd.record(Duration.ofMillis(latency));
        }
    }

    @Override
    public void fetching(boolean paused, String reason, int partitions) {
        Counter.builder("billing.fetch.pauses")
                .description("Times fetching paused, by reason")
                .tag("reason", paused ? reason : "resumed")
                .register(registry)
                .increment();
    }
}
