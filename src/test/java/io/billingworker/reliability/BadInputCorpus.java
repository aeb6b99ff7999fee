package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.Frequency;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.simulator.ReceivedRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The hostile and broken inputs of the reliability issue, each with the one outcome it must end as: undecodable
 * bytes and tombstones as dead letters with a specific reason, every rule of docs/contract.md, "Validation rules", broken once as an
 * INVALID_EVENT failure naming the field and rule code, and strings meant to break JSON or HTTP as created sessions
 * whose request carried them JSON-escaped (or left them out with a warning).
 *
 * <p>Record key and subscription id are the case id; order ids are {@code c<NN>} by position, so each case's
 * outcome and request can be found.
 */
final class BadInputCorpus {

    /** What a case publishes. */
    record Published(String key, byte[] value, List<Header> headers) {
    }

    /** Serializing helpers against the real registry. */
    interface Tools {
        /** Confluent wire format of {@code signup} for the input topic. */
        byte[] serialize(SubscriptionSignup signup);

        /** Confluent wire format of {@code record}, registered under {@code <subjectTopic>-value}. */
        byte[] serializeForeign(String subjectTopic, GenericContainer record);
    }

    @FunctionalInterface
    interface Input {
        Published build(Tools tools, String key, String orderId);
    }

    /** The outcome a case must end as. */
    sealed interface Expected {
    }

    /** The original record on the dead-letter topic with {@code dlt.reason}, its message holding {@code messagePart}. */
    record DeadLetter(DeadLetterReason reason, String messagePart, Map<String, String> headers) implements Expected {
    }

    /** A BillingSessionFailed INVALID_EVENT listing exactly these {@code field:CODE} pairs, nothing sent. */
    record Invalid(List<String> fieldCodes) implements Expected {
    }

    /** A BillingSessionFailed API_REJECTED with Juspay's error code. */
    record Rejected(int httpStatus, String errorCode) implements Expected {
    }

    /**
     * A created session whose warnings name exactly these fields (left out), and whose one request passes
     * {@code request}.
     */
    record Created(List<String> warnedFields, BiConsumer<ReceivedRequest, String> request) implements Expected {
    }

    record Case(String id, Input input, Expected expected) {
        @Override
        public String toString() {
            return id;
        }
    }

    static final String HOSTILE_TEXT = "He said \"pay\" \\ C:\\path\r\nX-Injected: 1\n\t</script>${jndi:ldap://x/a}\u0000"
            + "'; DROP TABLE orders;--";
    static final String JSON_BREAKER = "\",\"amount\":\"99999\",\"x\":\"";
    static final String UNICODE_TEXT = "सदस्यता 🙂 \u202Eevil\u202C zero\u200Dwidth e\u0301 \uFEFF日本語";
    static final String REJECT_CODE = "invalid_request";

