package io.billingworker.serde;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject in a schema registry.
 *
 * @param subject the subject, e.g. {@code subscription.signups-value}
 * @param version the version number within the subject, from 1
 * @param id the schema's global id, the one written into the Confluent wire format
 * @param schema the Avro schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {

    /** Checks the fields. */
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
