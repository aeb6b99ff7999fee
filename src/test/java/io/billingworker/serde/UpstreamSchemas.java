package io.billingworker.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.avro.SubscriptionSignup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Copies of {@code avro/SubscriptionSignup.avsc} as upstream teams make them: their own namespace, renamed records
 * with aliases, fields added or left out, enums with more symbols. And generic records of such a copy holding a
 * signup's values, as an upstream publisher would build them.
 */
public final class UpstreamSchemas {

    /** The namespace of the upstream team's copies. */
    public static final String NAMESPACE = "com.acme.billing";

    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamSchemas() {
    }

    /** The contract file itself, as upstream teams copy it. */
    public static ObjectNode contract() {
        try {
            return (ObjectNode) JSON.readTree(Files.readString(Path.of("avro", "SubscriptionSignup.avsc")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The contract with the upstream namespace: its only difference, as in issue 15. */
    public static Schema otherNamespace() {
        return edited(schema -> {
        });
    }

    /**
     * The contract in the upstream namespace, edited by {@code edit} (on the JSON of the whole file); nested types
     * take the top-level namespace, as in the contract.
     */
    public static Schema edited(Consumer<ObjectNode> edit) {
        ObjectNode schema = contract();
        schema.put("namespace", NAMESPACE);
        edit.accept(schema);
        return new Schema.Parser().parse(schema.toString());
    }

    /** The field {@code path} (dotted, e.g. {@code customer.customer_id}) of the schema JSON. */
    public static ObjectNode field(ObjectNode schema, String path) {
        ObjectNode record = schema;
        String[] names = path.split("\\.");
        for (int i = 0; ; i++) {
            ObjectNode found = null;
            for (var node : record.get("fields")) {
                if (node.get("name").asText().equals(names[i])) {
                    found = (ObjectNode) node;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("no field " + path);
            }
            if (i == names.length - 1) {
                return found;
            }
            record = (ObjectNode) found.get("type");
        }
    }

    /** Removes the field {@code path}. */
    public static void remove(ObjectNode schema, String path) {
        int dot = path.lastIndexOf('.');
        ObjectNode record = dot < 0 ? schema : (ObjectNode) field(schema, path.substring(0, dot)).get("type");
        ArrayNode fields = (ArrayNode) record.get("fields");
        String name = path.substring(dot + 1);
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals(name)) {
                fields.remove(i);
                return;
            }
        }
        throw new IllegalArgumentException("no field " + path);
    }

    /**
     * A generic record of {@code writer} holding {@code signup}'s values, plus {@code extra} top-level values; a
     * field without a value of the right type is null unless {@code extra} gives one.
     */
    public static GenericRecord record(Schema writer, SubscriptionSignup signup, Map<String, Object> extra) {
        GenericRecord record = (GenericRecord) convert(signup, writer);
        extra.forEach(record::put);
        return record;
    }

    /**
     * {@code value} (of the generated classes) as a value of writer schema {@code writer}: fields by the writer
     * field's name or aliases, a writer field without a value takes its default (or null).
     */
    private static Object convert(Object value, Schema writer) {
        return switch (writer.getType()) {
            case UNION -> value == null ? null : convert(value, nonNullBranch(writer));
            case RECORD -> {
                GenericRecord source = (GenericRecord) value;
                GenericData.Record copy = new GenericData.Record(writer);
                for (Schema.Field field : writer.getFields()) {
                    Schema.Field from = sourceField(source.getSchema(), field);
                    copy.put(field.name(), from != null ? convert(source.get(from.name()), field.schema())
                            : field.hasDefaultValue() ? GenericData.get().getDefaultValue(field) : null);
                }
                yield copy;
            }
            case ENUM -> new GenericData.EnumSymbol(writer, value.toString());
            case MAP -> {
                Map<String, Object> map = new HashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put(k.toString(), convert(v, writer.getValueType())));
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                ((List<?>) value).forEach(item -> list.add(convert(item, writer.getElementType())));
                yield list;
            }
            case LONG -> value instanceof Instant instant ? instant.toEpochMilli()
                    : value instanceof Number number ? number.longValue() : null;
            case INT -> value instanceof Number number ? number.intValue() : null;
            default -> value;
        };
    }

    private static Schema.Field sourceField(Schema source, Schema.Field field) {
        if (source.getField(field.name()) != null) {
            return source.getField(field.name());
        }
        return field.aliases().stream().map(source::getField).filter(f -> f != null).findFirst().orElse(null);
    }

    private static Schema nonNullBranch(Schema union) {
        return union.getTypes().stream().filter(branch -> branch.getType() != Schema.Type.NULL).findFirst()
                .orElseThrow();
    }
}
