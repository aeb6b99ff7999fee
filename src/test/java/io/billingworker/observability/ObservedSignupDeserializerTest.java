package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.app.DemoSignups;
import io.billingworker.avro.SubscriptionSignup;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
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
