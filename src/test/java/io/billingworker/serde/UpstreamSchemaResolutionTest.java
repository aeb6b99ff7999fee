package io.billingworker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.avro.Frequency;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.serde.UndecodableRecordException.Reason;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Upstream copies of the contract read as the worker reads its input ({@code specific.avro.value.type} set to
 * SubscriptionSignup), through the in-memory registry. The same cases run against the real registry in
 * {@code UpstreamSchemasIT}.
 */
class UpstreamSchemaResolutionTest {

    private final CountingRegistry registry = new CountingRegistry(new MockSchemaRegistry());
    private final ConfluentAvroSerializer<GenericRecord> upstream = new ConfluentAvroSerializer<>(registry);
    private final ConfluentAvroDeserializer<SubscriptionSignup> worker = new ConfluentAvroDeserializer<>(registry,
            Map.of("specific.avro.reader", true, "specific.avro.value.type", SubscriptionSignup.class.getName()), false);

    @Test
    void shouldReadACopyInAnotherNamespace() {
        Schema writer = UpstreamSchemas.otherNamespace();

        SubscriptionSignup read = worker.deserialize("t", written("ns", writer, Map.of()));

        assertThat(writer.getField("customer").schema().getFullName()).isEqualTo("com.acme.billing.Customer");
        assertThat(read).isEqualTo(TestRecords.signup());
    }

    @Test
    void shouldReadRenamedRecordsAndFieldsCarryingAliases() {
        Schema writer = UpstreamSchemas.edited(schema -> {
            schema.put("name", "Signup").putArray("aliases").add("io.billingworker.avro.SubscriptionSignup");
            ObjectNode customer = (ObjectNode) UpstreamSchemas.field(schema, "customer").get("type");
            customer.put("name", "Buyer").putArray("aliases").add("Customer");
            ObjectNode customerId = UpstreamSchemas.field(schema, "customer.customer_id");
            customerId.put("name", "buyer_ref").putArray("aliases").add("customer_id");
        });

        SubscriptionSignup read = worker.deserialize("t", written("renamed", writer, Map.of()));

        assertThat(read).isEqualTo(TestRecords.signup());
        assertThat(read.getCustomer().getCustomerId()).isEqualTo("c1");
    }

    @Test
    void shouldReadAnotherRecordNameWithoutAliases() {
        Schema writer = UpstreamSchemas.edited(schema -> schema.put("name", "SignupEvent"));

        SubscriptionSignup read = worker.deserialize("t", written("other-name", writer, Map.of()));

        assertThat(read).isEqualTo(TestRecords.signup());
    }

    @Test
    void shouldSkipAFieldTheWorkerDoesNotKnow() {
        Schema writer = UpstreamSchemas.edited(schema -> ((ArrayNode) schema.get("fields")).addObject()
                .put("name", "campaign_code").put("type", "string"));

        SubscriptionSignup read = worker.deserialize("t", written("extra", writer, Map.of("campaign_code", "SPRING")));

        assertThat(read).isEqualTo(TestRecords.signup());
    }

    @Test
    void shouldTakeTheWorkersDefaultsForOptionalFieldsTheWriterLeavesOut() {
        Schema writer = UpstreamSchemas.edited(schema -> {
            UpstreamSchemas.remove(schema, "gateway_id");
            UpstreamSchemas.remove(schema, "metadata");
            UpstreamSchemas.remove(schema, "currency");
            UpstreamSchemas.remove(schema, "customer.email");
        });

        SubscriptionSignup read = worker.deserialize("t", written("missing-optional", writer, Map.of()));

        assertThat(read.getGatewayId()).isNull();
        assertThat(read.getMetadata()).isEmpty();
        assertThat(read.getCurrency()).isEqualTo("INR");
        assertThat(read.getCustomer().getEmail()).isNull();
        assertThat(read.getEventId()).isEqualTo("e1");
    }

    @Test
    void shouldPromoteAnIntWhereTheWorkerReadsALong() {
        Schema writer = UpstreamSchemas.edited(schema -> UpstreamSchemas.field(schema, "mandate.start_date")
                .putArray("type").add("null").add("int"));
        SubscriptionSignup signup = TestRecords.signup();
        signup.getMandate().setStartDate(1_700_000_000L);

        SubscriptionSignup read = worker.deserialize("t", written("promoted", writer, signup, Map.of()));

        assertThat(read.getMandate().getStartDate()).isEqualTo(1_700_000_000L);
    }

