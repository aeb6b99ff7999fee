package io.billingworker.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro records in Confluent's wire format (magic byte 0, 4-byte big-endian schema id, Avro
 * binary), byte for byte what Confluent's {@code KafkaAvroSerializer} writes for the same schema id. Accepts generated
 * {@link SpecificRecord}s and {@link org.apache.avro.generic.GenericRecord}s (any {@link GenericContainer});
 * {@code null} stays {@code null} (a tombstone).
 *
 * <p>Schema id, with Confluent's precedence and keys: {@code auto.register.schemas} (default true) registers the
 * record's schema under {@code <topic>-value} / {@code <topic>-key}; else {@code use.latest.version} writes with the
 * subject's latest version (a record of an older compatible schema is converted to it); else the record's schema must
 * already be registered under the subject.
 *
 * <p>Build it with {@link #ConfluentAvroSerializer()} and {@link #configure(Map, boolean)} (Kafka does this from
 * {@code value.serializer}), or hand it a registry client directly.
 */
public final class ConfluentAvroSerializer<T> implements Serializer<T> {

    /** Writers by schema and model identity; cleared when it grows past {@value #MAX_WRITERS} (schemas made per record). */
    private static final Map<WriterKey, DatumWriter<Object>> WRITERS = new ConcurrentHashMap<>();
    private static final int MAX_WRITERS = 1_000;
    private static final int MAX_SIZE_HINT = 64 * 1024;

    private final Clock clock;
    /** The largest record written so far, plus a margin: the initial size of the next record's buffer. */
    private volatile int sizeHint = 256;
    private final Map<String, CachedLatest> latestBySubject = new ConcurrentHashMap<>();
    private final SerdeRegistry registry;
    private boolean isKey;
    private boolean autoRegisterSchemas = true;
    private boolean useLatestVersion;
    private Optional<Duration> latestCacheTtl = Optional.empty();

    /** For Kafka, which calls {@link #configure(Map, boolean)} next. */
    public ConfluentAvroSerializer() {
        this.registry = SerdeRegistry.unconfigured("serializer");
        this.clock = Clock.systemUTC();
    }

    /** A value serializer that registers schemas in {@code registry} (Confluent's defaults). */
    public ConfluentAvroSerializer(SchemaRegistryClient registry) {
        this(registry, Map.of(), false);
    }

    /**
     * A serializer using {@code registry}, with the other settings read from {@code configs}
     * ({@code schema.registry.url} is not needed).
     */
    public ConfluentAvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this(registry, configs, isKey, Clock.systemUTC());
    }

    ConfluentAvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey, Clock clock) {
        this.registry = SerdeRegistry.handedIn("serializer", registry);
        this.clock = Objects.requireNonNull(clock, "clock");
        applySettings(new ConfluentAvroSerdeConfig(configs), isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        applySettings(registry.configure(configs), isKey);
    }

    private void applySettings(ConfluentAvroSerdeConfig config, boolean key) {
        this.isKey = key;
        this.autoRegisterSchemas = config.autoRegisterSchemas();
        this.useLatestVersion = config.useLatestVersion();
        this.latestCacheTtl = config.latestCacheTtl();
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        registry.requireConfigured();
        if (!(data instanceof GenericContainer container)) {
            throw new SerializationException("cannot serialize a " + data.getClass().getName()
                    + ": only Avro records (SpecificRecord, GenericRecord) are supported");
        }
        Schema schema = container.getSchema();
        String subject = topic + (isKey ? "-key" : "-value");
        Target target = target(subject, schema);
        // Sized like the largest record so far: no growing and copying on the way.
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        out.writeBytes(WireFormat.header(target.id()));
        try {
            if (target.schema().equals(schema)) {
                write(data, schema, modelOf(data), out);
            } else {
                write(convert(data, schema, target.schema()), target.schema(), GenericData.get(), out);
            }
            if (out.size() > sizeHint) {
                sizeHint = Math.min(out.size() + 64, MAX_SIZE_HINT);
            }
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot serialize a " + schema.getFullName() + " record for topic '"
                    + topic + "': it does not match its schema (" + e.getClass().getSimpleName() + ")", e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        registry.close();
    }

    /** The schema id to write and the schema to write the record with, by Confluent's precedence of settings. */
    private Target target(String subject, Schema schema) {
        if (autoRegisterSchemas) {
            return new Target(registry.client().register(subject, schema), schema);
        }
        if (!useLatestVersion) {
            return new Target(registry.client().getId(subject, schema), schema);
        }
        RegisteredSchema latest = cachedLatest(subject);
        if (!latest.schema().equals(schema)) {
            SchemaPairCompatibility result = SchemaResolution.check(latest.schema(), schema);
            if (!SchemaResolution.compatible(result)) {
                throw new SerializationException("latest version " + latest.version() + " of subject '" + subject
                        + "' (schema id " + latest.id() + ") cannot represent a " + schema.getFullName()
                        + " record of this schema: " + SchemaResolution.describe(result));
            }
        }
        return new Target(latest.id(), latest.schema());
    }

    private RegisteredSchema cachedLatest(String subject) {
        Instant now = clock.instant();
        CachedLatest cached = latestBySubject.get(subject);
        if (cached != null && cached.validAt(now)) {
            return cached.latest();
        }
        RegisteredSchema latest = registry.client().getLatest(subject);
        latestBySubject.put(subject, new CachedLatest(latest, latestCacheTtl.map(now::plus).orElse(Instant.MAX)));
        return latest;
    }

    private static GenericData modelOf(Object data) {
        return data instanceof SpecificRecord ? SpecificData.getForClass(data.getClass()) : GenericData.get();
    }

    private static void write(Object data, Schema schema, GenericData model, ByteArrayOutputStream out)
            throws IOException {
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer(schema, model).write(data, encoder);
        encoder.flush();
    }

    /**
     * A datum writer per schema and data model, made once: a writer holds no state between records, and making one
     * per record costs more than writing a small record.
     */
    private static DatumWriter<Object> writer(Schema schema, GenericData model) {
        if (WRITERS.size() > MAX_WRITERS) {
            WRITERS.clear();
        }
        return WRITERS.computeIfAbsent(new WriterKey(schema, model), key -> key.model() instanceof SpecificData specific
                ? new SpecificDatumWriter<>(key.schema(), specific)
                : new GenericDatumWriter<>(key.schema(), key.model()));
    }

    /** Schema and model by identity: the same schema object is used for every record of a type. */
    private record WriterKey(Schema schema, GenericData model) {
        @Override
        public boolean equals(Object other) {
            return other instanceof WriterKey key && key.schema == schema && key.model == model;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(schema) + System.identityHashCode(model);
        }
    }

    /** Re-expresses a record of {@code from} as a record of the compatible schema {@code to}, by Avro resolution. */
    private static Object convert(Object data, Schema from, Schema to) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        write(data, from, modelOf(data), buffer);
        return new GenericDatumReader<>(from, to, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(buffer.toByteArray(), null));
    }

    private record Target(int id, Schema schema) {
    }

    private record CachedLatest(RegisteredSchema latest, Instant expires) {
        boolean validAt(Instant now) {
            return now.isBefore(expires);
        }
    }
}
