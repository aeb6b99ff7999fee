package io.billingworker.observability;

import io.billingworker.intake.Hold;
import io.billingworker.intake.RecordProcessor;
import io.billingworker.outcome.Outcome;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.MDC;

/**
 * The log context (SLF4J MDC) of the thread processing a record: {@code record} (topic-partition@offset), then,
 * once decoded, {@code event_id}, {@code subscription_id}, {@code merchant_id} and the event's own {@code order_id};
 * for an event without one, the order id the mapping derives is put right after mapping, before the {@code /session}
 * call ({@link #putOrderId}). The JSON log format writes them as fields of every line. Only ids: never API keys,
 * never customer contact data. Values are cut to {@value #MAX_VALUE_LENGTH} characters.
 */
public final class LogContext {

    public static final String RECORD = "record";
    public static final String EVENT_ID = "event_id";
    public static final String SUBSCRIPTION_ID = "subscription_id";
    public static final String MERCHANT_ID = "merchant_id";
    public static final String ORDER_ID = "order_id";
    static final int MAX_VALUE_LENGTH = 128;
    private static final List<String> KEYS = List.of(RECORD, EVENT_ID, SUBSCRIPTION_ID, MERCHANT_ID, ORDER_ID);

    private LogContext() {
    }

    /** Wraps a processor so every line logged while it works on a record carries the record's context. */
    public static RecordProcessor around(RecordProcessor processor) {
        Objects.requireNonNull(processor, "processor");
        return (record, hold) -> process(processor, record, hold);
    }

    /** The decoded signup's ids; {@code orderId} is the event's own (null when it brings none). */
    static void putSignup(String eventId, String subscriptionId, String merchantId, String orderId) {
        put(EVENT_ID, eventId);
        put(SUBSCRIPTION_ID, subscriptionId);
        put(MERCHANT_ID, merchantId);
        put(ORDER_ID, orderId);
    }

    /** The order id derived for a signup that brings none, once the mapping derived it. */
    static void putOrderId(String orderId) {
        put(ORDER_ID, orderId);
    }

    private static Outcome process(RecordProcessor processor, ConsumerRecord<byte[], byte[]> record, Hold hold)
            throws InterruptedException {
        clear();
        put(RECORD, record.topic() + "-" + record.partition() + "@" + record.offset());
        try {
            return processor.process(record, hold);
        } finally {
            clear();
        }
    }

    private static void put(String key, String value) {
        if (value == null || value.isEmpty()) {
            MDC.remove(key);
        } else {
            MDC.put(key, value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) : value);
        }
    }

    private static void clear() {
        KEYS.forEach(MDC::remove);
    }
}
