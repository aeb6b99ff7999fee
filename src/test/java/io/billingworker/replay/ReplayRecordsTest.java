package io.billingworker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.replay.DeadLetters.Spec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class ReplayRecordsTest {

    @Test
    void shouldRestoreTheOriginalKeyValueAndHeadersByteForByte() {
        DeadLetterRecord dead = DeadLetters.record(0, 5, Spec.of("sub_1"));

        ProducerRecord<byte[], byte[]> replay = ReplayRecords.toProducerRecord(dead, "subscription.signups");

        assertThat(replay.topic()).isEqualTo("subscription.signups");
        assertThat(replay.partition()).isNull();
        assertThat(replay.timestamp()).isNull();
        assertThat(replay.key()).isEqualTo("sub_1".getBytes(StandardCharsets.UTF_8));
        assertThat(replay.value()).isEqualTo(DeadLetters.value("sub_1"));
        List<Header> headers = List.of(replay.headers().toArray());
        List<Header> original = List.of(DeadLetters.originalHeaders("sub_1").toArray());
        assertThat(headers.subList(0, original.size())).isEqualTo(original);
        assertThat(headers).extracting(Header::key).containsExactly("traceparent", "x-binary", "x-dup", "x-dup",
                DeadLetterHeaders.REPLAY_COUNT);
    }

    @Test
    void shouldDropEveryDeadLetterHeaderAndIncrementTheReplayCount() {
        DeadLetterRecord dead = DeadLetters.record(0, 5, Spec.of("sub_1").replays(2));

        ProducerRecord<byte[], byte[]> replay = ReplayRecords.toProducerRecord(dead, "in");

        assertThat(dead.headers().lastHeader(DeadLetterHeaders.REASON)).isNotNull();
        assertThat(replay.headers()).extracting(Header::key)
                .filteredOn(key -> key.startsWith("dlt."))
                .containsExactly(DeadLetterHeaders.REPLAY_COUNT);
        assertThat(DeadLetterHeaders.replayCount(replay.headers())).isEqualTo(3);
    }

    @Test
    void shouldReplayANullKeyAndNullValueAsNull() {
        DeadLetterRecord tombstone = new DeadLetterRecord(0, 1, DeadLetters.T0, null, null,
                DeadLetters.headers(Spec.of("x")));

        ProducerRecord<byte[], byte[]> replay = ReplayRecords.toProducerRecord(tombstone, "in");

        assertThat(replay.key()).isNull();
        assertThat(replay.value()).isNull();
        assertThat(DeadLetterHeaders.replayCount(replay.headers())).isEqualTo(1);
    }

    @Test
    void shouldReadTheDeadLetterHeadersTheWorkerWrites() {
        DeadLetterRecord dead = DeadLetters.record(3, 9, Spec.of("sub_9").status(429).merchant("m7").replays(1));

        List<Object> read = List.of(dead.reason(), dead.httpStatus(), dead.merchantId(), dead.replayCount(),
                dead.attempts(), dead.exceptionMessage(), dead.position(), dead.keyText());

        assertThat(read).containsExactly("RETRIES_EXHAUSTED", 429, "m7", 1, "3", "HTTP 429 after 3 attempts", "3:9",
                "sub_9");
    }
}
