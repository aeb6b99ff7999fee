package io.billingworker.replay;

import static io.billingworker.replay.DeadLetters.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.replay.DeadLetters.Spec;
import io.billingworker.replay.ReplaySelection.Decision;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplaySelectionTest {

    @Test
    void shouldReplayEveryRecordWhenNoFilterIsGiven() {
        ReplaySelection selection = ReplaySelection.all();

        Decision decision = selection.decide(DeadLetters.record(0, 7, Spec.of("sub_1")));

        assertThat(decision).isEqualTo(Decision.REPLAY);
        assertThat(selection.describe()).isEqualTo("max-replays=3");
    }

    @Test
    void shouldSelectByReasonIgnoringCase() {
        ReplaySelection selection = ReplaySelection.builder().reasons(List.of("auth_failed,MISSING_CREDENTIALS"))
                .build();

        Decision auth = selection.decide(DeadLetters.record(0, 1, Spec.of("a").reason(DeadLetterReason.AUTH_FAILED)));
        Decision missing = selection.decide(DeadLetters.record(0, 2,
                Spec.of("b").reason(DeadLetterReason.MISSING_CREDENTIALS)));
        Decision exhausted = selection.decide(DeadLetters.record(0, 3, Spec.of("c")));

        assertThat(List.of(auth, missing, exhausted)).containsExactly(Decision.REPLAY, Decision.REPLAY, Decision.SKIP);
    }

    @Test
    void shouldSelectByExactStatusStatusClassOrNoStatus() {
        ReplaySelection fiveHundreds = ReplaySelection.builder().httpStatuses(List.of("5xx")).build();
        ReplaySelection exact = ReplaySelection.builder().httpStatuses(List.of("502", "401")).build();
        ReplaySelection none = ReplaySelection.builder().httpStatuses(List.of("none")).build();
        DeadLetterRecord s503 = DeadLetters.record(0, 1, Spec.of("a").status(503));
        DeadLetterRecord s502 = DeadLetters.record(0, 2, Spec.of("b").status(502));
        DeadLetterRecord s401 = DeadLetters.record(0, 3, Spec.of("c").status(401));
        DeadLetterRecord noStatus = DeadLetters.record(0, 4, Spec.of("d").status(null));

        List<Boolean> byClass = List.of(fiveHundreds.matches(s503), fiveHundreds.matches(s502),
                fiveHundreds.matches(s401), fiveHundreds.matches(noStatus));
        List<Boolean> byExact = List.of(exact.matches(s503), exact.matches(s502), exact.matches(s401),
                exact.matches(noStatus));
        List<Boolean> byNone = List.of(none.matches(s503), none.matches(noStatus));

        assertThat(byClass).containsExactly(true, true, false, false);
        assertThat(byExact).containsExactly(false, true, true, false);
        assertThat(byNone).containsExactly(false, true);
    }

    @Test
    void shouldSelectByMerchantAndKey() {
        ReplaySelection selection = ReplaySelection.builder().merchants(List.of("m2")).keys(List.of("sub_1", "sub_2"))
                .build();

        List<Decision> decisions = List.of(
                selection.decide(DeadLetters.record(0, 1, Spec.of("sub_1").merchant("m2"))),
                selection.decide(DeadLetters.record(0, 2, Spec.of("sub_2").merchant("m1"))),
                selection.decide(DeadLetters.record(0, 3, Spec.of("sub_3").merchant("m2"))),
                selection.decide(DeadLetters.record(0, 4, Spec.of("sub_2").merchant(null))));

        assertThat(decisions).containsExactly(Decision.REPLAY, Decision.SKIP, Decision.SKIP, Decision.SKIP);
    }

    @Test
    void shouldTreatFromAsInclusiveAndToAsExclusive() {
        ReplaySelection selection = ReplaySelection.builder().from("2026-11-23T10:00Z").to("2026-11-23T11:00:00Z")
                .build();

        List<Boolean> matches = List.of(
                selection.matches(DeadLetters.record(0, 1, Spec.of("a").at(T0.minusMillis(1)))),
                selection.matches(DeadLetters.record(0, 2, Spec.of("b").at(T0))),
                selection.matches(DeadLetters.record(0, 3, Spec.of("c").at(T0.plus(Duration.ofMinutes(59))))),
                selection.matches(DeadLetters.record(0, 4, Spec.of("d").at(T0.plus(Duration.ofHours(1))))));

        assertThat(matches).containsExactly(false, true, true, false);
    }

    @Test
    void shouldReadADateAsUtcMidnightAndHonourOffsets() {
        ReplaySelection selection = ReplaySelection.builder().from("2026-11-23").to("2026-11-23T15:30+05:30")
                .build();

        String described = selection.describe();

        assertThat(described).isEqualTo("from=2026-11-23T00:00:00Z to=2026-11-23T10:00:00Z max-replays=3");
    }

    @Test
    void shouldSelectByPartitionAndInclusiveOffsetRange() {
        ReplaySelection selection = ReplaySelection.builder().partitions(List.of("1")).offsets("100-200").build();

        List<Boolean> matches = List.of(
                selection.matches(DeadLetters.record(1, 99, Spec.of("a"))),
                selection.matches(DeadLetters.record(1, 100, Spec.of("b"))),
                selection.matches(DeadLetters.record(1, 200, Spec.of("c"))),
                selection.matches(DeadLetters.record(1, 201, Spec.of("d"))),
                selection.matches(DeadLetters.record(0, 150, Spec.of("e"))));

        assertThat(matches).containsExactly(false, true, true, false, false);
    }

    @Test
    void shouldRefuseAMatchingRecordReplayedMaxTimesAndSkipANonMatchingOne() {
        ReplaySelection selection = ReplaySelection.builder().reasons(List.of("RETRIES_EXHAUSTED")).maxReplays(2)
                .build();

        List<Decision> decisions = List.of(
                selection.decide(DeadLetters.record(0, 1, Spec.of("a").replays(1))),
                selection.decide(DeadLetters.record(0, 2, Spec.of("b").replays(2))),
                selection.decide(DeadLetters.record(0, 3, Spec.of("c").replays(5))),
                selection.decide(DeadLetters.record(0, 4, Spec.of("d").replays(2).reason(DeadLetterReason.AUTH_FAILED))));

        assertThat(decisions).containsExactly(Decision.REPLAY, Decision.REFUSE, Decision.REFUSE, Decision.SKIP);
    }

    @Test
    void shouldDescribeEqualSelectionsEquallyWhateverTheOrderTyped() {
        ReplaySelection first = ReplaySelection.builder().reasons(List.of("AUTH_FAILED", "retries_exhausted"))
                .httpStatuses(List.of("5xx", "401")).merchants(List.of("m2", "m1")).build();
        ReplaySelection second = ReplaySelection.builder().reasons(List.of("RETRIES_EXHAUSTED,AUTH_FAILED"))
                .httpStatuses(List.of("401,5xx")).merchants(List.of("m1,m2")).build();

        String described = first.describe();

        assertThat(described).isEqualTo(
                "reason=AUTH_FAILED,RETRIES_EXHAUSTED http-status=401,5xx merchant=m1,m2 max-replays=3");
        assertThat(second.describe()).isEqualTo(described);
        assertThat(second.fingerprint("dlt", "in")).isEqualTo(first.fingerprint("dlt", "in"));
        assertThat(first.fingerprint("dlt", "other")).isNotEqualTo(first.fingerprint("dlt", "in"));
        assertThat(first.fingerprint("dlt", "in")).matches("[0-9a-f]{12}");
    }

    @Test
    void shouldReportEveryBadFilterAtOnceNamingOptionAndValue() {
        ReplaySelection.Builder builder = ReplaySelection.builder()
                .reasons(List.of("RETRY_EXHAUSTED"))
                .httpStatuses(List.of("5x"))
                .from("2026-11-23T10:00")
                .to("yesterday")
                .partitions(List.of("one"))
                .offsets("200-100")
                .maxReplays(0)
                .keys(List.of("sub_1,"));

        BadReplayRequestException error = catchThrowableOfType(BadReplayRequestException.class, builder::build);

        assertThat(error.problems()).containsExactly(
                "--reason 'RETRY_EXHAUSTED': unknown reason; use one of EMPTY_VALUE, UNDECODABLE, UNKNOWN_SCHEMA,"
                        + " SCHEMA_INCOMPATIBLE, RETRIES_EXHAUSTED, AUTH_FAILED, MISSING_CREDENTIALS, INTERNAL_ERROR,"
                        + " HELD_TOO_LONG, OUTCOME_UNWRITABLE, INVALID_RESPONSE, UNEXPECTED_REDIRECT",
                "--http-status '5x': expected a status such as 503, a class such as 5xx, or none",
                "--from '2026-11-23T10:00': add a time zone, e.g. 2026-11-23T10:00Z for UTC",
                "--to 'yesterday': expected an ISO-8601 time with a zone, e.g. 2026-11-23T10:00Z, or a date (UTC"
                        + " midnight)",
                "--partition 'one': expected a partition number such as 0",
                "--offsets '200-100': the first offset must not be greater than the last",
                "--max-replays 0: must be at least 1",
                "--key 'sub_1,': empty value");
        assertThat(error.getMessage()).startsWith("invalid options:\n  --reason 'RETRY_EXHAUSTED'");
    }

    @Test
    void shouldRefuseAnEmptyTimeRangeAndAMalformedOffsetRange() {
        ReplaySelection.Builder builder = ReplaySelection.builder().from("2026-11-23T11:00Z").to("2026-11-23T10:00Z")
                .partitions(List.of("0")).offsets("10..20");

        BadReplayRequestException error = catchThrowableOfType(BadReplayRequestException.class, builder::build);

        assertThat(error.problems()).containsExactly(
                "--offsets '10..20': expected FIRST-LAST (inclusive), FIRST- or one offset, e.g. 100-200",
                "--from 2026-11-23T11:00:00Z must be before --to 2026-11-23T10:00:00Z");
    }

    @Test
    void shouldRequireExactlyOnePartitionForAnOffsetRange() {
        ReplaySelection.Builder none = ReplaySelection.builder().offsets("100-200");
        ReplaySelection.Builder two = ReplaySelection.builder().offsets("100-200").partitions(List.of("0,1"));

        BadReplayRequestException withoutPartition = catchThrowableOfType(BadReplayRequestException.class, none::build);
        BadReplayRequestException withTwo = catchThrowableOfType(BadReplayRequestException.class, two::build);

        assertThat(withoutPartition.problems()).containsExactly(
                "--offsets needs exactly one --partition (offsets are numbered per partition)");
        assertThat(withTwo.problems()).isEqualTo(withoutPartition.problems());
    }

    @Test
    void shouldParseOpenAndSingleOffsetRanges() {
        OffsetRange open = OffsetRange.parse("100-").orElseThrow();
        OffsetRange single = OffsetRange.parse("150").orElseThrow();

        boolean farAhead = open.contains(Long.MAX_VALUE - 1);

        assertThat(farAhead).isTrue();
        assertThat(open.first()).isEqualTo(100);
        assertThat(open.endExclusive()).isEqualTo(OffsetRange.OPEN);
        assertThat(open).hasToString("100-");
        assertThat(single.endExclusive()).isEqualTo(151);
        assertThat(single).hasToString("150");
    }

    @Test
    void shouldIgnoreTheReplayCountInMatchesButNotInDecide() {
        ReplaySelection selection = ReplaySelection.builder().maxReplays(1).build();
        DeadLetterRecord replayedOnce = DeadLetters.record(0, 1, Spec.of("a").replays(1));

        boolean matches = selection.matches(replayedOnce);

        assertThat(matches).isTrue();
        assertThat(selection.decide(replayedOnce)).isEqualTo(Decision.REFUSE);
    }
}
