package io.billingworker.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.SubscriptionSignup;
import java.util.HexFormat;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes of the Confluent wire format, written out by hand from the Avro specification (zig-zag varints,
 * length-prefixed UTF-8, union branch indexes, map blocks), so the serde stays byte-compatible with Confluent's.
 */
class ConfluentWireFormatGoldenTest {

    private static final HexFormat HEX = HexFormat.of();

    /**
     * SubscriptionSignup from {@link TestRecords#signup()}, schema id 7.
     */
    private static final String SIGNUP_HEX = String.join("",
            "00", "00000007",          // magic byte, schema id 7 big-endian
            "04" + "6531",             // event_id "e1": length 2 (zig-zag 4)
            "d00f",                    // occurred_at 1000 ms: zig-zag 2000 = varint d0 0f
            "00",                      // merchant_id: union branch 0 (null)
            "04" + "7331",             // subscription_id "s1"
            "02" + "04" + "6f31",      // order_id: branch 1 (string), "o1"
            "06" + "312e30",           // amount "1.0"
            "06" + "494e52",           // currency "INR"
            "04" + "6331",             // customer.customer_id "c1"
            "00",                      // customer.email null
            "02" + "02" + "39",        // customer.phone "9"
            "00", "00", "00",          // mobile_country_code, first_name, last_name null
            "04" + "7031",             // plan.plan_id "p1"
            "00",                      // plan.plan_amount null
            "02" + "0a",               // plan.plan_rule_value 5
            "06" + "313030",           // mandate.max_amount "100"
            "02" + "08",               // mandate.frequency: branch 1, MONTHLY = symbol 4
            "02" + "02",               // mandate.rule_value 1
            "02" + "02",               // mandate.amount_rule: branch 1, VARIABLE = symbol 1
            "00", "00",                // mandate.start_date, end_date null
            "02" + "01",               // mandate.revokable_by_customer true
            "02" + "00",               // mandate.block_funds false
            "00", "00", "00",          // return_url, description, gateway_id null
            "02" + "026b" + "0276" + "00", // metadata: block of 1 entry, "k" -> "v", end of map
            "00");                     // udf: empty map

    @Test
    void shouldWriteTinyRecordWithMagicByteSchemaIdAndAvroBinary() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        ConfluentAvroSerializer<GenericRecord> serializer = new ConfluentAvroSerializer<>(registry);

        byte[] bytes = serializer.serialize("tiny", TestRecords.tiny("ab", 3));

        // magic 00, schema id 1, name: length 2 (zig-zag 04) "ab", count 3 (zig-zag 06)
        assertThat(HEX.formatHex(bytes)).isEqualTo("00" + "00000001" + "04" + "6162" + "06");
    }

    @Test
    void shouldWriteSchemaIdBigEndian() {
        ConfluentAvroSerializer<GenericRecord> serializer =
                new ConfluentAvroSerializer<>(new FixedIdRegistry(0x01020304, TestRecords.TINY));

        byte[] bytes = serializer.serialize("tiny", TestRecords.tiny("", -1));

        // empty string: length 0; -1 zig-zags to 1
        assertThat(HEX.formatHex(bytes)).isEqualTo("00" + "01020304" + "00" + "01");
    }

    @Test
    void shouldWriteSubscriptionSignupExactly() {
        ConfluentAvroSerializer<SubscriptionSignup> serializer =
                new ConfluentAvroSerializer<>(new FixedIdRegistry(7, SubscriptionSignup.getClassSchema()));

        byte[] bytes = serializer.serialize("subscription.signups", TestRecords.signup());

        assertThat(HEX.formatHex(bytes)).isEqualTo(SIGNUP_HEX);
    }

    @Test
    void shouldReadHandWrittenSubscriptionSignupBytes() {
        ConfluentAvroDeserializer<SubscriptionSignup> deserializer = new ConfluentAvroDeserializer<>(
                new FixedIdRegistry(7, SubscriptionSignup.getClassSchema()), SubscriptionSignup.class);

        SubscriptionSignup signup = deserializer.deserialize("subscription.signups", HEX.parseHex(SIGNUP_HEX));

        assertThat(signup).isEqualTo(TestRecords.signup());
    }

    @Test
    void shouldReadHandWrittenTinyBytesAsGenericRecord() {
        ConfluentAvroDeserializer<GenericRecord> deserializer =
                new ConfluentAvroDeserializer<>(new FixedIdRegistry(1, TestRecords.TINY));

        GenericRecord record = deserializer.deserialize("tiny", HEX.parseHex("00000000010461620" + "6"));

        assertThat(record.get("name")).hasToString("ab");
        assertThat(record.get("count")).isEqualTo(3);
    }
}
