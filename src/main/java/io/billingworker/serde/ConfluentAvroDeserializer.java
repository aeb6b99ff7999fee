package io.billingworker.serde;

import io.billingworker.serde.UndecodableRecordException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for Confluent wire-format Avro (what Confluent's {@code KafkaAvroSerializer} writes). Looks the
 * writer schema up by the id in the record's header (cached) and resolves it against the reader schema, so records
 * written with an older or newer compatible schema version decode.
 *
 * <p>Reader: {@code GenericRecord} with the writer's own schema by default; with {@code specific.avro.reader=true} the
 * generated class named by {@code specific.avro.value.type} / {@code specific.avro.key.type}, else by the writer
 * schema's full name (as Confluent does); or the class passed to
 * {@link #ConfluentAvroDeserializer(SchemaRegistryClient, Class)}; or {@code GenericRecord}s of the reader schema passed
 * to {@link #ConfluentAvroDeserializer(SchemaRegistryClient, Schema)}.
 *
 * <p>Failures: {@link UndecodableRecordException} for anything wrong with the record (including a {@code null} or
 * empty value, where Confluent's deserializer returns {@code null}); {@link SchemaRegistryUnavailableException} when
 * the schema is not cached and the registry cannot be asked now.
 */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {

    private final Map<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();
    private final SerdeRegistry registry;
    private boolean isKey;
    private ReaderChoice readerChoice = ReaderChoice.generic();

    /** For Kafka, which calls {@link #configure(Map, boolean)} next. */
    public ConfluentAvroDeserializer() {
        this.registry = SerdeRegistry.unconfigured("deserializer");
    }

    /** A value deserializer returning {@link org.apache.avro.generic.GenericRecord}s. */
    public ConfluentAvroDeserializer(SchemaRegistryClient registry) {
        this.registry = SerdeRegistry.handedIn("deserializer", registry);
    }

    /** A value deserializer returning instances of the generated class {@code type}, read with its schema. */
    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
        this.registry = SerdeRegistry.handedIn("deserializer", registry);
        this.readerChoice = ReaderChoice.of(Objects.requireNonNull(type, "type"));
    }

    /**
     * A value deserializer returning {@link org.apache.avro.generic.GenericRecord}s of {@code readerSchema}, whatever
     * compatible version they were written with (fields it lacks are dropped, fields it adds take their defaults).
     */
    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
        this.registry = SerdeRegistry.handedIn("deserializer", registry);
        this.readerChoice = ReaderChoice.generic(Objects.requireNonNull(readerSchema, "readerSchema"));
    }

    /** A deserializer using {@code registry}, with the reader settings read from {@code configs}. */
    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this.registry = SerdeRegistry.handedIn("deserializer", registry);
        applySettings(new ConfluentAvroSerdeConfig(configs), isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        applySettings(registry.configure(configs), isKey);
    }

    private void applySettings(ConfluentAvroSerdeConfig config, boolean key) {
        this.isKey = key;
        if (!config.specificAvroReader()) {
            this.readerChoice = ReaderChoice.generic();
            return;
        }
        this.readerChoice = config.specificAvroType(key)
                .map(name -> ReaderChoice.of(loadRecordClass(name, key)))
                .orElseGet(ReaderChoice::byWriterName);
        readersBySchemaId.clear();
    }

    /**
     * Decodes one Confluent wire-format record.
     *
     * @param topic not used: the schema id in the record names the writer schema
     * @throws UndecodableRecordException when the record can never be decoded
     * @throws SchemaRegistryUnavailableException when the registry cannot be asked now; retry later
     */
    @Override
    public T deserialize(String topic, byte[] data) {
        registry.requireConfigured();
        int schemaId = WireFormat.schemaId(data, isKey ? "key" : "value");
        DatumReader<T> reader = readerFor(schemaId);
        BoundedDecoder decoder = new BoundedDecoder(data, WireFormat.HEADER_LENGTH);
        T value;
        try {
            value = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new UndecodableRecordException(Reason.TRUNCATED, schemaId,
                    "truncated Avro payload for schema id " + schemaId, e);
        } catch (IOException | RuntimeException e) {
            throw new UndecodableRecordException(Reason.MALFORMED, schemaId, "malformed Avro payload for schema id "
                    + schemaId + " (" + e.getClass().getSimpleName() + ")", e);
        }
        if (decoder.remaining() > 0) {
            throw new UndecodableRecordException(Reason.MALFORMED, schemaId, decoder.remaining()
                    + " unread bytes after the Avro record for schema id " + schemaId, null);
        }
        return value;
    }

    @Override
    public void close() {
        registry.close();
    }

    private DatumReader<T> readerFor(int schemaId) {
        DatumReader<T> cached = readersBySchemaId.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writer = writerSchema(schemaId);
        DatumReader<T> reader = readerChoice.readerFor(schemaId, writer);
        readersBySchemaId.putIfAbsent(schemaId, reader);
        return reader;
    }

    private Schema writerSchema(int schemaId) {
        if (schemaId < 0) {
            throw new UndecodableRecordException(Reason.UNKNOWN_SCHEMA, schemaId,
                    "schema id " + schemaId + " not found in registry", null);
        }
        try {
            return registry.client().getById(schemaId);
        } catch (SchemaNotFoundException e) {
            throw new UndecodableRecordException(Reason.UNKNOWN_SCHEMA, schemaId,
                    "schema id " + schemaId + " not found in registry", e);
        } catch (InvalidSchemaException e) {
            throw new UndecodableRecordException(Reason.UNKNOWN_SCHEMA, schemaId,
                    "schema id " + schemaId + " is not a usable Avro schema: " + Messages.bounded(e.getMessage(), 300), e);
        }
    }

    private static Class<?> loadRecordClass(String name, boolean isKey) {
        String key = isKey ? ConfluentAvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE : ConfluentAvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE;
        Class<?> type;
        try {
            type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, name, "class not found");
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new ConfigException(key, name, "not a generated Avro SpecificRecord class");
        }
        return type;
    }

    /** How the reader schema and data model are chosen for a writer schema. */
    private record ReaderChoice(Class<?> fixedType, boolean specific, Schema genericReader) {

        static ReaderChoice generic() {
            return new ReaderChoice(null, false, null);
        }

        static ReaderChoice generic(Schema readerSchema) {
            return new ReaderChoice(null, false, readerSchema);
        }

        static ReaderChoice byWriterName() {
            return new ReaderChoice(null, true, null);
        }

        static ReaderChoice of(Class<?> type) {
            if (!SpecificRecord.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(type.getName() + " is not a generated Avro SpecificRecord class");
            }
            return new ReaderChoice(type, true, null);
        }

        @SuppressWarnings("unchecked")
        <T> DatumReader<T> readerFor(int schemaId, Schema writer) {
            if (!specific) {
                Schema reader = genericReader != null ? requireResolvable(schemaId, genericReader, writer) : writer;
                return new GenericDatumReader<>(writer, reader, GenericData.get());
            }
            Class<?> type = fixedType != null ? fixedType : SpecificData.get().getClass(writer);
            if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
                throw new UndecodableRecordException(Reason.INCOMPATIBLE_SCHEMA, schemaId, "no generated class "
                        + writer.getFullName() + " for schema id " + schemaId + " on the classpath", null);
            }
            SpecificData model = SpecificData.getForClass(type);
            Schema reader = requireResolvable(schemaId, model.getSchema(type), writer);
            return (DatumReader<T>) new SpecificDatumReader<>(writer, reader, model);
        }

        private static Schema requireResolvable(int schemaId, Schema reader, Schema writer) {
            SchemaPairCompatibility result = SchemaResolution.check(reader, writer);
            if (!SchemaResolution.compatible(result)) {
                throw new UndecodableRecordException(Reason.INCOMPATIBLE_SCHEMA, schemaId, "schema id " + schemaId
                        + " (" + writer.getFullName() + ") cannot be read as " + reader.getFullName() + ": "
                        + SchemaResolution.describe(result), null);
            }
            return reader;
        }
    }
}
