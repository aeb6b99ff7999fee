package io.billingworker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.billingworker.avro.SubscriptionSignup;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Records written with one version of SubscriptionSignup read with another, through the in-memory registry:
 * v1 lacks {@code gateway_id}, v2 is the generated class, v3 adds {@code campaign_code}.
 */
class SchemaEvolutionTest {

    private final MockSchemaRegistry registry = new MockSchemaRegistry();
    private final ConfluentAvroSerializer<GenericRecord> genericWriter = new ConfluentAvroSerializer<>(registry);
    private final ConfluentAvroDeserializer<SubscriptionSignup> specificReader =
            new ConfluentAvroDeserializer<>(registry, SubscriptionSignup.class);
    private final ConfluentAvroDeserializer<GenericRecord> genericReader = new ConfluentAvroDeserializer<>(registry);

    @Test
    void shouldReadOlderWriterWithoutNewOptionalFieldAsCurrentClass() {
        Schema v1 = TestRecords.signupWithout("gateway_id");
        byte[] v1Bytes = genericWriter.serialize("signups", TestRecords.genericSignup(v1, Map.of()));

        SubscriptionSignup read = specificReader.deserialize("signups", v1Bytes);

        assertThat(read.getGatewayId()).isNull();
        assertThat(read).isEqualTo(TestRecords.signup());
        assertThat(WireFormat.schemaId(v1Bytes, "value")).isEqualTo(1);
    }

    @Test
    void shouldReadNewerWriterWithExtraOptionalFieldAsCurrentClass() {
        registry.register("signups-value", SubscriptionSignup.getClassSchema());
        Schema v3 = TestRecords.signupWithOptional("campaign_code");
        byte[] v3Bytes = genericWriter.serialize("signups",
                TestRecords.genericSignup(v3, Map.of("campaign_code", "SPRING")));

        SubscriptionSignup read = specificReader.deserialize("signups", v3Bytes);

        assertThat(read).isEqualTo(TestRecords.signup());
        assertThat(WireFormat.schemaId(v3Bytes, "value")).isEqualTo(2);
    }

    @Test
    void shouldReadEachVersionWithItsOwnSchemaAsGenericRecord() {
        Schema v1 = TestRecords.signupWithout("gateway_id");
        Schema v3 = TestRecords.signupWithOptional("campaign_code");
        byte[] v1Bytes = genericWriter.serialize("signups", TestRecords.genericSignup(v1, Map.of()));
        byte[] v3Bytes = genericWriter.serialize("signups",
                TestRecords.genericSignup(v3, Map.of("gateway_id", "PAYU", "campaign_code", "SPRING")));

        GenericRecord oldRecord = genericReader.deserialize("signups", v1Bytes);
        GenericRecord newRecord = genericReader.deserialize("signups", v3Bytes);

        assertThat(oldRecord.getSchema()).isEqualTo(v1);
        assertThat(oldRecord.hasField("gateway_id")).isFalse();
        assertThat(newRecord.getSchema()).isEqualTo(v3);
        assertThat(newRecord.get("gateway_id")).hasToString("PAYU");
        assertThat(newRecord.get("campaign_code")).hasToString("SPRING");
    }

    @Test
    void shouldReadBothVersionsWithAnOlderAndANewerReaderSchema() {
        Schema v1 = TestRecords.signupWithout("gateway_id");
        Schema v2 = SubscriptionSignup.getClassSchema();
        byte[] v1Bytes = genericWriter.serialize("signups", TestRecords.genericSignup(v1, Map.of()));
        byte[] v2Bytes = new ConfluentAvroSerializer<SubscriptionSignup>(registry).serialize("signups",
                SubscriptionSignup.newBuilder(TestRecords.signup()).setGatewayId("PAYU").build());
        ConfluentAvroDeserializer<GenericRecord> v1Reader = new ConfluentAvroDeserializer<>(registry, v1);
        ConfluentAvroDeserializer<GenericRecord> v2Reader = new ConfluentAvroDeserializer<>(registry, v2);

        GenericRecord oldAsV1 = v1Reader.deserialize("signups", v1Bytes);
        GenericRecord newAsV1 = v1Reader.deserialize("signups", v2Bytes);
        GenericRecord oldAsV2 = v2Reader.deserialize("signups", v1Bytes);
        GenericRecord newAsV2 = v2Reader.deserialize("signups", v2Bytes);

        assertThat(List.of(oldAsV1, newAsV1)).allSatisfy(r -> {
            assertThat(r.getSchema()).isEqualTo(v1);
            assertThat(r.get("subscription_id")).hasToString("s1");
        });
        assertThat(List.of(oldAsV2, newAsV2)).allSatisfy(r -> assertThat(r.getSchema()).isEqualTo(v2));
        assertThat(oldAsV2.get("gateway_id")).isNull();
        assertThat(newAsV2.get("gateway_id")).hasToString("PAYU");
    }

    @Test
    void shouldRefuseRegisteringANewVersionThatBreaksBackwardCompatibility() {
        registry.register("signups-value", SubscriptionSignup.getClassSchema());
        Schema breaking = TestRecords.signupWithType("amount", "int");

        assertThatThrownBy(() -> genericWriter.serialize("signups", TestRecords.genericSignup(breaking,
                Map.of("amount", 1))))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessage("schema is incompatible with the latest version of subject 'signups-value' (BACKWARD): "
                        + "TYPE_MISMATCH (reader type: INT not compatible with writer type: STRING) "
                        + "at /fields/5/type");
    }
}
