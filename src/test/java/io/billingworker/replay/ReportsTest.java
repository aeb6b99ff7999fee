package io.billingworker.replay;

import io.billingworker.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.replay.DeadLetters.Spec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {

    private final MutableClock clock = new MutableClock(DeadLetters.T0.plus(Duration.ofHours(3)));

    @Test
    void shouldSummarizeTheDeadLetterTopic() {
        ReplayPlan plan = new ReplayPlan(List.of(new PartitionPlan(0, 0, 3), new PartitionPlan(1, 0, 1)), false);
        DltReport report = new DltReport("signups.dlt", plan, clock, 1);
        report.add(DeadLetters.record(0, 0, Spec.of("sub_1")));
        report.add(DeadLetters.record(0, 1, Spec.of("sub_2").status(502).at(DeadLetters.T0.plusSeconds(2 * 3600))));
        report.add(DeadLetters.record(0, 2, Spec.of("sub_3").reason(DeadLetterReason.AUTH_FAILED).status(401)
                .merchant("m2").replays(1).at(DeadLetters.T0.plusSeconds(2 * 3600 + 60 * 50))));
        report.add(DeadLetters.record(1, 0, Spec.of("sub_4").status(null).at(DeadLetters.T0.minus(Duration.ofDays(2)))));

        String text = report.render();

        assertThat(text).isEqualTo("""
                signups.dlt: 4 records (0:0-3, 1:0-1, end exclusive). Nothing was committed.
                Oldest: 2026-11-21T10:00:00Z (1:0, 2 d 3 h ago)
                Newest: 2026-11-23T12:50:00Z (0:2, 10 min ago)

                By reason:
                  AUTH_FAILED        1
                  RETRIES_EXHAUSTED  3
                By merchant:
                  m1  3
                  m2  1
                By HTTP status:
                  (none)  1
                  401     1
                  502     1
                  503     1
                By age:
                  < 1 h   1
                  1-6 h   2
                  6-24 h  0
                  1-7 d   1
                  > 7 d   0
                By replay count (times replayed before):
                  0  3
                  1  1
                By hour dead-lettered (UTC):
                  2026-11-21T10:00:00Z  1
                  2026-11-23T10:00:00Z  1
                  2026-11-23T12:00:00Z  2

                Samples (1 per reason):
                  AUTH_FAILED  0:2  2026-11-23T12:50:00Z  key=sub_3  merchant=m2  http=401  attempts=3  replays=1
                      io.billingworker.sessionapi.SomeFailure: HTTP 401 after 3 attempts
                  RETRIES_EXHAUSTED  0:0  2026-11-23T10:00:00Z  key=sub_1  merchant=m1  http=503  attempts=3  replays=0
                      io.billingworker.sessionapi.SomeFailure: HTTP 503 after 3 attempts
                """);
    }

    @Test
    void shouldSayAnEmptyTopicIsEmpty() {
        DltReport report = new DltReport("signups.dlt", new ReplayPlan(List.of(new PartitionPlan(0, 7, 7)), false),
                clock, 1);

        String text = report.render();

        assertThat(text).isEqualTo("signups.dlt: 0 records (0:7-7, end exclusive). Nothing was committed.\n");
    }

    @Test
    void shouldListWhatADryRunWouldReplayAndRefuse() {
        StringWriter buffer = new StringWriter();
        DryRunListing listing = new DryRunListing(new PrintWriter(buffer), 3);

        listing.replayed(DeadLetters.record(0, 4, Spec.of("sub_1")));
        listing.refused(DeadLetters.record(0, 5, Spec.of("sub_2").replays(3).status(null)));
        listing.skipped(DeadLetters.record(0, 6, Spec.of("sub_3")));
        listing.finished();

        assertThat(buffer.toString().lines().map(String::stripTrailing).toList()).containsExactly(
                "action        position   dead-lettered         key                      reason             http   merchant       replays",
                "would replay  0:4        2026-11-23T10:00:00Z  sub_1                    RETRIES_EXHAUSTED  503    m1             0",
                "would refuse  0:5        2026-11-23T10:00:00Z  sub_2                    RETRIES_EXHAUSTED  -      m1             3 (max 3)");
    }

    @Test
    void shouldShowCountRateAndRemainingOnTheProgressLine() {
        StringWriter buffer = new StringWriter();
        ProgressLine progress = new ProgressLine(new PrintWriter(buffer), clock, 100);

        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMillis(100));
            progress.replayed(DeadLetters.record(0, i, Spec.of("k")));
        }
        progress.skipped(DeadLetters.record(0, 10, Spec.of("k")));
        progress.finished();

        assertThat(buffer.toString()).isEqualTo(
                "\rreplayed 5 | refused 0 | skipped 0 | 10.0/s | 95 of 100 left to read"
                        + "\rreplayed 10 | refused 0 | skipped 0 | 10.0/s | 90 of 100 left to read"
                        + "\rreplayed 10 | refused 0 | skipped 1 | 10.0/s | 89 of 100 left to read\n");
    }
}
