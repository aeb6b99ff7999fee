package io.billingworker.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent schema registry API the Avro serde needs. Implementations cache what never changes
 * (a schema's id under a subject, the schema behind an id) so a warm serde makes no registry calls.
 *
 * <p>Every method throws {@link SchemaRegistryUnavailableException} when the registry cannot answer now, and a
 * {@link SchemaRegistryException} (or subclass) when it answers with a refusal.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} (a no-op returning the existing id when it is already there).
     *
     * @return the schema's global id
     * @throws IncompatibleSchemaException when the subject's compatibility rule refuses it
     * @throws InvalidSchemaException when the registry refuses it as invalid
     */
    int register(String subject, Schema schema);

    /**
     * Looks up the id of a schema already registered under {@code subject}, without registering it.
     *
     * @throws SchemaNotFoundException when the subject does not hold this schema
     */
    int getId(String subject, Schema schema);

    /**
     * The schema with global id {@code id}.
     *
     * @throws SchemaNotFoundException when the registry has no schema with that id
     * @throws InvalidSchemaException when the id names a schema that is not usable Avro
     */
    Schema getById(int id);

    /**
     * The latest version registered under {@code subject}. Not cached: a new version may appear at any time.
     *
     * @throws SchemaNotFoundException when the subject has no versions
     */
    RegisteredSchema getLatest(String subject);

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }
}
