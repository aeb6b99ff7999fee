package io.billingworker.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {

    private static ConsumerRecord<byte[], byte[]> record(Headers headers) {
        return new ConsumerRecord<>("signups", 2, 41L, 1_700_000_000_000L, TimestampType.CREATE_TIME, 5, 3,
                "sub_1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1, 2}, headers, Optional.empty());
    }

    private static Outcome.DeadLetter retriesExhausted() {
        return new Outcome.DeadLetter(DeadLetterReason.RETRIES_EXHAUSTED, "java.net.SocketTimeoutException",
                "HTTP 503 Service Unavailable", 503, 6, "m1");
    }

    @Test
    void shouldKeepOriginalHeadersAndAddOneSetOfReasons() {
        RecordHeaders original = new RecordHeaders();
        original.add(new RecordHeader("trace-id", new byte[] {1, 2, 3}));

        Headers headers = DeadLetterHeaders.build(record(original), retriesExhausted(), Instant.parse("2026-11-23T10:00:00Z"));

        assertThat(headers.lastHeader("trace-id").value()).containsExactly(1, 2, 3);
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.REASON)).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.HTTP_STATUS)).isEqualTo("503");
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.MERCHANT_ID)).isEqualTo("m1");
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("signups");
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("2");
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("41");
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.SOURCE_TIMESTAMP)).isEqualTo("1700000000000");
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.ATTEMPTS)).isEqualTo("6");
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.FAILED_AT)).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.REPLAY_COUNT)).isEqualTo("0");
        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.EXCEPTION_CLASS))
                .isEqualTo("java.net.SocketTimeoutException");
    }

    @Test
    void shouldNotAccumulateHeadersAcrossRepeatedFailures() {
        Headers first = DeadLetterHeaders.build(record(new RecordHeaders()), retriesExhausted(), Instant.EPOCH);
        first.remove(DeadLetterHeaders.REPLAY_COUNT);
        first.add(DeadLetterHeaders.REPLAY_COUNT, "2".getBytes(StandardCharsets.UTF_8));

        Headers second = DeadLetterHeaders.build(record(first), retriesExhausted(), Instant.EPOCH);

        List<String> keys = new java.util.ArrayList<>();
        for (Header header : second) {
            keys.add(header.key());
        }
        assertThat(keys).doesNotHaveDuplicates();
        assertThat(DeadLetterHeaders.replayCount(second)).isEqualTo(2);
    }

    @Test
    void shouldBoundTheExceptionMessage() {
        Outcome.DeadLetter huge = new Outcome.DeadLetter(DeadLetterReason.UNDECODABLE, null, "x".repeat(5_000), null, 0,
                null);

        Headers headers = DeadLetterHeaders.build(record(new RecordHeaders()), huge, Instant.EPOCH);

        assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.EXCEPTION_MESSAGE))
                .hasSize(DeadLetterHeaders.MAX_MESSAGE_LENGTH).endsWith("…");
    }
}
