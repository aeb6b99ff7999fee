package io.billingworker.replay;

import io.billingworker.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.replay.DeadLetters.Spec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayerTest {

    private final MutableClock clock = new MutableClock(DeadLetters.T0);
    private final FakeSink sink = new FakeSink();
    private final FakeDeadLetterSource source = new FakeDeadLetterSource(clock, sink, 3);
    private final StopSignal stop = new StopSignal();

    @Test
    void shouldReplaySelectedRecordsRefuseOverReplayedOnesAndSkipTheRest() {
        source.add(0, Spec.of("a"))
                .add(0, Spec.of("b").reason(DeadLetterReason.AUTH_FAILED))
                .add(0, Spec.of("c").replays(3))
                .add(0, Spec.of("d").replays(2));
        ReplaySelection selection = ReplaySelection.builder().reasons(List.of("RETRIES_EXHAUSTED")).build();

        ReplayResult result = run(selection, plan(0, 0, 4), Replayer.Settings.defaults());

        assertThat(sink.sentPositions()).containsExactly("0:0", "0:3");
        assertThat(result.replayed().total()).isEqualTo(2);
        assertThat(result.refused().total()).isEqualTo(1);
        assertThat(result.skipped()).isEqualTo(1);
        assertThat(result.ending()).isEqualTo(ReplayResult.Ending.COMPLETED);
        assertThat(result.remaining()).isZero();
        assertThat(source.lastCommit()).isEqualTo(new FakeDeadLetterSource.Commit(Map.of(0, 4L), 2, 2));
    }

    @Test
    void shouldReadOnlyUpToTheEndCapturedAtTheStart() {
        for (int i = 0; i < 6; i++) {
            source.add(0, Spec.of("k" + i));
        }

        ReplayResult result = run(ReplaySelection.all(), plan(0, 0, 4), Replayer.Settings.defaults());

        assertThat(sink.sentPositions()).containsExactly("0:0", "0:1", "0:2", "0:3");
        assertThat(source.lastCommit().offsets()).isEqualTo(Map.of(0, 4L));
        assertThat(source.paused()).containsExactly(0);
        assertThat(result.ending()).isEqualTo(ReplayResult.Ending.COMPLETED);
    }

    @Test
    void shouldStopAtMaxCountAndCommitTheFirstOffsetNotHandled() {
        source.add(0, Spec.of("a")).add(0, Spec.of("b")).add(0, Spec.of("c").reason(DeadLetterReason.AUTH_FAILED))
                .add(0, Spec.of("d")).add(0, Spec.of("e"));
        ReplaySelection selection = ReplaySelection.builder().reasons(List.of("RETRIES_EXHAUSTED")).build();

        ReplayResult first = run(selection, plan(0, 0, 5), Replayer.Settings.defaults().withMaxCount(2));
        FakeDeadLetterSource.Commit afterFirst = source.lastCommit();
        ReplayResult second = run(selection, resumedPlan(0, 3, 5), Replayer.Settings.defaults().withMaxCount(2));

        assertThat(first.ending()).isEqualTo(ReplayResult.Ending.MAX_REACHED);
        assertThat(first.skipped()).isEqualTo(1);
        assertThat(first.remaining()).isEqualTo(2);
        assertThat(afterFirst).isEqualTo(new FakeDeadLetterSource.Commit(Map.of(0, 3L), 2, 2));
        assertThat(second.ending()).isEqualTo(ReplayResult.Ending.COMPLETED);
        assertThat(sink.sentPositions()).containsExactly("0:0", "0:1", "0:3", "0:4");
        assertThat(source.lastCommit().offsets()).isEqualTo(Map.of(0, 5L));
    }

    @Test
    void shouldStopAfterTheRecordInHandAndResumeWithoutReplayingAnyRecordTwice() {
        for (int i = 0; i < 10; i++) {
            source.add(0, Spec.of("k" + i));
        }
        sink.onSend(() -> {
            if (sink.sent().size() == 3) {
                stop.request();
            }
        });

        ReplayResult interrupted = run(ReplaySelection.all(), plan(0, 0, 10), Replayer.Settings.defaults());
        FakeDeadLetterSource.Commit afterInterruption = source.lastCommit();
        long committed = afterInterruption.offsets().get(0);
        ReplayResult resumed = new Replayer(source, sink, ReplaySelection.all(),
                new RateLimiter(Rate.UNLIMITED, clock, clock.sleeper()), ReplayListener.NONE, new StopSignal(), clock,
                Replayer.Settings.defaults()).run(seek(resumedPlan(0, committed, 10)));

        assertThat(interrupted.ending()).isEqualTo(ReplayResult.Ending.INTERRUPTED);
        assertThat(interrupted.remaining()).isEqualTo(7);
        assertThat(afterInterruption).isEqualTo(new FakeDeadLetterSource.Commit(Map.of(0, 3L), 3, 3));
        assertThat(resumed.ending()).isEqualTo(ReplayResult.Ending.COMPLETED);
        assertThat(sink.sentPositions()).containsExactly("0:0", "0:1", "0:2", "0:3", "0:4", "0:5", "0:6", "0:7",
                "0:8", "0:9");
    }

    @Test
    void shouldCommitOnlyAfterEverythingSentWasAcknowledged() {
        for (int i = 0; i < 7; i++) {
            source.add(0, Spec.of("k" + i));
        }
        Replayer.Settings everyTwo = new Replayer.Settings(Long.MAX_VALUE, 2, Duration.ofHours(1),
                Duration.ofSeconds(30));

        run(ReplaySelection.all(), plan(0, 0, 7), everyTwo);

        assertThat(source.commits()).extracting(FakeDeadLetterSource.Commit::offsets)
                .containsExactly(Map.of(0, 2L), Map.of(0, 4L), Map.of(0, 6L), Map.of(0, 7L));
        assertThat(source.commits()).allSatisfy(commit -> assertThat(commit.acknowledged()).isEqualTo(commit.sent()));
    }

    @Test
    void shouldCommitNothingWhenANewReplaySendsNothing() {
        source.add(0, Spec.of("a")).add(0, Spec.of("b"));
        ReplaySelection selection = ReplaySelection.builder().merchants(List.of("nobody")).build();

        ReplayResult result = run(selection, plan(0, 0, 2), Replayer.Settings.defaults());

        assertThat(result.skipped()).isEqualTo(2);
        assertThat(result.selected()).isZero();
        assertThat(source.commits()).isEmpty();
    }

    @Test
    void shouldKeepCommittingWhenContinuingAnEarlierRunEvenIfItSendsNothing() {
        source.add(0, Spec.of("a")).add(0, Spec.of("b")).add(0, Spec.of("c"));
        ReplaySelection selection = ReplaySelection.builder().merchants(List.of("nobody")).build();

        run(selection, resumedPlan(0, 1, 3), Replayer.Settings.defaults());

        assertThat(source.lastCommit().offsets()).isEqualTo(Map.of(0, 3L));
    }

    @Test
    void shouldNotCommitPastAFailedAcknowledgement() {
        for (int i = 0; i < 6; i++) {
            source.add(0, Spec.of("k" + i));
        }
        sink.failFlushOnceSent(3);
        Replayer.Settings everyTwo = new Replayer.Settings(Long.MAX_VALUE, 2, Duration.ofHours(1),
                Duration.ofSeconds(30));

        ReplayFailedException error = catchThrowableOfType(ReplayFailedException.class,
                () -> run(ReplaySelection.all(), plan(0, 0, 6), everyTwo));

        assertThat(error).hasMessage("the broker did not acknowledge a replayed record on in: boom");
        assertThat(source.commits()).extracting(FakeDeadLetterSource.Commit::offsets).containsExactly(Map.of(0, 2L));
    }

    @Test
    void shouldPaceSendsAtTheRate() {
        for (int i = 0; i < 5; i++) {
            source.add(0, Spec.of("k" + i));
        }

        ReplayResult result = new Replayer(source, sink, ReplaySelection.all(),
                new RateLimiter(Rate.parse("10/s"), clock, clock.sleeper()), ReplayListener.NONE, stop, clock,
                Replayer.Settings.defaults()).run(seek(plan(0, 0, 5)));

        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100),
                Duration.ofMillis(100), Duration.ofMillis(100));
        assertThat(result.elapsed()).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void shouldFailWhenRecordsStopArrivingAfterCommittingWhatWasAcknowledged() {
        source.add(0, Spec.of("a")).add(0, Spec.of("b")).add(0, Spec.of("c"));
        Replayer.Settings twoSeconds = new Replayer.Settings(Long.MAX_VALUE, 100, Duration.ofHours(1),
                Duration.ofSeconds(2));

        ReplayFailedException error = catchThrowableOfType(ReplayFailedException.class,
                () -> run(ReplaySelection.all(), plan(0, 0, 8), twoSeconds));

        assertThat(error).hasMessage("no records arrived for 2 s although the dead-letter topic holds more"
                + " (partition 0 at 3 of 8); is the broker still reachable? Progress is kept: run the same replay"
                + " again to resume");
        assertThat(source.lastCommit()).isEqualTo(new FakeDeadLetterSource.Commit(Map.of(0, 3L), 3, 3));
    }

    @Test
    void shouldReplayEveryPartitionOfThePlanAndPauseEmptyOnes() {
        source.add(0, Spec.of("a")).add(0, Spec.of("b")).add(1, Spec.of("c")).add(2, Spec.of("d"));
        ReplayPlan plan = new ReplayPlan(List.of(new PartitionPlan(0, 0, 2), new PartitionPlan(1, 0, 1),
                new PartitionPlan(2, 1, 1)), false);

        run(ReplaySelection.all(), plan, Replayer.Settings.defaults());

        assertThat(sink.sentPositions()).containsExactlyInAnyOrder("0:0", "0:1", "1:0");
        assertThat(source.lastCommit().offsets()).isEqualTo(Map.of(0, 2L, 1, 1L, 2, 1L));
        assertThat(source.paused()).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void shouldTellTheListenerEveryDecision() {
        source.add(0, Spec.of("a")).add(0, Spec.of("b").replays(3)).add(0, Spec.of("c").merchant("m9"));
        List<String> events = new ArrayList<>();
        ReplayListener listener = new ReplayListener() {
            @Override
            public void replayed(DeadLetterRecord record) {
                events.add("replayed " + record.position());
            }

            @Override
            public void refused(DeadLetterRecord record) {
                events.add("refused " + record.position());
            }

            @Override
            public void skipped(DeadLetterRecord record) {
                events.add("skipped " + record.position());
            }

            @Override
            public void finished() {
                events.add("finished");
            }
        };
        ReplaySelection selection = ReplaySelection.builder().merchants(List.of("m1")).build();

        new Replayer(source, sink, selection, new RateLimiter(Rate.UNLIMITED, clock, clock.sleeper()), listener, stop,
                clock, Replayer.Settings.defaults()).run(seek(plan(0, 0, 3)));

        assertThat(events).containsExactly("replayed 0:0", "refused 0:1", "skipped 0:2", "finished");
    }

    private ReplayResult run(ReplaySelection selection, ReplayPlan plan, Replayer.Settings settings) {
        return new Replayer(source, sink, selection, new RateLimiter(Rate.UNLIMITED, clock, clock.sleeper()),
                ReplayListener.NONE, stop, clock, settings).run(seek(plan));
    }

    private ReplayPlan seek(ReplayPlan plan) {
        source.seek(plan);
        return plan;
    }

    private static ReplayPlan plan(int partition, long start, long end) {
        return new ReplayPlan(List.of(new PartitionPlan(partition, start, end)), false);
    }

    private static ReplayPlan resumedPlan(int partition, long start, long end) {
        return new ReplayPlan(List.of(new PartitionPlan(partition, start, end)), true);
    }
}
