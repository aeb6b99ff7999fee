package io.billingworker.serde;

import io.billingworker.serde.UndecodableRecordException.Reason;
import java.util.OptionalInt;

/** Confluent's wire format header: magic byte 0, then the schema id as a 4-byte big-endian int. */
public final class WireFormat {

    static final byte MAGIC_BYTE = 0x0;
    static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    /** The 5-byte header for {@code schemaId}. */
    static byte[] header(int schemaId) {
        return new byte[] {MAGIC_BYTE, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8),
            (byte) schemaId};
    }

    /** The schema id in {@code data}'s header; empty when {@code data} has no valid header. */
    public static OptionalInt schemaIdIn(byte[] data) {
        if (data == null || data.length < HEADER_LENGTH || data[0] != MAGIC_BYTE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(schemaId(data, "value"));
    }

    /**
     * The schema id in {@code data}'s header.
     *
     * @param part "key" or "value", for messages
     * @throws UndecodableRecordException when {@code data} has no valid header
     */
    static int schemaId(byte[] data, String part) {
        if (data == null) {
            throw new UndecodableRecordException(Reason.EMPTY,
                    "record " + part + " is null, expected Confluent Avro wire format");
        }
        if (data.length == 0) {
            throw new UndecodableRecordException(Reason.EMPTY,
                    "record " + part + " is empty, expected Confluent Avro wire format");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new UndecodableRecordException(Reason.BAD_MAGIC_BYTE,
                    String.format("unknown magic byte 0x%02x, expected 0x00", data[0] & 0xff));
        }
        if (data.length < HEADER_LENGTH) {
            throw new UndecodableRecordException(Reason.TOO_SHORT, "record " + part + " too short: " + data.length
                    + " bytes, expected at least 5 (magic byte and 4-byte schema id)");
        }
        return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    }
}
