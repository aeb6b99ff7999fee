package io.billingworker.observability;

import io.billingworker.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.FailureReason;
import io.billingworker.outcome.DeadLetterReason;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IntakeMetricsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:10Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(NOW);

    @Test
    void shouldCountOutcomesByKindReasonAndMerchant() {
        IntakeMetrics metrics = new IntakeMetrics(registry, clock, Set.of("m1", "m2"), record -> OptionalLong.empty());

        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[1]), Outcomes.created("m1", 1));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[1]), Outcomes.created("m1", 1));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[1]),
                Outcomes.failed("m2", FailureReason.API_REJECTED, 1));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[1]),
                Outcomes.deadLetter("m2", DeadLetterReason.AUTH_FAILED, 1));

        assertThat(count("created", "none", "m1")).isEqualTo(2.0);
        assertThat(count("failed", "API_REJECTED", "m2")).isEqualTo(1.0);
        assertThat(count("dead_letter", "AUTH_FAILED", "m2")).isEqualTo(1.0);
    }

    @Test
    void shouldTagUnconfiguredAndMissingMerchantsAsUnknown() {
        IntakeMetrics metrics = new IntakeMetrics(registry, clock, Set.of("m1"), record -> OptionalLong.empty());

        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[1]),
                Outcomes.failed("attacker-chosen-merchant-42", FailureReason.INVALID_EVENT, 0));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[1]),
                Outcomes.deadLetter(null, DeadLetterReason.UNDECODABLE, 0));

        assertThat(count("failed", "INVALID_EVENT", "unknown")).isEqualTo(1.0);
        assertThat(count("dead_letter", "UNDECODABLE", "unknown")).isEqualTo(1.0);
        assertThat(registry.find("billing.outcomes").tag("merchant", "attacker-chosen-merchant-42").counter()).isNull();
    }

    @Test
    void shouldCountSignupsByWriterSchemaIdReadOrIncompatible() {
        IntakeMetrics metrics = new IntakeMetrics(registry, clock, Set.of("m1"), record -> OptionalLong.empty());
        byte[] schema14 = {0, 0, 0, 0, 14, 2};
        byte[] schema15 = {0, 0, 0, 0, 15, 2};

        metrics.published(Outcomes.record(NOW.toEpochMilli(), schema14), Outcomes.created("m1", 1));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), schema14),
                Outcomes.failed("m1", FailureReason.INVALID_EVENT, 0));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), schema14),
                Outcomes.deadLetter("m1", DeadLetterReason.RETRIES_EXHAUSTED, 3));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), schema15),
                Outcomes.deadLetter(null, DeadLetterReason.SCHEMA_INCOMPATIBLE, 0));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[] {0, 0x7f, 0, 0, 1}),
                Outcomes.deadLetter(null, DeadLetterReason.UNKNOWN_SCHEMA, 0));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[] {0, 0, 0, 0, 14}),
                Outcomes.deadLetter(null, DeadLetterReason.UNDECODABLE, 0));

        assertThat(registry.get("billing.signups.by.schema").tag("schema_id", "14").tag("result", "read").counter()
                .count()).isEqualTo(3.0);
        assertThat(registry.get("billing.signups.by.schema").tag("schema_id", "15").tag("result", "incompatible")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.find("billing.signups.by.schema").counters()).hasSize(2);
    }

    @Test
    void shouldCountAttemptsBeyondTheFirstAsRetries() {
        IntakeMetrics metrics = new IntakeMetrics(registry, clock, Set.of("m1"), record -> OptionalLong.empty());

        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[1]), Outcomes.created("m1", 1));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[1]), Outcomes.created("m1", 3));
        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[1]),
                Outcomes.deadLetter("m1", DeadLetterReason.RETRIES_EXHAUSTED, 6));

        assertThat(registry.get("billing.session.retries").tag("merchant", "m1").counter().count()).isEqualTo(7.0);
    }

    @Test
    void shouldMeasureEndToEndLatencyFromOccurredAtWhenKnownElseFromTheRecordTimestamp() {
        long occurredAt = NOW.minusSeconds(8).toEpochMilli();
        IntakeMetrics metrics = new IntakeMetrics(registry, clock, Set.of("m1"),
                record -> record.value().length == 2 ? OptionalLong.of(occurredAt) : OptionalLong.empty());

        metrics.published(Outcomes.record(NOW.minusSeconds(1).toEpochMilli(), new byte[2]), Outcomes.created("m1", 1));
        metrics.published(Outcomes.record(NOW.minusSeconds(3).toEpochMilli(), new byte[1]),
                Outcomes.deadLetter(null, DeadLetterReason.UNDECODABLE, 0));

        Timer created = registry.get("billing.outcome.latency").tag("kind", "created").timer();
        Timer dead = registry.get("billing.outcome.latency").tag("kind", "dead_letter").timer();
        assertThat(created.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(8_000.0);
        assertThat(dead.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3_000.0);
    }

    @Test
    void shouldNotRecordANegativeLatencyFromAClockAheadOfThisHost() {
        IntakeMetrics metrics = new IntakeMetrics(registry, clock, Set.of("m1"),
                record -> OptionalLong.of(NOW.plus(Duration.ofMinutes(1)).toEpochMilli()));

        metrics.published(Outcomes.record(NOW.toEpochMilli(), new byte[1]), Outcomes.created("m1", 1));

        assertThat(registry.find("billing.outcome.latency").timer()).isNull();
        assertThat(count("created", "none", "m1")).isEqualTo(1.0);
    }

    @Test
    void shouldCountConsumedEventsAndFetchPauses() {
        IntakeMetrics metrics = new IntakeMetrics(registry, clock, Set.of("m1"), record -> OptionalLong.empty());

        metrics.consumed(Outcomes.record(NOW.toEpochMilli(), new byte[1]));
        metrics.consumed(Outcomes.record(NOW.toEpochMilli(), new byte[1]));
        metrics.fetching(true, "buffer-full", 3);
        metrics.fetching(false, null, 3);

        assertThat(registry.get("billing.events.consumed").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("billing.fetch.pauses").tag("reason", "buffer-full").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("billing.fetch.pauses").tag("reason", "resumed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldReadTheLoopStateAtEachScrapeWithWaitingAsBufferedMinusInFlight() {
        IntakeMetrics metrics = new IntakeMetrics(registry, clock, Set.of("m1"), record -> OptionalLong.empty());
        int[] state = {4, 10, 3, 2};

        metrics.bindGauges(state, s -> s[0], s -> s[1], s -> s[2], s -> s[3]);
        state[0] = 5;
        state[1] = 12;

        assertThat(registry.get("billing.records.in.flight").gauge().value()).isEqualTo(5.0);
        assertThat(registry.get("billing.records.buffered").gauge().value()).isEqualTo(12.0);
        assertThat(registry.get("billing.records.waiting").gauge().value()).isEqualTo(7.0);
        assertThat(registry.get("billing.keys.active").gauge().value()).isEqualTo(3.0);
        assertThat(registry.get("billing.partitions.paused").gauge().value()).isEqualTo(2.0);
    }

    private double count(String kind, String reason, String merchant) {
        return registry.get("billing.outcomes").tag("kind", kind).tag("reason", reason).tag("merchant", merchant)
                .counter().count();
    }
}
