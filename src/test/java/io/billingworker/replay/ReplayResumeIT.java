package io.billingworker.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.billingworker.replay.DeadLetters.Spec;
import io.billingworker.testsupport.KafkaFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Safety of a replay on a real broker: an interrupted replay resumed by name replays each record once and never
 * the records dead-lettered after it started; {@code --max} continues in batches; a name cannot be resumed with
 * other filters; a replay that selects nothing leaves no trace.
 */
class ReplayResumeIT {

    private final DltFixture fixture = new DltFixture(1);
    private final String name = KafkaFixture.newTopicName("replay");

    @Test
    void shouldResumeAnInterruptedReplayWithoutReplayingAnyRecordTwice() {
        fixture.write(0, specs(0, 20));
        StopSignal stop = new StopSignal();
        AtomicInteger replayed = new AtomicInteger();
        ReplayListener stopAfterSeven = new ReplayListener() {
            @Override
            public void replayed(DeadLetterRecord record) {
                if (replayed.incrementAndGet() == 7) {
                    stop.request();
                }
            }
        };
        ReplayJob.Request request = new ReplayJob.Request(fixture.settings(), fixture.deadLetterTopic,
                fixture.targetTopic, ReplaySelection.all(), name, false, Long.MAX_VALUE, Rate.parse("200/s"),
                Duration.ofSeconds(15));

        ReplayResult first = fixture.replay(request, stopAfterSeven, stop);
        Map<TopicPartition, OffsetAndMetadata> afterFirst = fixture.committed(request.groupId());
        fixture.write(0, specs(20, 23));
        ReplayResult second = fixture.replay(request);

        assertThat(first.ending()).isEqualTo(ReplayResult.Ending.INTERRUPTED);
        assertThat(first.replayed().total()).isEqualTo(7);
        OffsetAndMetadata committed = afterFirst.get(new TopicPartition(fixture.deadLetterTopic, 0));
        assertThat(committed.offset()).isEqualTo(7);
        assertThat(ProgressMarker.decode(committed.metadata()).orElseThrow().end()).isEqualTo(20);
        assertThat(second.plan().resumed()).isTrue();
        assertThat(second.plan().describe()).isEqualTo("0:7-20");
        assertThat(second.ending()).isEqualTo(ReplayResult.Ending.COMPLETED);
        assertThat(second.replayed().total()).isEqualTo(13);
        assertThat(fixture.targetKeys(20)).containsExactlyElementsOf(keys(0, 20));
        try (ReplayJob third = ReplayJob.open(request, Clock.systemUTC())) {
            assertThat(third.plan().resumed()).isTrue();
            assertThat(third.plan().size()).isZero();
        }
    }

    @Test
    void shouldContinueInBatchesOfMax() {
        fixture.write(0, specs(0, 10));
        ReplayJob.Request request = new ReplayJob.Request(fixture.settings(), fixture.deadLetterTopic,
                fixture.targetTopic, ReplaySelection.all(), name, false, 4, Rate.UNLIMITED, Duration.ofSeconds(15));

        List<ReplayResult> runs = List.of(fixture.replay(request), fixture.replay(request), fixture.replay(request));

        assertThat(runs).extracting(ReplayResult::ending).containsExactly(ReplayResult.Ending.MAX_REACHED,
                ReplayResult.Ending.MAX_REACHED, ReplayResult.Ending.COMPLETED);
        assertThat(runs).extracting(run -> run.replayed().total()).containsExactly(4L, 4L, 2L);
        assertThat(fixture.targetKeys(10)).containsExactlyElementsOf(keys(0, 10));
    }

    @Test
    void shouldRefuseToResumeANameWithOtherFilters() {
        fixture.write(0, specs(0, 3));
        ReplaySelection exhausted = ReplaySelection.builder().reasons(List.of("RETRIES_EXHAUSTED")).build();
        ReplaySelection auth = ReplaySelection.builder().reasons(List.of("AUTH_FAILED")).build();
        fixture.replay(new ReplayJob.Request(fixture.settings(), fixture.deadLetterTopic, fixture.targetTopic,
                exhausted, name, false, 1, Rate.UNLIMITED, Duration.ofSeconds(15)));

        ReplayException error = catchThrowableOfType(ReplayException.class,
                () -> ReplayJob.open(fixture.request(auth, name), Clock.systemUTC()).close());

        assertThat(error.kind()).isEqualTo(ReplayException.Kind.BAD_REQUEST);
        String topics = " (" + fixture.deadLetterTopic + " -> " + fixture.targetTopic + ")";
        assertThat(error).hasMessage("replay '" + name + "' was started with other filters or topics; resume it with"
                + " the same options, or start a new replay with another --name.\n"
                + "  started with: reason=RETRIES_EXHAUSTED max-replays=3" + topics + "\n"
                + "  now:          reason=AUTH_FAILED max-replays=3" + topics);
    }

    @Test
    void shouldLeaveNoTraceWhenTheFiltersSelectNothing() {
        fixture.write(0, specs(0, 3));
        ReplayJob.Request request = fixture.request(ReplaySelection.builder().merchants(List.of("nobody")).build(),
                name);

        ReplayException error = catchThrowableOfType(ReplayException.class, () -> fixture.replay(request));

        assertThat(error.kind()).isEqualTo(ReplayException.Kind.NOTHING_SELECTED);
        assertThat(error).hasMessage("nothing to replay: none of the 3 records read from " + fixture.deadLetterTopic
                + " (0:0-3) matches merchant=nobody max-replays=3");
        assertThat(fixture.committed(request.groupId())).isEmpty();
        assertThat(fixture.recordCount(fixture.targetTopic)).isZero();
    }

    private static Spec[] specs(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> Spec.of(String.format("k%02d", i))).toArray(Spec[]::new);
    }

    private static List<String> keys(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> String.format("k%02d", i)).toList();
    }
}
