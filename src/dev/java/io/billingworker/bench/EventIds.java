package io.billingworker.bench;

import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.BillingSessionFailed;
import io.billingworker.avro.SubscriptionSignup;
import org.apache.avro.Schema;

/**
 * The benchmark's event ids, {@code b<batch>-<sequence>}, and reading them back out of outcome records without
 * decoding the whole record: every outcome value (created, failed, and the dead letter's copy of the signup) is
 * Confluent wire format whose Avro record starts with the {@code event_id} string. That layout is checked against
 * the generated schemas once, so a schema change fails loudly instead of miscounting.
 */
final class EventIds {

    private static final int WIRE_HEADER = 5;

    static {
        requireEventIdFirst(SubscriptionSignup.getClassSchema());
        requireEventIdFirst(BillingSessionCreated.getClassSchema());
        requireEventIdFirst(BillingSessionFailed.getClassSchema());
    }

    private EventIds() {
    }

    static String of(int batch, int sequence) {
        return "b" + batch + "-" + sequence;
    }

    /** The batch and sequence packed as {@code batch << 32 | sequence}, or -1 when the value is not ours. */
    static long parse(byte[] value) {
        if (value == null || value.length < WIRE_HEADER + 2 || value[0] != 0) {
            return -1;
        }
        int position = WIRE_HEADER;
        long zigzag = 0;
        int shift = 0;
        while (true) {
            if (position >= value.length || shift > 28) {
                return -1;
            }
            int b = value[position++] & 0xff;
            zigzag |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        long length = (zigzag >>> 1) ^ -(zigzag & 1);
        int end = position + (int) length;
        if (length < 3 || end > value.length || value[position] != 'b') {
            return -1;
        }
        position++;
        long batch = 0;
        while (position < end && value[position] != '-') {
            int digit = value[position++] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            batch = batch * 10 + digit;
        }
        if (position >= end - 1) {
            return -1;
        }
        position++;
        long sequence = 0;
        while (position < end) {
            int digit = value[position++] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            sequence = sequence * 10 + digit;
        }
        if (batch > Integer.MAX_VALUE || sequence > Integer.MAX_VALUE) {
            return -1;
        }
        return batch << 32 | sequence;
    }

    private static void requireEventIdFirst(Schema schema) {
        Schema.Field first = schema.getFields().getFirst();
        if (!first.name().equals("event_id") || first.schema().getType() != Schema.Type.STRING) {
            throw new IllegalStateException(schema.getFullName() + " no longer starts with the string event_id; "
                    + "the benchmark's outcome reader must be adapted");
        }
    }
}