    private BadInputCorpus() {
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // ---- bytes that are not a signup
        cases.add(raw("tombstone", (tools, valid) -> null,
                dead(DeadLetterReason.EMPTY_VALUE, "the record has no value (tombstone)")));
        cases.add(raw("empty-value", (tools, valid) -> new byte[0],
                dead(DeadLetterReason.EMPTY_VALUE, "the record's value is empty")));
        cases.add(raw("json-text", (tools, valid) -> "{\"event_id\":\"e1\"}".getBytes(StandardCharsets.UTF_8),
                dead(DeadLetterReason.UNDECODABLE, "unknown magic byte 0x7b, expected 0x00")));
        cases.add(raw("wrong-magic-byte", (tools, valid) -> withByte(valid, 0, (byte) 1),
                dead(DeadLetterReason.UNDECODABLE, "unknown magic byte 0x01, expected 0x00")));
        cases.add(raw("too-short", (tools, valid) -> new byte[] {0, 0, 0},
                dead(DeadLetterReason.UNDECODABLE, "record value too short: 3 bytes")));
        cases.add(raw("unknown-schema-id", (tools, valid) -> withSchemaId(valid, 0x7ffffff0),
                dead(DeadLetterReason.UNKNOWN_SCHEMA, "schema id 2147483632 not found in registry")));
        cases.add(raw("truncated-avro", (tools, valid) -> Arrays.copyOf(valid, valid.length / 2),
                dead(DeadLetterReason.UNDECODABLE, "truncated Avro payload for schema id")));
        cases.add(raw("trailing-bytes", (tools, valid) -> concat(valid, new byte[] {1, 2, 3}),
                dead(DeadLetterReason.UNDECODABLE, "3 unread bytes after the Avro record")));
        cases.add(raw("garbage-after-header", (tools, valid) -> concat(Arrays.copyOf(valid, 5), garbage(200)),
                dead(DeadLetterReason.UNDECODABLE, "")));
        cases.add(raw("huge-length-prefix", (tools, valid) -> concat(Arrays.copyOf(valid, 5), varint(Integer.MAX_VALUE)),
                dead(DeadLetterReason.UNDECODABLE, "truncated Avro payload for schema id")));
        cases.add(raw("other-schema", (tools, valid) -> tools.serializeForeign("corpus-created", createdRecord()),
                dead(DeadLetterReason.SCHEMA_INCOMPATIBLE, "(io.billingworker.avro.BillingSessionCreated) cannot be "
                        + "read as io.billingworker.avro.SubscriptionSignup: fields occurred_at, amount, customer, "
                        + "plan, mandate are required (no default) and missing from the writer schema")));
        cases.add(raw("unknown-record-type", (tools, valid) -> tools.serializeForeign("corpus-evil", evilRecord()),
                dead(DeadLetterReason.SCHEMA_INCOMPATIBLE, "(com.example.Evil) cannot be read as "
                        + "io.billingworker.avro.SubscriptionSignup: fields event_id, occurred_at, subscription_id, "
                        + "amount, customer, plan, mandate are required (no default) and missing from the writer schema")));
        cases.add(new Case("replayed-garbage", (tools, key, orderId) -> new Published(key, garbage(40), List.of(
                header("trace-id", "t-1"), header("dlt.reason", "RETRIES_EXHAUSTED"), header("dlt.replay.count", "2"))),
                new DeadLetter(DeadLetterReason.UNDECODABLE, "unknown magic byte",
                        Map.of("trace-id", "t-1", "dlt.replay.count", "2"))));

        // ---- every rule of docs/contract.md, "Validation rules", broken once
        cases.add(invalid("event-id-empty", s -> s.setEventId(""), "event_id:REQUIRED"));
        cases.add(invalid("subscription-id-empty", s -> s.setSubscriptionId(""), "subscription_id:REQUIRED"));
        cases.add(invalid("customer-id-too-long", s -> s.getCustomer().setCustomerId("c".repeat(129)),
                "customer.customer_id:TOO_LONG"));
        cases.add(invalid("plan-id-empty", s -> s.getPlan().setPlanId(""), "plan.plan_id:REQUIRED"));
        cases.add(invalid("amount-empty", s -> s.setAmount(""), "amount:REQUIRED"));
        cases.add(invalid("max-amount-empty", s -> s.getMandate().setMaxAmount(""), "mandate.max_amount:REQUIRED"));
        cases.add(invalid("order-id-21-chars", s -> s.setOrderId("o".repeat(21)), "order_id:TOO_LONG"));
        cases.add(invalid("order-id-bad-chars", s -> s.setOrderId("o#1"), "order_id:BAD_FORMAT"));
        cases.add(invalid("order-id-crlf", s -> s.setOrderId("o1\r\nX-A: 1"), "order_id:BAD_FORMAT"));
        cases.add(invalid("amount-0", s -> s.setAmount("0"), "amount:OUT_OF_RANGE"));
        cases.add(invalid("amount-minus-1", s -> s.setAmount("-1"), "amount:BAD_FORMAT"));
        cases.add(invalid("amount-1.001", s -> s.setAmount("1.001"), "amount:BAD_FORMAT"));
        cases.add(invalid("amount-1e3", s -> s.setAmount("1e3"), "amount:BAD_FORMAT"));
        cases.add(invalid("amount-leading-space", s -> s.setAmount(" 1"), "amount:BAD_FORMAT"));
        cases.add(invalid("amount-NaN", s -> s.setAmount("NaN"), "amount:BAD_FORMAT"));
        cases.add(invalid("amount-fullwidth-digits", s -> s.setAmount("１００"), "amount:BAD_FORMAT"));
        cases.add(invalid("amount-0.99-inr", s -> s.setAmount("0.99"), "amount:OUT_OF_RANGE"));
        cases.add(invalid("plan-amount-1e2", s -> s.getPlan().setPlanAmount("1e2"), "plan.plan_amount:BAD_FORMAT"));
        cases.add(invalid("max-below-plan-amount", s -> {
            s.getPlan().setPlanAmount("20");
            s.getMandate().setMaxAmount("10");
        }, "mandate.max_amount:OUT_OF_RANGE"));
        cases.add(invalid("currency-lower-case", s -> s.setCurrency("inr"), "currency:BAD_FORMAT"));
        cases.add(invalid("monthly-without-rule-value", s -> s.getMandate().setFrequency(Frequency.MONTHLY),
                "mandate.rule_value:REQUIRED"));
        cases.add(invalid("weekly-rule-value-8", s -> {
            s.getMandate().setFrequency(Frequency.WEEKLY);
            s.getMandate().setRuleValue(8);
        }, "mandate.rule_value:OUT_OF_RANGE"));
        cases.add(invalid("daily-with-rule-value", s -> {
            s.getMandate().setFrequency(Frequency.DAILY);
            s.getMandate().setRuleValue(1);
        }, "mandate.rule_value:NOT_ALLOWED"));
        cases.add(invalid("plan-rule-value-32", s -> s.getPlan().setPlanRuleValue(32), "plan.plan_rule_value:OUT_OF_RANGE"));
        cases.add(invalid("end-before-start", s -> {
            long now = Instant.now().getEpochSecond();
            s.getMandate().setStartDate(now);
            s.getMandate().setEndDate(now - 60);
        }, "mandate.end_date:OUT_OF_RANGE"));
        cases.add(invalid("onetime-over-90-days", s -> {
            s.getMandate().setFrequency(Frequency.ONETIME);
            s.getMandate().setEndDate(Instant.now().plus(Duration.ofDays(100)).getEpochSecond());
        }, "mandate.end_date:OUT_OF_RANGE"));
        cases.add(invalid("email-too-long", s -> s.getCustomer().setEmail("a".repeat(290) + "@example.com"),
                "customer.email:TOO_LONG"));
        cases.add(invalid("email-leading-dot", s -> s.getCustomer().setEmail(".asha@example.com"),
                "customer.email:BAD_FORMAT"));
        cases.add(invalid("email-with-quotes", s -> s.getCustomer().setEmail("\"a\\\"b\"@example.com"),
                "customer.email:BAD_FORMAT"));
        cases.add(invalid("phone-with-country-prefix", s -> s.getCustomer().setPhone("+919876543210"),
                "customer.phone:BAD_FORMAT"));
        cases.add(invalid("country-code-with-plus", s -> s.getCustomer().setMobileCountryCode("+91"),
                "customer.mobile_country_code:BAD_FORMAT"));
        cases.add(invalid("return-url-http", s -> s.setReturnUrl("http://shop.example.com"), "return_url:BAD_FORMAT"));
        cases.add(invalid("return-url-query", s -> s.setReturnUrl("https://shop.example.com/r?a=b"),
                "return_url:NOT_ALLOWED"));
        cases.add(invalid("return-url-ip", s -> s.setReturnUrl("https://10.0.0.1/r"), "return_url:NOT_ALLOWED"));
        cases.add(invalid("return-url-256-chars", s -> s.setReturnUrl("https://shop.example.com/" + "p".repeat(231)),
                "return_url:TOO_LONG"));
        cases.add(invalid("udf1-punctuation", s -> s.getUdf().put("udf1", "a!b"), "udf.udf1:BAD_FORMAT"));
        cases.add(invalid("udf11-unknown", s -> s.getUdf().put("udf11", "x"), "udf.udf11:NOT_ALLOWED"));
        cases.add(invalid("udf7-256-chars", s -> s.getUdf().put("udf7", "u".repeat(256)), "udf.udf7:TOO_LONG"));
        cases.add(invalid("metadata-empty-key", s -> s.getMetadata().put("", "v"), "metadata:BAD_FORMAT"));
        cases.add(invalid("merchant-id-header-injection", s -> s.setMerchantId("m_test\r\nX-Evil: 1"),
                "merchant_id:UNKNOWN_MERCHANT"));
        cases.add(invalid("customer-id-header-injection", s -> s.getCustomer().setCustomerId("cust\r\nX-Injected: 1"),
                "customer.customer_id:CONTROL_CHARACTER"));
        cases.add(invalid("customer-id-not-ascii", s -> s.getCustomer().setCustomerId("ग्राहक🙂"),
                "customer.customer_id:BAD_FORMAT"));
        cases.add(invalid("customer-id-line-separator", s -> s.getCustomer().setCustomerId("cust\u2028X-A: 1"),
                "customer.customer_id:BAD_FORMAT"));
        cases.add(invalid("several-rules-at-once", s -> {
            s.setAmount("1e3");
            s.setCurrency("inr");
            s.getCustomer().setEmail(".x@example.com");
        }, "amount:BAD_FORMAT", "currency:BAD_FORMAT", "customer.email:BAD_FORMAT"));

        // ---- strings meant to break JSON or HTTP: sent escaped, or left out with a warning
        cases.add(created("description-hostile", s -> s.setDescription(HOSTILE_TEXT), List.of(),
                (request, orderId) -> assertThat(request.body().path("description").asText()).isEqualTo(HOSTILE_TEXT)));
        cases.add(created("udf6-json-breaker", s -> s.getUdf().put("udf6", JSON_BREAKER), List.of(),
                (request, orderId) -> {
                    assertThat(request.body().path("udf6").asText()).isEqualTo(JSON_BREAKER);
                    assertThat(request.body().path("amount").asText()).isEqualTo("1.0");
                    assertThat(request.body().has("x")).isFalse();
                }));
        cases.add(created("metadata-hostile-key", s -> s.getMetadata().put("k\"ey\\\n", "v\"\r\n"), List.of(),
                (request, orderId) -> assertThat(request.body().path("metadata.k\"ey\\\n").asText()).isEqualTo("v\"\r\n")));
        cases.add(created("unicode-description", s -> s.setDescription(UNICODE_TEXT), List.of(),
                (request, orderId) -> assertThat(request.body().path("description").asText()).isEqualTo(UNICODE_TEXT)));
        cases.add(created("names-outside-rules", s -> {
            s.getCustomer().setFirstName("Jo\"hn");
            s.getCustomer().setLastName("O'Brien\r\nX-A: 1");
        }, List.of("customer.first_name", "customer.last_name"), (request, orderId) -> {
            assertThat(request.body().has("first_name")).isFalse();
            assertThat(request.body().has("last_name")).isFalse();
        }));
        cases.add(created("enormous-description", s -> s.setDescription("d".repeat(400_000)), List.of("description"),
                (request, orderId) -> assertThat(request.body().has("description")).isFalse()));
        cases.add(created("start-date-not-today", s -> {
            s.getMandate().setStartDate(Instant.now().minus(Duration.ofDays(3)).getEpochSecond());
        }, List.of("mandate.start_date"), (request, orderId) -> assertThat(request.body().has("mandate.start_date")).isFalse()));
        cases.add(created("guest-checkout", s -> s.getCustomer().setCustomerId(""), List.of(),
                (request, orderId) -> assertThat(request.header("x-routing-id")).contains(orderId)));
        cases.add(created("event-id-with-crlf", s -> s.setEventId("evt\r\nX-A: 1"), List.of(),
                (request, orderId) -> assertThat(request.body().path("order_id").asText()).isEqualTo(orderId)));

        // ---- answers of the API to what was sent
        cases.add(new Case("api-rejects-400", signupInput(s -> { }), new Rejected(400, REJECT_CODE)));
        cases.add(new Case("api-401", signupInput(s -> { }),
                new DeadLetter(DeadLetterReason.AUTH_FAILED, "", Map.of("dlt.http.status", "401"))));
        cases.add(new Case("api-always-503", signupInput(s -> { }),
                new DeadLetter(DeadLetterReason.RETRIES_EXHAUSTED, "", Map.of("dlt.http.status", "503"))));
        return List.copyOf(cases);
    }

