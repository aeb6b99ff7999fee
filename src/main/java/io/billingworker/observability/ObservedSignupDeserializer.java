package io.billingworker.observability;

import io.billingworker.avro.SubscriptionSignup;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Wraps the signup value deserializer to observe what each decoded signup says, without another decode (through
 * the getters of a {@link SubscriptionSignup}, which the worker decodes to, or by field name in any other record):
 * <ul>
 *   <li>its {@code occurred_at}, for {@link IntakeMetrics}' end-to-end latency. Decoding and publishing share only
 *       the consumer record, which cannot carry it, so it is kept by the record's value array (the one the processor
 *       decodes and the consumer loop reports; arrays are equal only to themselves) in a {@link ConcurrentHashMap}:
 *       no lock shared by all records, no weak reference per record. The entry lives until the record's processing
 *       ends, which the consumer loop reports for every record whose processing started, as exactly one of: its
 *       outcome published ({@link IntakeMetrics#published} asks {@link #occurredAt}, which takes the entry out), or
 *       abandoned without one (revoked or lost partition, shutdown, fatal error: {@link IntakeMetrics#abandoned}
 *       calls {@link #forget}). So a record that never reaches an outcome leaves nothing behind, as long as only the
 *       worker's processing decodes through this deserializer ({@link WorkerObservability} hands it out with that
 *       listener);</li>
 *   <li>its ids for the log context ({@link LogContext}) of the thread processing it: event id, subscription id,
 *       merchant and the event's own order id. The order id of an event without one is derived by the mapping, once
 *       per record, and put in the log context from there ({@link WorkerObservability#derivedOrderIds()}). Never
 *       customer contact data.</li>
 * </ul>
 */
public final class ObservedSignupDeserializer implements Deserializer<Object>, IntakeMetrics.OccurredAtSource {

    private final Deserializer<?> delegate;
    private final String defaultMerchant;
    private final Map<byte[], Long> occurredAt = new ConcurrentHashMap<>();

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

    @Override
    public void forget(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() != null) {
            occurredAt.remove(record.value());
        }
    }

    /** Signups decoded whose record's processing has not ended yet. */
    int tracked() {
        return occurredAt.size();
    }

    @Override
    public void close() {
        occurredAt.clear();
        delegate.close();
    }

    private Object observe(byte[] data, Object value) {
        if (data == null) {
            return value;
        }
        if (value instanceof SubscriptionSignup signup) {
            observed(data, epochMillis(signup.getOccurredAt()), signup.getEventId(), signup.getSubscriptionId(),
                    signup.getMerchantId(), signup.getOrderId());
        } else if (value instanceof GenericRecord signup && signup.getSchema().getField("event_id") != null) {
            observed(data, epochMillis(field(signup, "occurred_at")), text(field(signup, "event_id")),
                    text(field(signup, "subscription_id")), text(field(signup, "merchant_id")),
                    text(field(signup, "order_id")));
        }
        return value;
    }

    private void observed(byte[] data, Long occurredAtMillis, String eventId, String subscriptionId, String merchant,
            String orderId) {
        if (occurredAtMillis != null) {
            occurredAt.put(data, occurredAtMillis);
        }
        LogContext.putSignup(eventId, subscriptionId, merchant == null ? defaultMerchant : merchant, orderId);
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
