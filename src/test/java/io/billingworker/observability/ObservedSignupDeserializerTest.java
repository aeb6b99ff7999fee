package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.app.DemoSignups;
import io.billingworker.avro.SubscriptionSignup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ObservedSignupDeserializerTest {

    private static final Instant OCCURRED = Instant.parse("2025-03-01T10:00:00Z");

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void shouldRememberOccurredAtByTheRecordsValueArrayUntilAsked() {
        SubscriptionSignup signup = DemoSignups.seedShape("sub_1", "evt_1", null, null, OCCURRED);
        ObservedSignupDeserializer deserializer = new ObservedSignupDeserializer(answering(signup), "m_default");
        byte[] value = {0, 0, 0, 0, 1, 42};

        Object decoded = deserializer.deserialize("signups", new RecordHeaders(), value);

        assertThat(decoded).isSameAs(signup);
        assertThat(deserializer.occurredAt(Outcomes.record(0, new byte[] {0, 0, 0, 0, 1, 42}))).isEmpty();
        assertThat(deserializer.occurredAt(Outcomes.record(0, value))).isEqualTo(OptionalLong.of(OCCURRED.toEpochMilli()));
        assertThat(deserializer.occurredAt(Outcomes.record(0, value))).isEmpty();
        assertThat(deserializer.tracked()).isZero();
    }

    @Test
    void shouldForgetTheOccurredAtOfARecordAbandonedWithoutAnOutcome() {
        SubscriptionSignup signup = DemoSignups.seedShape("sub_1", "evt_1", null, null, OCCURRED);
        ObservedSignupDeserializer deserializer = new ObservedSignupDeserializer(answering(signup), "m_default");
        byte[] abandoned = {0, 0, 0, 0, 1, 42};
        byte[] published = {0, 0, 0, 0, 1, 43};
        deserializer.deserialize("signups", new RecordHeaders(), abandoned);
        deserializer.deserialize("signups", new RecordHeaders(), published);
        int trackedWhileProcessed = deserializer.tracked();

        deserializer.forget(Outcomes.record(0, abandoned));
        deserializer.forget(Outcomes.record(0, null));

        assertThat(trackedWhileProcessed).isEqualTo(2);
        assertThat(deserializer.tracked()).isEqualTo(1);
        assertThat(deserializer.occurredAt(Outcomes.record(0, abandoned))).isEmpty();
        assertThat(deserializer.occurredAt(Outcomes.record(0, published)))
                .isEqualTo(OptionalLong.of(OCCURRED.toEpochMilli()));
        assertThat(deserializer.tracked()).isZero();
    }

    @Test
    void shouldPutTheSignupsIdsIntoTheLogContextAndLeaveADerivedOrderIdToTheMapping() {
        SubscriptionSignup signup = DemoSignups.seedShape("sub_1", "evt_1", null, null, OCCURRED);
        ObservedSignupDeserializer deserializer = new ObservedSignupDeserializer(answering(signup), "m_default");
        MDC.put(LogContext.ORDER_ID, "ord_of_another_record");

        deserializer.deserialize("signups", new RecordHeaders(), new byte[] {1});

        assertThat(MDC.get(LogContext.EVENT_ID)).isEqualTo("evt_1");
        assertThat(MDC.get(LogContext.SUBSCRIPTION_ID)).isEqualTo("sub_1");
        assertThat(MDC.get(LogContext.MERCHANT_ID)).isEqualTo("m_default");
        assertThat(MDC.get(LogContext.ORDER_ID)).isNull();
    }

    @Test
    void shouldPreferTheEventsOwnMerchantAndOrderId() {
        SubscriptionSignup signup = DemoSignups.seedShape("sub_1", "evt_1", null, null, OCCURRED);
        signup.setMerchantId("m_other");
        signup.setOrderId("ord_given");
        ObservedSignupDeserializer deserializer = new ObservedSignupDeserializer(answering(signup), "m_default");

        deserializer.deserialize("signups", new byte[] {1});

        assertThat(MDC.get(LogContext.MERCHANT_ID)).isEqualTo("m_other");
        assertThat(MDC.get(LogContext.ORDER_ID)).isEqualTo("ord_given");
    }

    @Test
    void shouldNeverPutCustomerContactDataIntoTheLogContext() {
        SubscriptionSignup signup = DemoSignups.seedShape("sub_1", "evt_1", null, null, OCCURRED);
        signup.setOrderId("ord_given");
        signup.getCustomer().setEmail("jane@example.com");
        signup.getCustomer().setPhone("9999999999");
        ObservedSignupDeserializer deserializer = new ObservedSignupDeserializer(answering(signup), "m_default");

        deserializer.deserialize("signups", new byte[] {1});

        Map<String, String> context = MDC.getCopyOfContextMap();
        assertThat(context).containsOnlyKeys(LogContext.EVENT_ID, LogContext.SUBSCRIPTION_ID, LogContext.MERCHANT_ID,
                LogContext.ORDER_ID);
        assertThat(context.values()).noneMatch(value -> value.contains("jane") || value.contains("9999999999"));
    }

    @Test
    void shouldReadGenericRecordsByTheFieldsOfTheirOwnSchema() {
        Schema full = SchemaBuilder.record("SubscriptionSignup").namespace("io.billingworker.avro").fields()
                .requiredString("event_id").requiredLong("occurred_at").optionalString("merchant_id")
                .requiredString("subscription_id").optionalString("order_id").endRecord();
        // Another writer's field order, without merchant_id and order_id.
        Schema reordered = SchemaBuilder.record("SubscriptionSignup").namespace("io.billingworker.avro").fields()
                .requiredString("subscription_id").requiredLong("occurred_at").requiredString("event_id")
                .endRecord();
        GenericRecord first = new GenericRecordBuilder(full).set("event_id", "evt_1").set("occurred_at", 1_000L)
                .set("merchant_id", "m_other").set("subscription_id", "sub_1").set("order_id", "ord_1").build();
        GenericRecord second = new GenericRecordBuilder(reordered).set("subscription_id", "sub_2")
                .set("occurred_at", 2_000L).set("event_id", "evt_2").build();
        GenericRecord third = new GenericRecordBuilder(full).set("event_id", "evt_3").set("occurred_at", 3_000L)
                .set("subscription_id", "sub_3").build();
        List<GenericRecord> decoded = List.of(first, second, third);
        int[] next = {0};
        ObservedSignupDeserializer deserializer = new ObservedSignupDeserializer(
                (topic, data) -> decoded.get(next[0]++), "m_default");
        List<Map<String, String>> contexts = new ArrayList<>();
        List<byte[]> values = List.of(new byte[] {1}, new byte[] {2}, new byte[] {3});

        for (byte[] value : values) {
            deserializer.deserialize("signups", value);
            contexts.add(MDC.getCopyOfContextMap());
        }

        assertThat(contexts.get(0)).isEqualTo(Map.of(LogContext.EVENT_ID, "evt_1", LogContext.SUBSCRIPTION_ID, "sub_1",
                LogContext.MERCHANT_ID, "m_other", LogContext.ORDER_ID, "ord_1"));
        assertThat(contexts.get(1)).isEqualTo(Map.of(LogContext.EVENT_ID, "evt_2", LogContext.SUBSCRIPTION_ID, "sub_2",
                LogContext.MERCHANT_ID, "m_default"));
        assertThat(contexts.get(2)).isEqualTo(Map.of(LogContext.EVENT_ID, "evt_3", LogContext.SUBSCRIPTION_ID, "sub_3",
                LogContext.MERCHANT_ID, "m_default"));
        assertThat(values).map(value -> deserializer.occurredAt(Outcomes.record(0, value)))
                .containsExactly(OptionalLong.of(1_000L), OptionalLong.of(2_000L), OptionalLong.of(3_000L));
    }

    @Test
    void shouldIgnoreGenericRecordsWithoutAnEventId() {
        Schema other = SchemaBuilder.record("Other").fields().requiredLong("occurred_at").endRecord();
        GenericRecord record = new GenericRecordBuilder(other).set("occurred_at", 1_000L).build();
        ObservedSignupDeserializer deserializer = new ObservedSignupDeserializer(answering(record), "m1");
        byte[] value = {1};

        deserializer.deserialize("signups", value);

        assertThat(deserializer.occurredAt(Outcomes.record(0, value))).isEmpty();
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void shouldIgnoreValuesThatAreNotSignups() {
        ObservedSignupDeserializer deserializer = new ObservedSignupDeserializer(answering("not a record"), "m1");
        byte[] value = {1};

        deserializer.deserialize("signups", value);

        assertThat(deserializer.occurredAt(Outcomes.record(0, value))).isEmpty();
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    private static Deserializer<Object> answering(Object value) {
        return (topic, data) -> value;
    }
}
