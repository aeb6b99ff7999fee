package io.billingworker.observability;

import static io.billingworker.observability.MetricsCatalog.*;

import io.billingworker.intake.IntakeListener;
import io.billingworker.outcome.Outcome;
import io.billingworker.serde.WireFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The worker's own meters ({@link MetricsCatalog#ownMeters()}): events consumed, outcomes by kind, reason and
 * merchant, signups by writer schema id, retries, end-to-end latency from the event's {@code occurred_at} to its
 * outcome being published, fetch pauses, and gauges of the consumer loop's state. Tags stay bounded: merchant ids
 * outside the configured set are tagged {@code unknown}; schema ids only once the registry knew them; no order,
 * customer or event ids.
 */
public final class IntakeMetrics implements IntakeListener {

    static final String UNKNOWN_MERCHANT = "unknown";
    /** The consumer loop's pause reasons, plus {@code resumed}: registered at 0 so rates exist before the first pause. */
    static final List<String> FETCH_REASONS = List.of("buffer-full", "shutdown", "resumed");
    private static final Duration LATENCY_MIN = Duration.ofMillis(1);
    private static final Duration LATENCY_MAX = Duration.ofHours(1);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Set<String> merchants;
    private final OccurredAtSource occurredAt;
    private final Counter consumed;
    private final Counter skipped;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

    /** Where the end-to-end latency's start comes from: the event's {@code occurred_at}, when it was decoded. */
    @FunctionalInterface
    public interface OccurredAtSource {
        /**
         * The epoch millis of the record's event, or empty (then the record's timestamp is used); asked once, when
         * the record's outcome is published.
         */
        OptionalLong occurredAt(ConsumerRecord<byte[], byte[]> record);

        /** The record's processing ended without a published outcome: its {@code occurred_at} is not asked for. */
        default void forget(ConsumerRecord<byte[], byte[]> record) {
        }
    }

