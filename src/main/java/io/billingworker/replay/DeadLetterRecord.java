package io.billingworker.replay;

import io.billingworker.outcome.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * One record read from the dead-letter topic, with typed access to the {@code dlt.*} headers that say why it is
 * there. The key, value and headers are kept exactly as read.
 */
public final class DeadLetterRecord {

    private final int partition;
    private final long offset;
    private final Instant deadLetteredAt;
    private final byte[] key;
    private final byte[] value;
    private final Headers headers;

    public DeadLetterRecord(int partition, long offset, Instant deadLetteredAt, byte[] key, byte[] value,
            Headers headers) {
        this.partition = partition;
        this.offset = offset;
        this.deadLetteredAt = Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
        this.key = key;
        this.value = value;
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    /** Wraps a consumed dead-letter record; its timestamp is the moment it was dead-lettered. */
    public static DeadLetterRecord from(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetterRecord(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                record.key(), record.value(), record.headers());
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** {@code partition:offset}, how operators name a dead-letter record. */
    public String position() {
        return partition + ":" + offset;
    }

    /** When the record was dead-lettered: the dead-letter record's timestamp. */
    public Instant deadLetteredAt() {
        return deadLetteredAt;
    }

    /** The original key bytes, or null. */
    public byte[] key() {
        return key;
    }

    /** The key as UTF-8 text (the subscription id), or null. */
    public String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** The original value bytes, or null. */
    public byte[] value() {
        return value;
    }

    /** All headers as read: the original ones and the {@code dlt.*} ones. */
    public Headers headers() {
        return headers;
    }

    /** {@code dlt.reason}, or null. */
    public String reason() {
        return DeadLetterHeaders.text(headers, DeadLetterHeaders.REASON);
    }

    /** {@code dlt.http.status} as a number, or null when absent or unreadable. */
    public Integer httpStatus() {
        String text = DeadLetterHeaders.text(headers, DeadLetterHeaders.HTTP_STATUS);
        if (text == null) {
            return null;
        }
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code dlt.merchant.id}, or null. */
    public String merchantId() {
        return DeadLetterHeaders.text(headers, DeadLetterHeaders.MERCHANT_ID);
    }

    /** {@code dlt.replay.count}: how often this record was replayed before; 0 when never. */
    public int replayCount() {
        return DeadLetterHeaders.replayCount(headers);
    }

    /** {@code dlt.attempts} as written, or null. */
    public String attempts() {
        return DeadLetterHeaders.text(headers, DeadLetterHeaders.ATTEMPTS);
    }

    /** {@code dlt.exception.class}, or null. */
    public String exceptionClass() {
        return DeadLetterHeaders.text(headers, DeadLetterHeaders.EXCEPTION_CLASS);
    }

    /** {@code dlt.exception.message}, or null. */
    public String exceptionMessage() {
        return DeadLetterHeaders.text(headers, DeadLetterHeaders.EXCEPTION_MESSAGE);
    }

    @Override
    public String toString() {
        return "DeadLetterRecord[" + position() + ", reason=" + reason() + ", replayCount=" + replayCount() + "]";
    }
}
