package io.billingworker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.serde.UndecodableRecordException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Every way a record can fail to decode, and the one way the registry can fail, with their exact messages. */
class ConfluentAvroDeserializerErrorTest {

    private static final HexFormat HEX = HexFormat.of();

    private final MockSchemaRegistry registry = new MockSchemaRegistry();
    private final ConfluentAvroDeserializer<SubscriptionSignup> deserializer =
            new ConfluentAvroDeserializer<>(registry, SubscriptionSignup.class);

    @Test
    void shouldRejectNullValue() {
        assertUndecodable(null, Reason.EMPTY, "record value is null, expected Confluent Avro wire format");
    }

    @Test
    void shouldRejectEmptyValue() {
        assertUndecodable(new byte[0], Reason.EMPTY, "record value is empty, expected Confluent Avro wire format");
    }

    @Test
    void shouldRejectUnknownMagicByteWithoutEchoingThePayload() {
        byte[] json = "{\"event_id\":\"secret-customer@example.com\"}".getBytes(StandardCharsets.UTF_8);

        assertUndecodable(json, Reason.BAD_MAGIC_BYTE, "unknown magic byte 0x7b, expected 0x00");
    }

    @Test
    void shouldRejectValueShorterThanTheHeader() {
        assertUndecodable(HEX.parseHex("000000"), Reason.TOO_SHORT,
                "record value too short: 3 bytes, expected at least 5 (magic byte and 4-byte schema id)");
    }

    @Test
    void shouldNameKeyWhenDeserializingKeys() {
        ConfluentAvroDeserializer<GenericRecord> keys = new ConfluentAvroDeserializer<>(registry, Map.of(), true);

        assertThatThrownBy(() -> keys.deserialize("t", new byte[0]))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("record key is empty, expected Confluent Avro wire format");
    }

    @Test
    void shouldRejectUnknownSchemaId() {
        assertUndecodable(HEX.parseHex("000000002a00"), Reason.UNKNOWN_SCHEMA, "schema id 42 not found in registry");
    }

    @Test
    void shouldRejectNegativeSchemaIdWithoutAskingTheRegistry() {
        assertUndecodable(HEX.parseHex("00ffffffff00"), Reason.UNKNOWN_SCHEMA, "schema id -1 not found in registry");
    }

    @Test
    void shouldRejectTruncatedPayload() {
        byte[] whole = serialized();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 3);

