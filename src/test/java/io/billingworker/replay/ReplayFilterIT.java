package io.billingworker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.replay.DeadLetters.Spec;
import io.billingworker.testsupport.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each filter, alone and combined, on a real broker: a replay to a fresh target topic re-publishes exactly the
 * records the filter selects, and refuses the one replayed too often.
 */
class ReplayFilterIT {

    /** Whole hours in the past, so the broker accepts the timestamps and {@code --from}/{@code --to} are exact. */
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(6));

    private static String deadLetterTopic;

    @BeforeAll
    static void writeDeadLetters() {
        DltFixture fixture = new DltFixture(2);
        deadLetterTopic = fixture.deadLetterTopic;
        fixture.write(0,
                Spec.of("sub_a").at(BASE),
                Spec.of("sub_b").reason(DeadLetterReason.AUTH_FAILED).status(401).merchant("m2").at(hours(1)),
                Spec.of("sub_c").status(502).merchant("m2").at(hours(2)),
                Spec.of("sub_d").reason(DeadLetterReason.MISSING_CREDENTIALS).status(null).at(hours(3)),
                Spec.of("sub_e").replays(3).at(hours(4)));
        fixture.write(1,
                Spec.of("sub_f").status(429).at(BASE.plus(Duration.ofMinutes(30))),
                Spec.of("sub_g").reason(DeadLetterReason.AUTH_FAILED).status(403).at(BASE.plus(Duration.ofMinutes(90))),
                Spec.of("sub_h").status(504).merchant("m3").at(BASE.plus(Duration.ofMinutes(150))));
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                filter("no filter", b -> b, List.of("sub_a", "sub_b", "sub_c", "sub_d", "sub_f", "sub_g", "sub_h"), 1),
                filter("reason", b -> b.reasons(List.of("RETRIES_EXHAUSTED")),
                        List.of("sub_a", "sub_c", "sub_f", "sub_h"), 1),
                filter("two reasons", b -> b.reasons(List.of("AUTH_FAILED,MISSING_CREDENTIALS")),
                        List.of("sub_b", "sub_d", "sub_g"), 0),
                filter("status class", b -> b.httpStatuses(List.of("5xx")), List.of("sub_a", "sub_c", "sub_h"), 1),
                filter("exact statuses", b -> b.httpStatuses(List.of("401", "429")), List.of("sub_b", "sub_f"), 0),
                filter("no status", b -> b.httpStatuses(List.of("none")), List.of("sub_d"), 0),
                filter("merchant", b -> b.merchants(List.of("m2")), List.of("sub_b", "sub_c"), 0),
                filter("keys", b -> b.keys(List.of("sub_a,sub_g")), List.of("sub_a", "sub_g"), 0),
                filter("time range", b -> b.from(hours(1).toString()).to(hours(3).toString()),
                        List.of("sub_b", "sub_c", "sub_g", "sub_h"), 0),
                filter("from only", b -> b.from(hours(3).toString()), List.of("sub_d"), 1),
                filter("partition", b -> b.partitions(List.of("1")), List.of("sub_f", "sub_g", "sub_h"), 0),
                filter("partition and offsets", b -> b.partitions(List.of("0")).offsets("1-2"),
                        List.of("sub_b", "sub_c"), 0),
                filter("combined", b -> b.reasons(List.of("RETRIES_EXHAUSTED")).merchants(List.of("m1"))
                        .httpStatuses(List.of("5xx")), List.of("sub_a"), 1),
                filter("max replays 5", b -> b.maxReplays(5), List.of("sub_a", "sub_b",
                        "sub_c", "sub_d", "sub_e", "sub_f", "sub_g", "sub_h"), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void shouldReplayExactlyTheSelectedRecords(String name, UnaryOperator<ReplaySelection.Builder> filter,
            List<String> expectedKeys, int expectedRefused) {
        DltFixture target = fixtureOn(deadLetterTopic);
        ReplaySelection selection = filter.apply(ReplaySelection.builder()).build();

        ReplayResult result = target.replay(target.request(selection, "filter-" + KafkaFixture.newTopicName("t")));

        assertThat(target.targetKeys(expectedKeys.size())).containsExactlyInAnyOrderElementsOf(expectedKeys);
        assertThat(result.replayed().total()).isEqualTo(expectedKeys.size());
        assertThat(result.refused().total()).isEqualTo(expectedRefused);
        assertThat(result.ending()).isEqualTo(ReplayResult.Ending.COMPLETED);
    }

    @Test
    void shouldStopAtMaxWithinTheSelectedPartitionInOffsetOrder() {
        DltFixture target = fixtureOn(deadLetterTopic);
        ReplaySelection selection = ReplaySelection.builder().partitions(List.of("0")).build();
        ReplayJob.Request request = new ReplayJob.Request(target.settings(), deadLetterTopic, target.targetTopic,
                selection, "max-" + KafkaFixture.newTopicName("t"), false, 2, Rate.UNLIMITED, Duration.ofSeconds(15));

        ReplayResult result = target.replay(request);

        assertThat(target.targetKeys(2)).containsExactly("sub_a", "sub_b");
        assertThat(result.ending()).isEqualTo(ReplayResult.Ending.MAX_REACHED);
    }

    @Test
    void shouldRepublishTheOriginalKeyValueAndHeadersWithTheReplayCountIncremented() {
        DltFixture target = fixtureOn(deadLetterTopic);
        ReplaySelection selection = ReplaySelection.builder().keys(List.of("sub_c")).build();

        target.replay(target.request(selection, "bytes-" + KafkaFixture.newTopicName("t")));

        ConsumerRecord<byte[], byte[]> replayed = target.target(1).get(0);
        assertThat(replayed.key()).isEqualTo("sub_c".getBytes(StandardCharsets.UTF_8));
        assertThat(replayed.value()).isEqualTo(DeadLetters.value("sub_c"));
        List<Header> original = List.of(DeadLetters.originalHeaders("sub_c").toArray());
        List<Header> headers = List.of(replayed.headers().toArray());
        assertThat(headers.subList(0, original.size())).isEqualTo(original);
        assertThat(headers).extracting(Header::key).containsExactly("traceparent", "x-binary", "x-dup", "x-dup",
                DeadLetterHeaders.REPLAY_COUNT);
        assertThat(DeadLetterHeaders.text(replayed.headers(), DeadLetterHeaders.REPLAY_COUNT)).isEqualTo("1");
    }

    private static DltFixture fixtureOn(String existingDeadLetterTopic) {
        return new DltFixture(existingDeadLetterTopic);
    }

    private static Instant hours(int hours) {
        return BASE.plus(Duration.ofHours(hours));
    }

    private static Arguments filter(String name, UnaryOperator<ReplaySelection.Builder> filter, List<String> keys,
            int refused) {
        return Arguments.of(name, filter, keys, refused);
    }
}
