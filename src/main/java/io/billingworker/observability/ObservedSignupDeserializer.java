package io.billingworker.observability;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.WeakHashMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Wraps the signup value deserializer to observe what each decoded signup says, without another decode:
 * <ul>
 *   <li>its {@code occurred_at}, kept for {@link IntakeMetrics}' end-to-end latency until the record's outcome is
 *       published. Entries are keyed by the identity of the record's value array (the one the processor decodes)
 *       and held weakly, so a record that never reaches an outcome (revoked, shutdown) leaves nothing behind;</li>
 *   <li>its ids for the log context ({@link LogContext}) of the thread processing it: event id, subscription id,
 *       merchant and the event's own order id. The order id of an event without one is derived by the mapping, once
 *       per record, and put in the log context from there ({@link WorkerObservability#derivedOrderIds()}). Never
 *       customer contact data.</li>
 * </ul>
 */
public final class ObservedSignupDeserializer implements Deserializer<Object>, IntakeMetrics.OccurredAtSource {

    private final Deserializer<?> delegate;
    private final String defaultMerchant;
    private final Map<byte[], Long> occurredAt = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param delegate        the configured value deserializer
     * @param defaultMerchant the merchant of signups without {@code merchant_id} (for the log context)
     */
    public ObservedSignupDeserializer(Deserializer<?> delegate, String defaultMerchant) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.defaultMerchant = Objects.requireNonNull(defaultMerchant, "defaultMerchant");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        return observe(data, delegate.deserialize(topic, data));
    }

    @Override
    public Object deserialize(String topic, Headers headers, byte[] data) {
        return observe(data, delegate.deserialize(topic, headers, data));
    }

    /** The {@code occurred_at} of the record's signup if it was decoded; forgets it. */
    @Override
    public OptionalLong occurredAt(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return OptionalLong.empty();
        }
        Long millis = occurredAt.remove(record.value());
        return millis == null ? OptionalLong.empty() : OptionalLong.of(millis);
    }

    /** Signups decoded whose outcome is not published yet (or whose record is not yet collected). */
    int tracked() {
        return occurredAt.size();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private Object observe(byte[] data, Object value) {
        if (data != null && value instanceof GenericRecord signup && signup.getSchema().getField("event_id") != null) {
            Long millis = epochMillis(field(signup, "occurred_at"));
            if (millis != null) {
                occurredAt.put(data, millis);
            }
            String merchant = text(field(signup, "merchant_id"));
            LogContext.putSignup(text(field(signup, "event_id")), text(field(signup, "subscription_id")),
                    merchant == null ? defaultMerchant : merchant, text(field(signup, "order_id")));
        }
        return value;
    }

    private static Object field(GenericRecord record, String name) {
        return record.getSchema().getField(name) == null ? null : record.get(name);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Long epochMillis(Object value) {
        return switch (value) {
            case Instant instant -> instant.toEpochMilli();
            case Long millis -> millis;
            case null, default -> null;
        };
    }
}
