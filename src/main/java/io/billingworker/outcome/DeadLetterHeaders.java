package io.billingworker.outcome;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead-letter record: the original headers byte for byte, minus any earlier {@code dlt.*}
 * headers (so they never accumulate across repeated failures), plus one fresh set that says why.
 * The replay count is carried over from the record being dead-lettered ({@link #REPLAY_COUNT}), which the
 * replay command increments.
 */
public final class DeadLetterHeaders {

    public static final String PREFIX = "dlt.";
    public static final String REASON = "dlt.reason";
    public static final String EXCEPTION_CLASS = "dlt.exception.class";
    public static final String EXCEPTION_MESSAGE = "dlt.exception.message";
    public static final String HTTP_STATUS = "dlt.http.status";
    public static final String MERCHANT_ID = "dlt.merchant.id";
    public static final String SOURCE_TOPIC = "dlt.source.topic";
    public static final String SOURCE_PARTITION = "dlt.source.partition";
    public static final String SOURCE_OFFSET = "dlt.source.offset";
    public static final String SOURCE_TIMESTAMP = "dlt.source.timestamp";
    public static final String ATTEMPTS = "dlt.attempts";
    public static final String FAILED_AT = "dlt.failed.at";
    /** Times this record has been replayed from the dead-letter topic; absent means never. */
    public static final String REPLAY_COUNT = "dlt.replay.count";

    /** Longest exception message written, in characters. */
    public static final int MAX_MESSAGE_LENGTH = 1_000;

    private DeadLetterHeaders() {
    }

    /** Builds the dead-letter headers for {@code source}. */
    public static Headers build(ConsumerRecord<byte[], byte[]> source, Outcome.DeadLetter why, Instant failedAt) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : source.headers()) {
            if (!header.key().startsWith(PREFIX)) {
                headers.add(header);
            }
        }
        add(headers, REASON, why.reason().name());
        if (why.exceptionClass() != null) {
            add(headers, EXCEPTION_CLASS, why.exceptionClass());
        }
        add(headers, EXCEPTION_MESSAGE, bound(why.message()));
        if (why.httpStatus() != null) {
            add(headers, HTTP_STATUS, Integer.toString(why.httpStatus()));
        }
        if (why.merchantId() != null) {
            add(headers, MERCHANT_ID, why.merchantId());
        }
        add(headers, SOURCE_TOPIC, source.topic());
        add(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        add(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        add(headers, SOURCE_TIMESTAMP, Long.toString(source.timestamp()));
        add(headers, ATTEMPTS, Integer.toString(why.attempts()));
        add(headers, FAILED_AT, failedAt.toString());
        add(headers, REPLAY_COUNT, Integer.toString(replayCount(source.headers())));
        return headers;
    }

    /** The replay count a record carries, 0 when it has none or an unreadable one. */
    public static int replayCount(Headers headers) {
        Header last = headers.lastHeader(REPLAY_COUNT);
        if (last == null || last.value() == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(new String(last.value(), StandardCharsets.UTF_8).trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The value of a header as UTF-8 text, or null. */
    public static String text(Headers headers, String key) {
        Header last = headers.lastHeader(key);
        return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }

    /** The original headers of a dead-letter record: every header not starting with {@code dlt.}. */
    public static List<Header> originalHeaders(Headers headers) {
        List<Header> kept = new ArrayList<>();
        for (Header header : headers) {
            if (!header.key().startsWith(PREFIX)) {
                kept.add(header);
            }
        }
        return kept;
    }

    static String bound(String message) {
        if (message.length() <= MAX_MESSAGE_LENGTH) {
            return message;
        }
        return message.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8)));
    }
}