    @Test
    void shouldNameARequiredFieldTheWriterLacks() {
        Schema writer = UpstreamSchemas.edited(schema -> UpstreamSchemas.remove(schema, "customer.customer_id"));
        byte[] bytes = written("missing-required", writer, Map.of());
        int id = WireFormat.schemaId(bytes, "value");

        assertThatThrownBy(() -> worker.deserialize("t", bytes))
                .isInstanceOfSatisfying(UndecodableRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA))
                .hasMessage("schema id " + id + " (com.acme.billing.SubscriptionSignup) cannot be read as "
                        + "io.billingworker.avro.SubscriptionSignup: field customer.customer_id is required "
                        + "(no default) and missing from the writer schema");
    }

    @Test
    void shouldNameATypeThatCannotBePromoted() {
        Schema writer = UpstreamSchemas.edited(schema -> {
            UpstreamSchemas.field(schema, "amount").put("type", "int");
            UpstreamSchemas.field(schema, "merchant_id").putArray("type").add("null").add("long");
        });
        byte[] bytes = written("not-promotable", writer, TestRecords.signup(), Map.of("amount", 1));
        int id = WireFormat.schemaId(bytes, "value");

        assertThatThrownBy(() -> worker.deserialize("t", bytes))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("schema id " + id + " (com.acme.billing.SubscriptionSignup) cannot be read as "
                        + "io.billingworker.avro.SubscriptionSignup: merchant_id: the writer's long (a branch of its "
                        + "union) cannot be read as union [null, string]; amount: the writer's int cannot be read as "
                        + "string");
    }

    @Test
    void shouldNameEveryRequiredFieldOfAnUnrelatedRecord() {
        byte[] bytes = upstream.serialize("tiny", TestRecords.tiny("ab", 3));

        assertThatThrownBy(() -> worker.deserialize("t", bytes))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("schema id 1 (test.Tiny) cannot be read as io.billingworker.avro.SubscriptionSignup: "
                        + "fields event_id, occurred_at, subscription_id, amount, customer, plan, mandate are required "
                        + "(no default) and missing from the writer schema");
    }

    @Test
    void shouldReadKnownSymbolsOfAnEnumWithAnExtraSymbolAndNameTheFieldOfAnUnknownOne() {
        Schema writer = UpstreamSchemas.edited(schema -> {
            ObjectNode frequency = (ObjectNode) UpstreamSchemas.field(schema, "mandate.frequency").get("type").get(1);
            ((ArrayNode) frequency.get("symbols")).add("TRIENNIAL");
        });
        SubscriptionSignup known = TestRecords.signup();
        byte[] knownBytes = written("enum", writer, known, Map.of());
        byte[] unknownBytes = written("enum", writer, withFrequency(writer, "TRIENNIAL"));
        int id = WireFormat.schemaId(knownBytes, "value");

        SubscriptionSignup read = worker.deserialize("t", knownBytes);

        assertThat(read.getMandate().getFrequency()).isEqualTo(Frequency.MONTHLY);
        assertThatThrownBy(() -> worker.deserialize("t", unknownBytes))
                .isInstanceOfSatisfying(UndecodableRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA))
                .hasMessage("schema id " + id + ": mandate.frequency (enum io.billingworker.avro.Frequency) has "
                        + "symbol TRIENNIAL, which the worker's enum does not have");
        assertThat(worker.deserialize("t", knownBytes)).isEqualTo(read);
    }

    @Test
    void shouldResolveEachSchemaIdOnceAndKeepAnUnresolvableOne() {
        Schema compatible = UpstreamSchemas.otherNamespace();
        Schema incompatible = UpstreamSchemas.edited(schema -> UpstreamSchemas.remove(schema, "plan.plan_id"));
        byte[] good = written("cached-good", compatible, Map.of());
        byte[] bad = written("cached-bad", incompatible, Map.of());

        for (int i = 0; i < 3; i++) {
            worker.deserialize("t", good);
            assertThatThrownBy(() -> worker.deserialize("t", bad)).isInstanceOf(UndecodableRecordException.class)
                    .hasMessageEndingWith("field plan.plan_id is required (no default) and missing from the writer "
                            + "schema");
        }

        assertThat(registry.lookups.get()).isEqualTo(2);
    }

    private byte[] written(String subjectTopic, Schema writer, Map<String, Object> extra) {
        return written(subjectTopic, writer, TestRecords.signup(), extra);
    }

    private byte[] written(String subjectTopic, Schema writer, SubscriptionSignup signup, Map<String, Object> extra) {
        return written(subjectTopic, writer, UpstreamSchemas.record(writer, signup, extra));
    }

    private byte[] written(String subjectTopic, Schema writer, GenericRecord record) {
        assertThat(record.getSchema()).isEqualTo(writer);
        return upstream.serialize(subjectTopic, record);
    }

    private static GenericRecord withFrequency(Schema writer, String symbol) {
        SubscriptionSignup signup = TestRecords.signup();
        signup.setMandate(Mandate.newBuilder(signup.getMandate()).setFrequency(null).build());
        GenericRecord record = UpstreamSchemas.record(writer, signup, Map.of());
        GenericRecord mandate = (GenericRecord) record.get("mandate");
        Schema frequency = mandate.getSchema().getField("frequency").schema().getTypes().get(1);
        mandate.put("frequency", new GenericData.EnumSymbol(frequency, symbol));
        return record;
    }

    /** Counts schema look-ups by id. */
    private static final class CountingRegistry implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        private final AtomicInteger lookups = new AtomicInteger();

        CountingRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            return delegate.register(subject, schema);
        }

        @Override
        public int getId(String subject, Schema schema) {
            return delegate.getId(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            lookups.incrementAndGet();
            return delegate.getById(id);
        }

        @Override
        public RegisteredSchema getLatest(String subject) {
            return delegate.getLatest(subject);
        }
    }
}
