package io.billingworker.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.avro.AmountRule;
import io.billingworker.avro.Customer;
import io.billingworker.avro.Frequency;
import io.billingworker.avro.Mandate;
import io.billingworker.avro.Plan;
import io.billingworker.avro.SubscriptionSignup;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Schemas and records shared by the serde tests. */
public final class TestRecords {

    /** A two-field record small enough to encode by hand. */
    public static final Schema TINY = new Schema.Parser().parse("""
            {"type": "record", "name": "Tiny", "namespace": "test",
             "fields": [{"name": "name", "type": "string"}, {"name": "count", "type": "int"}]}""");

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestRecords() {
    }

    public static GenericRecord tiny(String name, int count) {
        GenericRecord record = new GenericData.Record(TINY);
        record.put("name", name);
        record.put("count", count);
        return record;
    }

    /** A signup with a mix of set and null fields; its bytes are spelled out in ConfluentWireFormatGoldenTest. */
    public static SubscriptionSignup signup() {
        return SubscriptionSignup.newBuilder()
                .setEventId("e1")
                .setOccurredAt(Instant.ofEpochMilli(1000))
                .setMerchantId(null)
                .setSubscriptionId("s1")
                .setOrderId("o1")
                .setAmount("1.0")
                .setCurrency("INR")
                .setCustomer(Customer.newBuilder().setCustomerId("c1").setPhone("9").build())
                .setPlan(Plan.newBuilder().setPlanId("p1").setPlanRuleValue(5).build())
                .setMandate(Mandate.newBuilder().setMaxAmount("100").setFrequency(Frequency.MONTHLY).setRuleValue(1)
                        .setAmountRule(AmountRule.VARIABLE).setRevokableByCustomer(true).setBlockFunds(false).build())
                .setMetadata(Map.of("k", "v"))
                .setUdf(Map.of())
                .build();
    }

    /** SubscriptionSignup's schema without {@code field}: an older version. */
    public static Schema signupWithout(String field) {
        ObjectNode schema = signupSchemaJson();
        ArrayNode fields = (ArrayNode) schema.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals(field)) {
                fields.remove(i);
                return new Schema.Parser().parse(schema.toString());
            }
        }
        throw new IllegalArgumentException("no field " + field);
    }

    /** SubscriptionSignup's schema plus an optional string field {@code field} (default null): a newer version. */
    public static Schema signupWithOptional(String field) {
        ObjectNode schema = signupSchemaJson();
        ObjectNode added = ((ArrayNode) schema.get("fields")).addObject();
        added.put("name", field);
        added.putArray("type").add("null").add("string");
        added.putNull("default");
        return new Schema.Parser().parse(schema.toString());
    }

    /** SubscriptionSignup's schema with {@code field}'s type replaced by {@code type} (no default). */
    public static Schema signupWithType(String field, String type) {
        ObjectNode schema = signupSchemaJson();
        for (var node : schema.get("fields")) {
            if (node.get("name").asText().equals(field)) {
                ((ObjectNode) node).put("type", type);
                ((ObjectNode) node).remove("default");
            }
        }
        return new Schema.Parser().parse(schema.toString());
    }

    /**
     * A generic record of {@code schema} holding {@link #signup()}'s values, overridden by {@code extra}; fields
     * SubscriptionSignup does not have are null unless given.
     */
    public static GenericRecord genericSignup(Schema schema, Map<String, Object> extra) {
        GenericRecord specific = signup();
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            if (extra.containsKey(field.name())) {
                record.put(field.name(), extra.get(field.name()));
            } else if (specific.getSchema().getField(field.name()) == null) {
                record.put(field.name(), null);
            } else {
                record.put(field.name(), GenericData.get().deepCopy(field.schema(), toGeneric(specific, field)));
            }
        }
        return record;
    }

    private static Object toGeneric(GenericRecord specific, Schema.Field field) {
        Object value = specific.get(field.name());
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof GenericRecord nested) {
            GenericData.Record copy = new GenericData.Record(field.schema());
            for (Schema.Field f : field.schema().getFields()) {
                Object v = nested.get(f.name());
                copy.put(f.name(), v instanceof Enum<?> e ? new GenericData.EnumSymbol(
                        f.schema().getTypes().get(1), e.name()) : v);
            }
            return copy;
        }
        return value;
    }

    private static ObjectNode signupSchemaJson() {
        try {
            return (ObjectNode) JSON.readTree(SubscriptionSignup.getClassSchema().toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
