package io.billingworker.serde;

import java.util.Objects;
import java.util.OptionalInt;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that can never be decoded as sent: not Confluent wire format, an unknown schema id, a payload that
 * does not match its schema, or a writer schema the reader cannot resolve. Permanent: retrying the same bytes gives
 * the same result, so the record belongs on the dead-letter topic.
 *
 * <p>Messages are bounded and name what was wrong; they never contain the payload's contents.
 */
public final class UndecodableRecordException extends SerializationException {

    /** Why the record could not be decoded; stable values for dead-letter headers and metrics tags. */
    public enum Reason {
        /** Null or zero-length value. */
        EMPTY,
        /** Shorter than the 5-byte header. */
        TOO_SHORT,
        /** First byte is not the Confluent magic byte 0. */
        BAD_MAGIC_BYTE,
        /** The schema id is not known to the registry, or names a schema that is not usable Avro. */
        UNKNOWN_SCHEMA,
        /** The Avro payload ends before the record does. */
        TRUNCATED,
        /** The Avro payload is not a valid encoding of its writer schema. */
        MALFORMED,
        /** The writer schema cannot be resolved against the reader schema. */
        INCOMPATIBLE_SCHEMA
    }

    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final int schemaId;

    UndecodableRecordException(Reason reason, String message) {
        this(reason, -1, message, null);
    }

    UndecodableRecordException(Reason reason, int schemaId, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.schemaId = schemaId;
    }

    /** Why the record could not be decoded. */
    public Reason reason() {
        return reason;
    }

    /** The schema id read from the record's header, when it got that far. */
    public OptionalInt schemaId() {
        return schemaId < 0 ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }
}
