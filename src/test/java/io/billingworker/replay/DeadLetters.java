package io.billingworker.replay;

import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.outcome.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Dead-letter records shaped exactly as the worker writes them ({@link DeadLetterHeaders#build}), with original
 * headers that include a binary value and a repeated key, so tests can check they survive byte for byte.
 */
final class DeadLetters {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private DeadLetters() {
    }

    /** What one dead-letter record says. */
    record Spec(String key, DeadLetterReason reason, Integer httpStatus, String merchant, int replayCount,
            Instant deadLetteredAt) {

        static Spec of(String key) {
            return new Spec(key, DeadLetterReason.RETRIES_EXHAUSTED, 503, "m1", 0, T0);
        }

        Spec reason(DeadLetterReason value) {
            return new Spec(key, value, httpStatus, merchant, replayCount, deadLetteredAt);
        }

        Spec status(Integer value) {
            return new Spec(key, reason, value, merchant, replayCount, deadLetteredAt);
        }

        Spec merchant(String value) {
            return new Spec(key, reason, httpStatus, value, replayCount, deadLetteredAt);
        }

        Spec replays(int value) {
            return new Spec(key, reason, httpStatus, merchant, value, deadLetteredAt);
        }

        Spec at(Instant value) {
            return new Spec(key, reason, httpStatus, merchant, replayCount, value);
        }
    }

    /** The value bytes for a key: text plus bytes that are not valid UTF-8. */
    static byte[] value(String key) {
        byte[] text = ("signup-of-" + key).getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[text.length + 3];
        value[0] = 0;
        value[1] = (byte) 0xff;
        value[2] = (byte) 0xfe;
        System.arraycopy(text, 0, value, 3, text.length);
        return value;
    }

    /** The original (non-dlt) headers the upstream record carried. */
    static Headers originalHeaders(String key) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("traceparent", ("00-trace-" + key).getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("x-binary", new byte[] {0, 1, (byte) 0x80, (byte) 0xff}));
        headers.add(new RecordHeader("x-dup", "first".getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("x-dup", "second".getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /** The headers the worker writes when it dead-letters the record described by {@code spec}. */
    static Headers headers(Spec spec) {
        Headers source = originalHeaders(spec.key());
        if (spec.replayCount() > 0) {
            source.add(new RecordHeader(DeadLetterHeaders.REPLAY_COUNT,
                    Integer.toString(spec.replayCount()).getBytes(StandardCharsets.UTF_8)));
        }
        ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>("signups", 2, 42L,
                spec.deadLetteredAt().toEpochMilli() - 5_000, TimestampType.CREATE_TIME, -1, -1,
                spec.key().getBytes(StandardCharsets.UTF_8), value(spec.key()), source, Optional.empty());
        Outcome.DeadLetter why = new Outcome.DeadLetter(spec.reason(), "io.billingworker.sessionapi.SomeFailure",
                "HTTP " + spec.httpStatus() + " after 3 attempts", spec.httpStatus(), 3, spec.merchant());
        return DeadLetterHeaders.build(consumed, why, spec.deadLetteredAt());
    }

    static DeadLetterRecord record(int partition, long offset, Spec spec) {
        return new DeadLetterRecord(partition, offset, spec.deadLetteredAt(),
                spec.key().getBytes(StandardCharsets.UTF_8), value(spec.key()), headers(spec));
    }

    static ProducerRecord<byte[], byte[]> producerRecord(String topic, int partition, Spec spec) {
        return new ProducerRecord<>(topic, partition, spec.deadLetteredAt().toEpochMilli(),
                spec.key().getBytes(StandardCharsets.UTF_8), value(spec.key()), headers(spec));
    }
}
