package io.billingworker.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * An in-memory schema registry for tests and demos, behind {@code schema.registry.url=mock://<scope>} like
 * Confluent's {@code MockSchemaRegistry}: every serde configured with the same scope in this JVM shares one
 * registry. Ids are global and assigned from 1; the same schema text gets the same id under any subject.
 * New versions of a subject must be BACKWARD compatible with its latest version (Confluent's default rule).
 *
 * <p>The scope table is static because sharing by URL across separately configured Kafka serdes needs it (as in
 * Confluent's client); {@link #drop(String)} removes a scope. Prefer {@code new MockSchemaRegistry()} where the
 * instance can be passed around.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final List<Schema> schemasById = new ArrayList<>();
    // Serializers register on every record (auto.register.schemas); like the REST client, answer a schema already
    // registered under a subject from a cache keyed by the Schema (its hash is cached by Avro) instead of
    // rendering the schema's JSON text under the lock each time.
    private final Map<String, Map<Schema, Integer>> registeredBySubject = new ConcurrentHashMap<>();

    /** A registry of its own, shared with nobody. */
    public MockSchemaRegistry() {
        // state is per instance
    }

    /** The registry shared by everything in this JVM that uses {@code mock://<scope>}; created on first use. */
    public static MockSchemaRegistry forScope(String scope) {
        Objects.requireNonNull(scope, "scope");
        return SCOPES.computeIfAbsent(scope, s -> new MockSchemaRegistry());
    }

    /** Forgets the shared registry of {@code scope}; the next {@link #forScope(String)} starts empty. */
    public static void drop(String scope) {
        SCOPES.remove(Objects.requireNonNull(scope, "scope"));
    }

    @Override
    public int register(String subject, Schema schema) {
        requireArguments(subject, schema);
        Map<Schema, Integer> registered = registeredBySubject.get(subject);
        Integer known = registered == null ? null : registered.get(schema);
        if (known != null) {
            return known;
        }
        int id = registerOnce(subject, schema);
        registeredBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
        return id;
    }

    private synchronized int registerOnce(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer existing = idsBySchemaText.get(schema.toString());
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        if (!versions.isEmpty()) {
            requireBackwardCompatible(subject, schema, schemasById.get(versions.getLast() - 1));
        }
        int id = existing != null ? existing : newId(schema);
        versions.add(id);
        return id;
    }

    @Override
    public synchronized int getId(String subject, Schema schema) {
        requireArguments(subject, schema);
        Integer id = idsBySchemaText.get(schema.toString());
        if (id == null || !versionsBySubject.getOrDefault(subject, List.of()).contains(id)) {
            throw new SchemaNotFoundException("schema not registered under subject '" + subject + "'", -1, 40403);
        }
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        if (id < 1 || id > schemasById.size()) {
            throw new SchemaNotFoundException("schema id " + id + " not found in registry", -1, 40403);
        }
        return schemasById.get(id - 1);
    }

    @Override
    public synchronized RegisteredSchema getLatest(String subject) {
        Objects.requireNonNull(subject, "subject");
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            throw new SchemaNotFoundException("subject '" + subject + "' not found in registry", -1, 40401);
        }
        int id = versions.getLast();
        return new RegisteredSchema(subject, versions.size(), id, schemasById.get(id - 1));
    }

    private int newId(Schema schema) {
        schemasById.add(schema);
        int id = schemasById.size();
        idsBySchemaText.put(schema.toString(), id);
        return id;
    }

    private static void requireBackwardCompatible(String subject, Schema candidate, Schema latest) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            throw new IncompatibleSchemaException("schema is incompatible with the latest version of subject '"
                    + subject + "' (BACKWARD): " + SchemaResolution.describe(result), -1, 409);
        }
    }

    private static void requireArguments(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
