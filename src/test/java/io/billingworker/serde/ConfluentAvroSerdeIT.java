package io.billingworker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.testsupport.ApicurioRegistry;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The serde against a real Confluent-compatible registry (Apicurio Registry's {@code /apis/ccompat/v7}) with BACKWARD
 * compatibility, configured as Kafka would configure it.
 */
class ConfluentAvroSerdeIT {

    private final String topic = "signups-" + UUID.randomUUID();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void shouldRoundTripThroughTheRegistryWritingTheIdItAssigned() {
        String url = ApicurioRegistry.shared().url();
        ConfluentAvroSerializer<SubscriptionSignup> serializer = configured(new ConfluentAvroSerializer<>(),
                Map.of("schema.registry.url", url));
        ConfluentAvroDeserializer<SubscriptionSignup> deserializer = configured(new ConfluentAvroDeserializer<>(),
                Map.of("schema.registry.url", url, "specific.avro.reader", "true"));
        SchemaRegistryClient freshClient = client(url);

        byte[] bytes = serializer.serialize(topic, TestRecords.signup());
        SubscriptionSignup read = deserializer.deserialize(topic, bytes);

        RegisteredSchema latest = freshClient.getLatest(topic + "-value");
        assertThat(bytes[0]).isZero();
        assertThat(HexFormat.of().formatHex(bytes, 1, 5)).isEqualTo("%08x".formatted(latest.id()));
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.schema()).isEqualTo(SubscriptionSignup.getClassSchema());
        assertThat(read).isEqualTo(TestRecords.signup());
    }

    @Test
    void shouldEvolveWithBackwardCompatibility() {
        SchemaRegistryClient registry = client(ApicurioRegistry.shared().url());
        Schema v1 = TestRecords.signupWithout("gateway_id");
        Schema v2 = SubscriptionSignup.getClassSchema();
        byte[] v1Bytes = new ConfluentAvroSerializer<GenericRecord>(registry)
                .serialize(topic, TestRecords.genericSignup(v1, Map.of()));
        byte[] v2Bytes = new ConfluentAvroSerializer<SubscriptionSignup>(registry)
                .serialize(topic, SubscriptionSignup.newBuilder(TestRecords.signup()).setGatewayId("PAYU").build());
        SchemaRegistryClient readerRegistry = client(ApicurioRegistry.shared().url());
        ConfluentAvroDeserializer<GenericRecord> v1Reader = new ConfluentAvroDeserializer<>(readerRegistry, v1);
        ConfluentAvroDeserializer<SubscriptionSignup> v2Reader =
                new ConfluentAvroDeserializer<>(readerRegistry, SubscriptionSignup.class);

        GenericRecord oldAsV1 = v1Reader.deserialize(topic, v1Bytes);
        GenericRecord newAsV1 = v1Reader.deserialize(topic, v2Bytes);
        SubscriptionSignup oldAsV2 = v2Reader.deserialize(topic, v1Bytes);
        SubscriptionSignup newAsV2 = v2Reader.deserialize(topic, v2Bytes);

        assertThat(registry.getLatest(topic + "-value").version()).isEqualTo(2);
        assertThat(WireFormat.schemaId(v2Bytes, "value")).isNotEqualTo(WireFormat.schemaId(v1Bytes, "value"));
        assertThat(List.of(oldAsV1, newAsV1)).allSatisfy(r -> {
            assertThat(r.getSchema()).isEqualTo(v1);
            assertThat(r.get("event_id")).hasToString("e1");
        });
        assertThat(oldAsV2).isEqualTo(TestRecords.signup());
        assertThat(newAsV2.getGatewayId()).isEqualTo("PAYU");
    }

    @Test
    void shouldHaveTheRegistryRefuseAnIncompatibleVersion() {
        SchemaRegistryClient registry = client(ApicurioRegistry.shared().url());
        new ConfluentAvroSerializer<SubscriptionSignup>(registry).serialize(topic, TestRecords.signup());
        Schema breaking = TestRecords.signupWithType("amount", "int");
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(registry);

        assertThatThrownBy(() -> serializer.serialize(topic, TestRecords.genericSignup(breaking, Map.of("amount", 1))))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessage("schema registry refused registering a schema under subject '" + topic + "-value': "
                        + "incompatible with an earlier version (HTTP 409, error 409): "
                        + "io.apicurio.registry.rules.RuleViolationException: Incompatible artifact: " + topic
                        + "-value [AVRO], num of incompatible diffs: {1}, list of diff types: "
                        + "[reader type: INT not compatible with writer type: STRING at /fields/5/type]");
    }

    @Test
    void shouldReportAnUnknownSchemaIdAsUndecodable() {
        ConfluentAvroDeserializer<SubscriptionSignup> deserializer = new ConfluentAvroDeserializer<>(
                client(ApicurioRegistry.shared().url()), SubscriptionSignup.class);

        assertThatThrownBy(() -> deserializer.deserialize(topic, HexFormat.of().parseHex("00" + "00bc614e" + "00")))
                .isInstanceOfSatisfying(UndecodableRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(UndecodableRecordException.Reason.UNKNOWN_SCHEMA))
                .hasMessage("schema id 12345678 not found in registry");
    }

    @Test
    void shouldKeepServingCachedSchemasAndFailRetriablyOnACacheMissWhenTheRegistryStops() {
        ApicurioRegistry own = ApicurioRegistry.start();
        toClose.add(own);
        SchemaRegistryClient registry = client(own.url());
        ConfluentAvroSerializer<SubscriptionSignup> serializer = new ConfluentAvroSerializer<>(registry);
        ConfluentAvroDeserializer<SubscriptionSignup> deserializer =
                new ConfluentAvroDeserializer<>(registry, SubscriptionSignup.class);
        byte[] cachedBytes = serializer.serialize(topic, TestRecords.signup());
        deserializer.deserialize(topic, cachedBytes);
        byte[] uncachedBytes = new ConfluentAvroSerializer<GenericRecord>(client(own.url()))
                .serialize(topic, TestRecords.genericSignup(TestRecords.signupWithOptional("campaign_code"), Map.of()));
        int uncachedId = WireFormat.schemaId(uncachedBytes, "value");

        own.close();

        assertThat(own.isRunning()).isFalse();
        assertThat(deserializer.deserialize(topic, cachedBytes)).isEqualTo(TestRecords.signup());
        assertThat(serializer.serialize(topic, TestRecords.signup())).isEqualTo(cachedBytes);
        assertThatThrownBy(() -> deserializer.deserialize(topic, uncachedBytes))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessage("schema registry unreachable while fetching schema id " + uncachedId + ": " + own.url()
                        + " connection failed (ConnectException)");
    }

    private SchemaRegistryClient client(String url) {
        SchemaRegistryClient client = SchemaRegistryClients.forConfig(Map.of("schema.registry.url", url));
        toClose.add(client);
        return client;
    }

    private <S extends AutoCloseable> S configured(S serde, Map<String, ?> config) {
        if (serde instanceof ConfluentAvroSerializer<?> serializer) {
            serializer.configure(config, false);
        } else if (serde instanceof ConfluentAvroDeserializer<?> deserializer) {
            deserializer.configure(config, false);
        }
        toClose.add(serde);
        return serde;
    }
}
