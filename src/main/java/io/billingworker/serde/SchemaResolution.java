package io.billingworker.serde;

import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Avro reader/writer schema resolution checks with bounded, readable descriptions. */
final class SchemaResolution {

    private static final int MAX_DESCRIPTION = 400;

    private SchemaResolution() {
    }

    /** Whether data written with {@code writer} can be read as {@code reader}. */
    static SchemaPairCompatibility check(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    }

    static boolean compatible(SchemaPairCompatibility result) {
        return result.getType() == SchemaCompatibilityType.COMPATIBLE;
    }

    /**
     * E.g. "TYPE_MISMATCH (reader type: INT not compatible with writer type: STRING) at /fields/0/type", several
     * joined by "; ".
     */
    static String describe(SchemaPairCompatibility result) {
        String text = result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " (" + i.getMessage() + ") at " + i.getLocation())
                .collect(Collectors.joining("; "));
        return Messages.bounded(text.isEmpty() ? result.getDescription() : text, MAX_DESCRIPTION);
    }
}