        UndecodableRecordException e = assertUndecodable(truncated, Reason.TRUNCATED,
                "truncated Avro payload for schema id 1");
        assertThat(e.schemaId()).hasValue(1);
    }

    @Test
    void shouldRejectHeaderWithoutPayload() {
        serialized();

        assertUndecodable(HEX.parseHex("0000000001"), Reason.TRUNCATED, "truncated Avro payload for schema id 1");
    }

    @Test
    void shouldRejectHugeLengthPrefixBeforeAllocatingIt() {
        serialized();
        // event_id length prefix: zig-zag varint of 1,000,000,000 with 4 bytes following
        byte[] garbage = HEX.parseHex("0000000001" + "80a8d6b907" + "61626364");

        assertUndecodable(garbage, Reason.TRUNCATED, "truncated Avro payload for schema id 1");
    }

    @Test
    void shouldRejectNegativeLengthPrefix() {
        serialized();

        assertUndecodable(HEX.parseHex("0000000001" + "03" + "61626364"), Reason.MALFORMED,
                "malformed Avro payload for schema id 1 (AvroRuntimeException)");
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] whole = serialized();
        byte[] longer = Arrays.copyOf(whole, whole.length + 2);

        assertUndecodable(longer, Reason.MALFORMED, "2 unread bytes after the Avro record for schema id 1");
    }

    @Test
    void shouldRejectBadUnionBranch() {
        registry.register("tiny-value", TestRecords.TINY);
        Schema union = new Schema.Parser().parse("""
                {"type": "record", "name": "U", "fields": [{"name": "u", "type": ["null", "string"]}]}""");
        int id = registry.register("u-value", union);
        ConfluentAvroDeserializer<GenericRecord> generic = new ConfluentAvroDeserializer<>(registry);
        byte[] badBranch = HEX.parseHex("00" + "%08x".formatted(id) + "0a");

        assertThatThrownBy(() -> generic.deserialize("u", badBranch))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("malformed Avro payload for schema id 2 (ArrayIndexOutOfBoundsException)");
    }

    @Test
    void shouldRejectWriterSchemaTheReaderCannotResolve() {
        Schema other = TestRecords.signupWithType("amount", "int");
        MockSchemaRegistry only = new MockSchemaRegistry();
        int id = only.register("signups-value", other);
        ConfluentAvroDeserializer<SubscriptionSignup> reader = new ConfluentAvroDeserializer<>(only, SubscriptionSignup.class);
        byte[] bytes = new ConfluentAvroSerializer<GenericRecord>(only)
                .serialize("signups", TestRecords.genericSignup(other, Map.of("amount", 1)));

        assertThatThrownBy(() -> reader.deserialize("signups", bytes))
                .isInstanceOfSatisfying(UndecodableRecordException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA);
                    assertThat(e.schemaId()).hasValue(id);
                })
                .hasMessage("schema id 1 (io.billingworker.avro.SubscriptionSignup) cannot be read as "
                        + "io.billingworker.avro.SubscriptionSignup: amount: the writer's int cannot be read as string");
    }

    @Test
    void shouldRejectRecordOfAnotherTypeForASpecificReaderWithABoundedMessage() {
        registry.register("tiny-value", TestRecords.TINY);

        assertThatThrownBy(() -> deserializer.deserialize("tiny", HEX.parseHex("00000000010461620" + "6")))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("schema id 1 (test.Tiny) cannot be read as io.billingworker.avro.SubscriptionSignup: "
                        + "fields event_id, occurred_at, subscription_id, amount, customer, plan, mandate are required "
                        + "(no default) and missing from the writer schema");
    }

    @Test
    void shouldRejectWriterSchemaWithoutGeneratedClassWhenReadingByWriterName() {
        registry.register("tiny-value", TestRecords.TINY);
        ConfluentAvroDeserializer<Object> byName =
                new ConfluentAvroDeserializer<>(registry, Map.of("specific.avro.reader", true), false);

        assertThatThrownBy(() -> byName.deserialize("tiny", HEX.parseHex("00000000010461620" + "6")))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("no generated class test.Tiny for schema id 1 on the classpath");
    }

    @Test
    void shouldReportUnreachableRegistryAsRetriableNotUndecodable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        RestSchemaRegistryClient unreachable = new RestSchemaRegistryClient(List.of(URI.create(url)), Optional.empty(),
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        ConfluentAvroDeserializer<SubscriptionSignup> reader =
                new ConfluentAvroDeserializer<>(unreachable, SubscriptionSignup.class);

        assertThatThrownBy(() -> reader.deserialize("signups", HEX.parseHex("00000000010000")))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .isNotInstanceOf(UndecodableRecordException.class)
                .hasMessage("schema registry unreachable while fetching schema id 1: " + url
                        + " connection failed (ConnectException)");
        unreachable.close();
    }

    @Test
    void shouldKeepDecodingCachedSchemasWhileTheRegistryIsDown() {
        SwitchableRegistry switchable = new SwitchableRegistry(registry);
        ConfluentAvroDeserializer<SubscriptionSignup> reader =
                new ConfluentAvroDeserializer<>(switchable, SubscriptionSignup.class);
        byte[] bytes = serialized();
        reader.deserialize("signups", bytes);
        int otherId = registry.register("other-value", TestRecords.signupWithout("gateway_id"));
        switchable.down = true;

        SubscriptionSignup cached = reader.deserialize("signups", bytes);

        assertThat(cached).isEqualTo(TestRecords.signup());
        assertThatThrownBy(() -> reader.deserialize("signups", HEX.parseHex("00" + "%08x".formatted(otherId) + "00")))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessage("registry down");
    }

    private byte[] serialized() {
        return new ConfluentAvroSerializer<SubscriptionSignup>(registry).serialize("signups", TestRecords.signup());
    }

    private UndecodableRecordException assertUndecodable(byte[] data, Reason reason, String message) {
        UndecodableRecordException e = assertThrows(
                UndecodableRecordException.class, () -> deserializer.deserialize("signups", data));
        assertThat(e).hasMessage(message);
        assertThat(e.reason()).isEqualTo(reason);
        return e;
    }

    /** Delegates to a registry until switched down, then fails like an unreachable one. */
    private static final class SwitchableRegistry implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        private volatile boolean down;

        SwitchableRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            check();
            return delegate.register(subject, schema);
        }

        @Override
        public int getId(String subject, Schema schema) {
            check();
            return delegate.getId(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            check();
            return delegate.getById(id);
        }

        @Override
        public RegisteredSchema getLatest(String subject) {
            check();
            return delegate.getLatest(subject);
        }

        private void check() {
            if (down) {
                throw new SchemaRegistryUnavailableException("registry down");
            }
        }
    }
}
