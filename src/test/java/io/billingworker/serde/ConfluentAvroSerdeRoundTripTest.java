package io.billingworker.serde;

import io.billingworker.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.billingworker.avro.SubscriptionSignup;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeRoundTripTest {

    private final String scope = "round-trip-" + UUID.randomUUID();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.drop(scope);
    }

    @Test
    void shouldRoundTripSpecificRecord() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        ConfluentAvroSerializer<SubscriptionSignup> serializer = new ConfluentAvroSerializer<>(registry);
        ConfluentAvroDeserializer<SubscriptionSignup> deserializer =
                new ConfluentAvroDeserializer<>(registry, SubscriptionSignup.class);

        SubscriptionSignup read = deserializer.deserialize("subscription.signups",
                serializer.serialize("subscription.signups", TestRecords.signup()));

        assertThat(read).isEqualTo(TestRecords.signup());
        assertThat(registry.getLatest("subscription.signups-value").schema())
                .isEqualTo(SubscriptionSignup.getClassSchema());
    }

    @Test
    void shouldRoundTripGenericRecord() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(registry);
        ConfluentAvroDeserializer<GenericRecord> deserializer = new ConfluentAvroDeserializer<>(registry);

        GenericRecord read = deserializer.deserialize("tiny", serializer.serialize("tiny", TestRecords.tiny("ab", 3)));

        assertThat(read).isEqualTo(TestRecords.tiny("ab", 3));
        assertThat(read.getSchema()).isEqualTo(TestRecords.TINY);
    }

    @Test
    void shouldReadSpecificRecordAsGenericRecordByDefaultWhenConfiguredByKafka() {
        Map<String, Object> config = Map.of(ConfluentAvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
        ConfluentAvroSerializer<SubscriptionSignup> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(config, false);
        ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(config, false);

        Object read = deserializer.deserialize("signups", serializer.serialize("signups", TestRecords.signup()));

        assertThat(read).isInstanceOf(GenericRecord.class).isNotInstanceOf(SubscriptionSignup.class);
        assertThat(((GenericRecord) read).get("event_id")).hasToString("e1");
    }

    @Test
    void shouldReadSpecificRecordWhenSpecificAvroReaderIsConfigured() {
        ConfluentAvroSerializer<SubscriptionSignup> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", "mock://" + scope), false);
        ConfluentAvroDeserializer<SubscriptionSignup> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(Map.of("schema.registry.url", "mock://" + scope, "specific.avro.reader", "true"), false);

        SubscriptionSignup read = deserializer.deserialize("signups",
                serializer.serialize("signups", TestRecords.signup()));

        assertThat(read).isEqualTo(TestRecords.signup());
    }

    @Test
    void shouldReadConfiguredSpecificValueType() {
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        byte[] bytes = new ConfluentAvroSerializer<SubscriptionSignup>(registry).serialize("t", TestRecords.signup());
        ConfluentAvroDeserializer<SubscriptionSignup> deserializer = new ConfluentAvroDeserializer<>(registry,
                Map.of("specific.avro.reader", true, "specific.avro.value.type", SubscriptionSignup.class.getName()),
                false);

        SubscriptionSignup read = deserializer.deserialize("t", bytes);

        assertThat(read).isEqualTo(TestRecords.signup());
    }

    @Test
    void shouldRegisterKeySchemasUnderTopicKeySubject() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(registry, Map.of(), true);

        serializer.serialize("orders", TestRecords.tiny("a", 1));

        assertThat(registry.getLatest("orders-key").id()).isEqualTo(1);
        assertThatThrownBy(() -> registry.getLatest("orders-value"))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessage("subject 'orders-value' not found in registry");
    }

    @Test
    void shouldSerializeNullAsNull() {
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(new MockSchemaRegistry());

        byte[] bytes = serializer.serialize("tiny", null);

        assertThat(bytes).isNull();
    }

    @Test
    void shouldUseRegisteredIdWithoutRegisteringWhenAutoRegisterIsOff() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        registry.register("other-value", TestRecords.signupWithout("gateway_id"));
        int id = registry.register("tiny-value", TestRecords.TINY);
        ConfluentAvroSerializer<GenericRecord> serializer =
                new ConfluentAvroSerializer<>(registry, Map.of("auto.register.schemas", "false"), false);

        byte[] bytes = serializer.serialize("tiny", TestRecords.tiny("a", 1));

        assertThat(WireFormat.schemaId(bytes, "value")).isEqualTo(id).isEqualTo(2);
    }

    @Test
    void shouldRefuseUnregisteredSchemaWhenAutoRegisterIsOff() {
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(new MockSchemaRegistry(),
                Map.of("auto.register.schemas", false), false);

        assertThatThrownBy(() -> serializer.serialize("tiny", TestRecords.tiny("a", 1)))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessage("schema not registered under subject 'tiny-value'");
    }

    @Test
    void shouldWriteWithLatestVersionWhenConfigured() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        registry.register("signups-value", SubscriptionSignup.getClassSchema());
        Schema v2 = TestRecords.signupWithOptional("campaign_code");
        int v2Id = registry.register("signups-value", v2);
        ConfluentAvroSerializer<SubscriptionSignup> serializer = new ConfluentAvroSerializer<>(registry,
                Map.of("auto.register.schemas", false, "use.latest.version", true), false);
        ConfluentAvroDeserializer<GenericRecord> genericReader = new ConfluentAvroDeserializer<>(registry);

        byte[] bytes = serializer.serialize("signups", TestRecords.signup());

        assertThat(WireFormat.schemaId(bytes, "value")).isEqualTo(v2Id);
        GenericRecord read = genericReader.deserialize("signups", bytes);
        assertThat(read.getSchema()).isEqualTo(v2);
        assertThat(read.get("campaign_code")).isNull();
        assertThat(read.get("subscription_id")).hasToString("s1");
    }

    @Test
    void shouldReuseLatestVersionUntilItsCacheTtlExpires() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        int v1Id = registry.register("signups-value", SubscriptionSignup.getClassSchema());
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ConfluentAvroSerializer<SubscriptionSignup> serializer = new ConfluentAvroSerializer<>(registry,
                Map.of("auto.register.schemas", false, "use.latest.version", true, "latest.cache.ttl.sec", 60),
                false, clock);
        serializer.serialize("signups", TestRecords.signup());
        int v2Id = registry.register("signups-value", TestRecords.signupWithOptional("campaign_code"));

        clock.now = clock.now.plusSeconds(59);
        byte[] beforeExpiry = serializer.serialize("signups", TestRecords.signup());
        clock.now = clock.now.plusSeconds(1);
        byte[] afterExpiry = serializer.serialize("signups", TestRecords.signup());

        assertThat(WireFormat.schemaId(beforeExpiry, "value")).isEqualTo(v1Id);
        assertThat(WireFormat.schemaId(afterExpiry, "value")).isEqualTo(v2Id);
    }

    @Test
    void shouldRefuseLatestVersionThatCannotRepresentTheRecord() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        registry.register("tiny-value", TestRecords.TINY);
        ConfluentAvroSerializer<SubscriptionSignup> serializer = new ConfluentAvroSerializer<>(registry,
                Map.of("auto.register.schemas", false, "use.latest.version", true), false);

        assertThatThrownBy(() -> serializer.serialize("tiny", TestRecords.signup()))
                .isInstanceOf(SerializationException.class)
                .hasMessage("latest version 1 of subject 'tiny-value' (schema id 1) cannot represent a "
                        + "io.billingworker.avro.SubscriptionSignup record of this schema: "
                        + "NAME_MISMATCH (expected: io.billingworker.avro.SubscriptionSignup) at /name; "
                        + "READER_FIELD_MISSING_DEFAULT_VALUE (name) at /fields/0; "
                        + "READER_FIELD_MISSING_DEFAULT_VALUE (count) at /fields/1");
    }

    @Test
    void shouldRefuseValuesThatAreNotAvroRecords() {
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>(new MockSchemaRegistry());

        assertThatThrownBy(() -> serializer.serialize("t", "text"))
                .isInstanceOf(SerializationException.class)
                .hasMessage("cannot serialize a java.lang.String: only Avro records (SpecificRecord, GenericRecord) "
                        + "are supported");
    }

    @Test
    void shouldRefuseRecordThatDoesNotMatchItsSchema() {
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(new MockSchemaRegistry());
        GenericRecord missingName = TestRecords.tiny(null, 1);

        assertThatThrownBy(() -> serializer.serialize("tiny", missingName))
                .isInstanceOf(SerializationException.class)
                .hasMessage("cannot serialize a test.Tiny record for topic 'tiny': it does not match its schema "
                        + "(NullPointerException)");
    }

    @Test
    void shouldRefuseOtherSubjectNameStrategies() {
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>();
        Map<String, String> config = Map.of("schema.registry.url", "mock://" + scope,
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy");

        assertThatThrownBy(() -> serializer.configure(config, false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value io.confluent.kafka.serializers.subject.RecordNameStrategy for configuration "
                        + "value.subject.name.strategy: only io.confluent.kafka.serializers.subject.TopicNameStrategy "
                        + "is supported");
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