    /**
     * @param merchants  the configured merchant ids
     * @param occurredAt the event's {@code occurred_at} for a record, when known
     */
    public IntakeMetrics(MeterRegistry registry, Clock clock, Set<String> merchants, OccurredAtSource occurredAt) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.merchants = Set.copyOf(merchants);
        this.occurredAt = Objects.requireNonNull(occurredAt, "occurredAt");
        this.consumed = Counter.builder(EVENTS_CONSUMED.meterName())
                .description(EVENTS_CONSUMED.description())
                .register(registry);
        this.skipped = Counter.builder(SKIPPED.meterName())
                .description(SKIPPED.description())
                .register(registry);
        FETCH_REASONS.forEach(reason -> counter(FETCH_PAUSES, "reason", reason));
    }

    /** Registers the gauges of the consumer loop's state, read from {@code state} at each scrape. */
    public <T> void bindGauges(T state, ToIntFunction<T> inFlight, ToIntFunction<T> buffered,
            ToIntFunction<T> activeKeys, ToIntFunction<T> pausedPartitions) {
        gauge(IN_FLIGHT, state, inFlight);
        gauge(BUFFERED, state, buffered);
        gauge(WAITING, state, value -> Math.max(0, buffered.applyAsInt(value) - inFlight.applyAsInt(value)));
        gauge(ACTIVE_KEYS, state, activeKeys);
        gauge(PAUSED_PARTITIONS, state, pausedPartitions);
    }

    /**
     * Registers the gauges of held records and of the oldest unfinished record's age (seconds), read from
     * {@code state} at each scrape.
     */
    public <T> void bindHoldGauges(T state, ToIntFunction<T> held, ToDoubleFunction<T> oldestAgeSeconds) {
        gauge(HELD, state, held);
        Gauge.builder(OLDEST_AGE.meterName(), state, oldestAgeSeconds)
                .description(OLDEST_AGE.description())
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void consumed(ConsumerRecord<byte[], byte[]> record) {
        consumed.increment();
    }

    @Override
    public void skipped(ConsumerRecord<byte[], byte[]> record) {
        skipped.increment();
    }

    @Override
    public void published(ConsumerRecord<byte[], byte[]> record, Outcome outcome) {
        OutcomeFacts facts = OutcomeFacts.of(outcome);
        String merchant = facts.merchant() != null && merchants.contains(facts.merchant())
                ? facts.merchant() : UNKNOWN_MERCHANT;
        counter(OUTCOMES, "kind", outcome.kind(), "reason", facts.reason(), "merchant", merchant).increment();
        if (facts.attempts() > 1) {
            counter(RETRIES, "merchant", merchant).increment(facts.attempts() - 1);
        }
        schemaResult(outcome).ifPresent(result -> WireFormat.schemaIdIn(record.value()).ifPresent(id ->
                counter(SIGNUP_SCHEMAS, "schema_id", Integer.toString(id), "result", result).increment()));
        OptionalLong start = occurredAt.occurredAt(record);
        long latencyMillis = clock.millis() - (start.isPresent() ? start.getAsLong() : record.timestamp());
        if (latencyMillis >= 0) {
            latency(outcome.kind()).record(Duration.ofMillis(latencyMillis));
        }
    }

    @Override
    public void abandoned(ConsumerRecord<byte[], byte[]> record) {
        occurredAt.forget(record);
    }

    @Override
    public void fetching(boolean paused, String reason, int partitions) {
        counter(FETCH_PAUSES, "reason", paused && reason != null ? reason : "resumed").increment();
    }

    private <T> void gauge(MetricsCatalog entry, T state, ToIntFunction<T> value) {
        Gauge.builder(entry.meterName(), state, item -> value.applyAsInt(item))
                .description(entry.description())
                .strongReference(true)
                .register(registry);
    }

    private Counter counter(MetricsCatalog entry, String... tags) {
        return counters.computeIfAbsent(entry.name() + String.join("\u0000", tags), key -> Counter
                .builder(entry.meterName())
                .description(entry.description())
                .tags(tags)
                .register(registry));
    }

    private Timer latency(String kind) {
        Function<String, Timer> create = key -> Timer.builder(OUTCOME_LATENCY.meterName())
                .description(OUTCOME_LATENCY.description())
                .tag("kind", kind)
                .publishPercentileHistogram()
                .minimumExpectedValue(LATENCY_MIN)
                .maximumExpectedValue(LATENCY_MAX)
                .register(registry);
        return latencies.computeIfAbsent(kind, create);
    }

    /**
     * Whether the outcome says the record's writer schema was read ({@code read}) or could not be
     * ({@code incompatible}); empty when the record was not decoded for another reason (its schema id, if any, may be
     * anything: no tag for it).
     */
    private static Optional<String> schemaResult(Outcome outcome) {
        if (!(outcome instanceof Outcome.DeadLetter dead)) {
            return Optional.of("read");
        }
        return switch (dead.reason()) {
            case SCHEMA_INCOMPATIBLE -> Optional.of("incompatible");
            case RETRIES_EXHAUSTED, AUTH_FAILED, MISSING_CREDENTIALS, OUTCOME_UNWRITABLE, INVALID_RESPONSE,
                 UNEXPECTED_REDIRECT -> Optional.of("read");
            default -> Optional.empty();
        };
    }

    /** What the meters need from an outcome: reason tag, merchant and attempts. */
    private record OutcomeFacts(String reason, String merchant, int attempts) {
        static OutcomeFacts of(Outcome outcome) {
            return switch (outcome) {
                case Outcome.Created created -> new OutcomeFacts("none", created.value().getMerchantId(),
                        created.value().getAttempts());
                case Outcome.Failed failed -> new OutcomeFacts(failed.value().getReason().name(),
                        failed.value().getMerchantId(), failed.value().getAttempts());
                case Outcome.DeadLetter dead -> new OutcomeFacts(dead.reason().name(), dead.merchantId(),
                        dead.attempts());
            };
        }
    }
}