    /** The order id of the case at {@code index}. */
    static String orderId(int index) {
        return String.format("c%02d", index);
    }

    private static Case raw(String id, RawBytes bytes, Expected expected) {
        return new Case(id, (tools, key, orderId) -> new Published(key,
                bytes.bytes(tools, tools.serialize(CorpusSignups.valid(key, orderId))), List.of()), expected);
    }

    private static Case invalid(String id, Consumer<SubscriptionSignup> breakIt, String... fieldCodes) {
        return new Case(id, signupInput(breakIt), new Invalid(List.of(fieldCodes)));
    }

    private static Case created(String id, Consumer<SubscriptionSignup> change, List<String> warnedFields,
            BiConsumer<ReceivedRequest, String> request) {
        return new Case(id, signupInput(change), new Created(warnedFields, request));
    }

    private static Input signupInput(Consumer<SubscriptionSignup> change) {
        return (tools, key, orderId) -> {
            SubscriptionSignup signup = CorpusSignups.valid(key, orderId);
            change.accept(signup);
            return new Published(key, tools.serialize(signup), List.of());
        };
    }

    private static DeadLetter dead(DeadLetterReason reason, String messagePart) {
        return new DeadLetter(reason, messagePart, Map.of());
    }

    @FunctionalInterface
    private interface RawBytes {
        byte[] bytes(Tools tools, byte[] validSignup);
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] withByte(byte[] bytes, int index, byte value) {
        byte[] copy = bytes.clone();
        copy[index] = value;
        return copy;
    }

