package io.billingworker.serde;

import io.billingworker.serde.UndecodableRecordException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
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
 * <p>A given reader schema (a configured or handed-in class, or a reader schema) reads any compatible writer schema
 * whatever namespace and record names the writer chose ({@link WriterSchemaMatch}; docs/publishing.md). Each schema
 * id is resolved once and kept, an unresolvable one too: its records fail with {@code INCOMPATIBLE_SCHEMA} naming
 * the fields, as does a record carrying an enum symbol the reader's enum lacks.
 *
 * <p>Failures: {@link UndecodableRecordException} for anything wrong with the record (including a {@code null} or
 * empty value, where Confluent's deserializer returns {@code null}); {@link SchemaRegistryUnavailableException} when
 * the schema is not cached and the registry cannot be asked now.
 */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {

    private static final int MAX_PROBLEMS = 400;
    /** How Avro's resolving decoder words a writer enum symbol the reader lacks. */
    private static final String NO_MATCH_FOR = "No match for ";

    private final Map<Integer, Decoding<T>> decodingsBySchemaId = new ConcurrentHashMap<>();
    /** Schema ids being resolved now, by the record that resolves them. */
    private final SingleFlight<Integer, Decoding<T>> resolving = new SingleFlight<>();
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
        decodingsBySchemaId.clear();
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
        Decoding<T> decoding = decodingFor(schemaId);
        BoundedDecoder decoder = new BoundedDecoder(data, WireFormat.HEADER_LENGTH);
        T value;
        try {
            value = decoding.reader().read(null, decoder);
        } catch (EOFException e) {
            throw new UndecodableRecordException(Reason.TRUNCATED, schemaId,
                    "truncated Avro payload for schema id " + schemaId, e);
        } catch (AvroTypeException e) {
            throw decoding.unknownSymbol(schemaId, e).orElseGet(() -> malformed(schemaId, e));
        } catch (IOException | RuntimeException e) {
            throw malformed(schemaId, e);
        }
        if (decoder.remaining() > 0) {
            throw new UndecodableRecordException(Reason.MALFORMED, schemaId, decoder.remaining()
                    + " unread bytes after the Avro record for schema id " + schemaId, null);
        }
        return value;
    }

    private static UndecodableRecordException malformed(int schemaId, Exception e) {
        return new UndecodableRecordException(Reason.MALFORMED, schemaId, "malformed Avro payload for schema id "
                + schemaId + " (" + e.getClass().getSimpleName() + ")", e);
    }

    @Override
    public void close() {
        registry.close();
    }

    /**
     * How records of {@code schemaId} are read: resolved once per schema id and kept, an unresolvable writer schema
     * too (its failure is thrown again for each record, without asking the registry again).
     */
    private Decoding<T> decodingFor(int schemaId) {
        Decoding<T> cached = decodingsBySchemaId.get(schemaId);
        if (cached == null) {
            cached = resolveOnce(schemaId);
        }
        if (cached.reader() == null) {
            throw new UndecodableRecordException(cached.failure(), schemaId, cached.failureMessage(), null);
        }
        return cached;
    }

    /**
     * Resolves a schema id not yet known. Records of a new schema id arrive together (a worker starting on a backlog
     * has hundreds at once): one of them resolves it, the others wait for that answer, or its failure.
     */
    private Decoding<T> resolveOnce(int schemaId) {
        return resolving.run(schemaId, () -> {
            Decoding<T> known = decodingsBySchemaId.get(schemaId);
            if (known != null) {
                return known;
            }
            Schema writer = writerSchema(schemaId);
            Decoding<T> resolved;
            try {
                resolved = readerChoice.decodingFor(schemaId, writer);
            } catch (UndecodableRecordException e) {
                resolved = new Decoding<>(null, null, e.reason(), e.getMessage());
            }
            return Objects.requireNonNullElse(decodingsBySchemaId.putIfAbsent(schemaId, resolved), resolved);
        });
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
        <T> Decoding<T> decodingFor(int schemaId, Schema writer) {
            if (!specific) {
                if (genericReader == null) {
                    return new Decoding<>(new GenericDatumReader<>(writer, writer, GenericData.get()), null, null,
                            null);
                }
                WriterSchemaMatch match = requireResolvable(schemaId, genericReader, writer);
                return new Decoding<>(new GenericDatumReader<>(writer, match.reader(), GenericData.get()), match,
                        null, null);
            }
            Class<?> type = fixedType != null ? fixedType : SpecificData.get().getClass(writer);
            if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
                throw new UndecodableRecordException(Reason.INCOMPATIBLE_SCHEMA, schemaId, "no generated class "
                        + writer.getFullName() + " for schema id " + schemaId + " on the classpath", null);
            }
            SpecificData model = SpecificData.getForClass(type);
            WriterSchemaMatch match = requireResolvable(schemaId, model.getSchema(type), writer);
            return new Decoding<>((DatumReader<T>) new SpecificDatumReader<>(writer, match.reader(), model), match,
                    null, null);
        }

        /** The reader schema matched to the writer's, whatever the writer's names (docs/publishing.md). */
        private static WriterSchemaMatch requireResolvable(int schemaId, Schema reader, Schema writer) {
            WriterSchemaMatch match = WriterSchemaMatch.of(reader, writer);
            if (!match.resolvable()) {
                throw new UndecodableRecordException(Reason.INCOMPATIBLE_SCHEMA, schemaId, "schema id " + schemaId
                        + " (" + writer.getFullName() + ") cannot be read as " + reader.getFullName() + ": "
                        + Messages.bounded(match.problems(), MAX_PROBLEMS), null);
            }
            return match;
        }
    }

    /**
     * How one writer schema id is read: its reader and its match, or why it cannot be read ({@code reader} null).
     */
    private record Decoding<T>(DatumReader<T> reader, WriterSchemaMatch match, Reason failure, String failureMessage) {

        /** When {@code e} is Avro meeting a writer enum symbol the reader's enum lacks: the record's failure. */
        Optional<UndecodableRecordException> unknownSymbol(int schemaId, AvroTypeException e) {
            String message = String.valueOf(e.getMessage());
            if (match == null || !match.hasUnknownSymbols() || !message.startsWith(NO_MATCH_FOR)) {
                return Optional.empty();
            }
            String symbol = message.substring(NO_MATCH_FOR.length()).strip();
            List<String> fields = match.unknownSymbolFields(symbol);
            if (fields.isEmpty()) {
                return Optional.empty();
            }
            String where = fields.size() == 1 ? fields.getFirst() : "one of " + String.join(", ", fields);
            return Optional.of(new UndecodableRecordException(Reason.INCOMPATIBLE_SCHEMA, schemaId, "schema id "
                    + schemaId + ": " + Messages.bounded(where, MAX_PROBLEMS) + " has symbol "
                    + Messages.bounded(symbol, 100) + ", which the worker's enum does not have", e));
        }
    }
}