    private static byte[] withSchemaId(byte[] bytes, int schemaId) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy, 1, 4).putInt(schemaId);
        return copy;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    /** Fixed pseudo-random bytes (seeded, so every run sends the same). */
    private static byte[] garbage(int length) {
        byte[] bytes = new byte[length];
        new Random(7).nextBytes(bytes);
        bytes[0] = (byte) 0xde;
        return bytes;
    }

    /** An Avro long (zig-zag varint) as a string length prefix. */
    private static byte[] varint(long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        byte[] out = new byte[10];
        int n = 0;
        while ((zigzag & ~0x7FL) != 0) {
            out[n++] = (byte) ((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        out[n++] = (byte) zigzag;
        return Arrays.copyOf(out, n);
    }

    private static BillingSessionCreated createdRecord() {
        return BillingSessionCreated.newBuilder()
                .setEventId("e").setSubscriptionId("s").setMerchantId("m").setOrderId("o").setCustomerId("c")
                .setStatus("NEW").setAttempts(1).setCreatedAt(Instant.now()).build();
    }

    private static GenericContainer evilRecord() {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Evil\",\"namespace\":\"com.example\","
                + "\"fields\":[{\"name\":\"payload\",\"type\":\"string\"}]}");
        GenericData.Record record = new GenericData.Record(schema);
        record.put("payload", "x");
        return record;
    }
}
