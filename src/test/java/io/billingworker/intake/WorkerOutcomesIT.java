package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.app.DemoSignups;
import io.billingworker.app.Worker;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.BillingSessionFailed;
import io.billingworker.avro.FailureReason;
import io.billingworker.avro.FieldError;
import io.billingworker.avro.Frequency;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.simulator.Behaviour;
import io.billingworker.simulator.JuspayError;
import io.billingworker.simulator.ReceivedRequest;
import io.billingworker.simulator.SimulatedOrder;
import io.billingworker.testsupport.WorkerHarness;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each kind of outcome (docs/contract.md, "Outcome records") through the production worker, the real broker and registry, and the
 * simulator: what lands on the created, failed and dead-letter topics, read back field by field, and what the
 * simulator received.
 *
 * <p>One worker serves the whole class (its breaker is configured never to open, so the scripted failures of one
 * test cannot hold another test's records); every test uses its own subscription and order ids and looks only at
 * its own outcomes. The wrong-API-key test runs its own worker.
 */
class WorkerOutcomesIT {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(45);
    private static final int MAX_ATTEMPTS = 3;
    private static final String ORIGINAL_ERROR_MESSAGE = "HTTP 503 status=error error_code=Service Unavailable "
            + "error_message=Simulated server error 503";
    private static final Set<String> RETRY_DEAD_LETTER_HEADERS = Set.of(DeadLetterHeaders.REASON,
            DeadLetterHeaders.EXCEPTION_MESSAGE, DeadLetterHeaders.HTTP_STATUS, DeadLetterHeaders.MERCHANT_ID,
            DeadLetterHeaders.SOURCE_TOPIC, DeadLetterHeaders.SOURCE_PARTITION, DeadLetterHeaders.SOURCE_OFFSET,
            DeadLetterHeaders.SOURCE_TIMESTAMP, DeadLetterHeaders.ATTEMPTS, DeadLetterHeaders.FAILED_AT,
            DeadLetterHeaders.REPLAY_COUNT);
    private static final Set<String> DECODE_DEAD_LETTER_HEADERS = Set.of(DeadLetterHeaders.REASON,
            DeadLetterHeaders.EXCEPTION_CLASS, DeadLetterHeaders.EXCEPTION_MESSAGE, DeadLetterHeaders.SOURCE_TOPIC,
            DeadLetterHeaders.SOURCE_PARTITION, DeadLetterHeaders.SOURCE_OFFSET, DeadLetterHeaders.SOURCE_TIMESTAMP,
            DeadLetterHeaders.ATTEMPTS, DeadLetterHeaders.FAILED_AT, DeadLetterHeaders.REPLAY_COUNT);

    private static WorkerHarness harness;
    private static WorkerHarness.OutcomeReader reader;
    private static Worker worker;

    @BeforeAll
    static void startWorker() {
        harness = WorkerHarness.start(3);
        harness.set("retry.max-attempts", Integer.toString(MAX_ATTEMPTS))
                .set("breaker.window-calls", "1000")
                .set("breaker.minimum-calls", "1000");
        worker = harness.startWorker();
        reader = harness.outcomeReader();
    }

    @AfterAll
    static void stopWorker() {
        harness.close();
    }

    @Test
    void shouldPublishOneInvalidEventFailureListingEveryBrokenRuleWithoutCallingTheApi() {
        SubscriptionSignup signup = signup("invalid");
        signup.setOrderId("bad order/id");
        signup.setAmount("1.001");
        signup.getMandate().setMaxAmount("1e3");
        signup.getMandate().setFrequency(Frequency.MONTHLY);
        signup.getCustomer().setEmail(".john@example.com");
        signup.getCustomer().setFirstName("J@hn");
        signup.setUdf(Map.of("udf3", "no-dashes", "udf11", "x"));
        Instant before = Instant.now();

        harness.publish(signup);
        Landed landed = awaitLanded(Set.of("sub_invalid"), 1);

        assertThat(landed.created()).isEmpty();
        assertThat(landed.deadLetters()).isEmpty();
        assertThat(landed.failedKeys()).containsExactly("sub_invalid");
        BillingSessionFailed failed = landed.failed().get(0);
        String amountMessage = "must be a decimal number with at most two decimal places, like 100 or 100.15";
        assertThat(failed.getFieldErrors()).containsExactly(
                new FieldError("order_id", "BAD_FORMAT", "must be 1 to 20 characters of A-Z a-z 0-9 _ -"),
                new FieldError("amount", "BAD_FORMAT", amountMessage),
                new FieldError("customer.email", "BAD_FORMAT", "the local part must not start or end with _ or ."),
                new FieldError("mandate.max_amount", "BAD_FORMAT", amountMessage),
                new FieldError("mandate.rule_value", "REQUIRED", "is required when mandate.frequency is MONTHLY"),
                new FieldError("udf.udf3", "BAD_FORMAT", "may contain only letters, digits and spaces"),
                new FieldError("udf.udf11", "NOT_ALLOWED", "unknown udf key; allowed keys are udf1 to udf10"));
        assertThat(failed.getReason()).isEqualTo(FailureReason.INVALID_EVENT);
        assertThat(failed.getEventId()).isEqualTo("evt_invalid");
        assertThat(failed.getSubscriptionId()).isEqualTo("sub_invalid");
        assertThat(failed.getMerchantId()).isEqualTo(WorkerHarness.MERCHANT);
        assertThat(failed.getOrderId()).isNull();
        assertThat(failed.getCustomerId()).isEqualTo("cth_sub_invalid");
        assertThat(failed.getAttempts()).isZero();
        assertThat(failed.getHttpStatus()).isNull();
        assertThat(failed.getErrorCode()).isNull();
        assertThat(failed.getErrorMessage()).isNull();
        assertThat(failed.getErrorInfo()).isNull();
        assertThat(failed.getWarnings())
                .containsExactly("customer.first_name left out: may contain only letters, digits and ().-_");
        assertThat(failed.getFailedAt()).isBetween(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                Instant.now());
        assertThat(reader.failedRecords()).filteredOn(record -> utf8(record.key()).equals("sub_invalid"))
                .extracting(ConsumerRecord::timestamp).containsExactly(failed.getFailedAt().toEpochMilli());
        assertThat(harness.simulator().requests())
                .noneMatch(request -> request.body().path("customer_id").asText().equals("cth_sub_invalid"));
    }

    @Test
    void shouldPublishOneApiRejectionWithJuspaysErrorAfterOneAttempt() {
        SubscriptionSignup signup = signup("rejected");
        signup.setOrderId("ord_rejected");
        harness.simulator().rejectOrder("ord_rejected", JuspayError.INVALID_FIELD_VALUE,
                "customer_phone must contain 10 digits");

        harness.publish(signup);
        Landed landed = awaitLanded(Set.of("sub_rejected"), 1);

        assertThat(landed.created()).isEmpty();
        assertThat(landed.deadLetters()).isEmpty();
        assertThat(landed.failedKeys()).containsExactly("sub_rejected");
        BillingSessionFailed failed = landed.failed().get(0);
        assertThat(failed.getReason()).isEqualTo(FailureReason.API_REJECTED);
        assertThat(failed.getHttpStatus()).isEqualTo(400);
        assertThat(failed.getErrorCode()).isEqualTo("Invalid field value");
        assertThat(failed.getErrorMessage()).isEqualTo("customer_phone must contain 10 digits");
        assertThat(failed.getErrorInfo()).isNull();
        assertThat(failed.getFieldErrors()).isEmpty();
        assertThat(failed.getAttempts()).isEqualTo(1);
        assertThat(failed.getEventId()).isEqualTo("evt_rejected");
        assertThat(failed.getSubscriptionId()).isEqualTo("sub_rejected");
        assertThat(failed.getMerchantId()).isEqualTo(WorkerHarness.MERCHANT);
        assertThat(failed.getOrderId()).isEqualTo("ord_rejected");
        assertThat(failed.getCustomerId()).isEqualTo("cth_sub_rejected");
        assertThat(failed.getWarnings()).isEmpty();
        assertThat(harness.simulator().requestsFor("ord_rejected")).hasSize(1);
        assertThat(harness.simulator().order(WorkerHarness.MERCHANT, "ord_rejected")).isEmpty();
    }

    @Test
    void shouldRetryWithTheSameRequestThenPublishOneCreatedRecordCountingEveryAttempt() {
        SubscriptionSignup signup = signup("retried");
        signup.setOrderId("ord_retried");
        harness.simulator().failTimesThenSucceed("ord_retried", 2, 503);

        harness.publish(signup);
        Landed landed = awaitLanded(Set.of("sub_retried"), 1);

        assertThat(landed.failed()).isEmpty();
        assertThat(landed.deadLetters()).isEmpty();
        assertThat(landed.createdKeys()).containsExactly("sub_retried");
        List<ReceivedRequest> requests = harness.simulator().requestsFor("ord_retried");
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(ReceivedRequest::rawBody).containsOnly(requests.get(0).rawBody());
        assertThat(requests).extracting(request -> request.header("x-merchantid").orElseThrow())
                .containsOnly(WorkerHarness.MERCHANT);
        assertThat(requests).extracting(ReceivedRequest::authenticatedMerchantId).containsOnly(WorkerHarness.MERCHANT);
        SimulatedOrder order = harness.simulator().order(WorkerHarness.MERCHANT, "ord_retried").orElseThrow();
        BillingSessionCreated created = landed.created().get(0);
        assertThat(created.getAttempts()).isEqualTo(3);
        assertThat(created.getEventId()).isEqualTo("evt_retried");
        assertThat(created.getSubscriptionId()).isEqualTo("sub_retried");
        assertThat(created.getMerchantId()).isEqualTo(WorkerHarness.MERCHANT);
        assertThat(created.getOrderId()).isEqualTo("ord_retried");
        assertThat(created.getCustomerId()).isEqualTo("cth_sub_retried");
        assertThat(created.getStatus()).isEqualTo("PENDING_VBV");
        assertThat(created.getJuspayOrderId()).isEqualTo(order.id());
        assertThat(created.getPaymentLinkWeb())
                .isEqualTo("https://sandbox.juspay.in/orders/" + order.id() + "/payment-page");
        assertThat(created.getPaymentLinkExpiry()).isNull();
        assertThat(created.getUpiDeepLink()).isNull();
        assertThat(created.getTxnId()).isEqualTo(order.txnId());
        assertThat(created.getTxnUuid()).isEqualTo(order.txnUuid());
        assertThat(created.getAuthenticationMethod()).isEqualTo("GET");
        assertThat(created.getAuthenticationUrl())
                .startsWith("https://sandbox.juspay.in/v2/pay/start/" + WorkerHarness.MERCHANT + "/" + order.txnUuid());
        assertThat(created.getSdkPayloadJson()).contains("\"clientAuthToken\":\"" + order.clientAuthToken() + "\"");
        assertThat(created.getWarnings()).isEmpty();
    }

    @Test
    void shouldDeadLetterTheOriginalRecordByteForByteWhenRetriesAreExhausted() {
        SubscriptionSignup signup = signup("exhausted");
        signup.setOrderId("ord_exhausted");
        harness.simulator().alwaysFail("ord_exhausted", 503);
        byte[] value = harness.serialize(signup);
        List<Header> headers = customHeaders("trace-exhausted");
        Instant before = Instant.now();

        RecordMetadata source = harness.publishRecord("sub_exhausted", value, headers);
        Landed landed = awaitLanded(Set.of("sub_exhausted"), 1);

        assertThat(landed.created()).isEmpty();
        assertThat(landed.failed()).isEmpty();
        assertThat(landed.deadLetters()).hasSize(1);
        ConsumerRecord<byte[], byte[]> dead = landed.deadLetters().get(0);
        assertThat(dead.key()).isEqualTo("sub_exhausted".getBytes(StandardCharsets.UTF_8));
        assertThat(dead.value()).isEqualTo(value);
        assertOriginalHeaders(dead.headers(), headers);
        assertThat(deadLetterHeaderNames(dead.headers())).containsExactlyInAnyOrderElementsOf(RETRY_DEAD_LETTER_HEADERS);
        assertThat(text(dead, DeadLetterHeaders.REASON)).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(text(dead, DeadLetterHeaders.HTTP_STATUS)).isEqualTo("503");
        assertThat(text(dead, DeadLetterHeaders.ATTEMPTS)).isEqualTo(Integer.toString(MAX_ATTEMPTS));
        assertThat(text(dead, DeadLetterHeaders.MERCHANT_ID)).isEqualTo(WorkerHarness.MERCHANT);
        assertThat(text(dead, DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo(ORIGINAL_ERROR_MESSAGE)
                .hasSizeLessThanOrEqualTo(DeadLetterHeaders.MAX_MESSAGE_LENGTH);
        assertSource(dead, source);
        assertThat(text(dead, DeadLetterHeaders.REPLAY_COUNT)).isEqualTo("0");
        assertThat(Instant.parse(text(dead, DeadLetterHeaders.FAILED_AT))).isBetween(before, Instant.now());
        assertThat(harness.simulator().requestsFor("ord_exhausted")).hasSize(MAX_ATTEMPTS);
    }

    @Test
    void shouldDeadLetterAfterOneAttemptOn401WithoutLeakingTheApiKey() {
        String wrongKey = "key_wrong_" + UUID.randomUUID().toString().replace("-", "");
        try (WorkerHarness wrongKeyHarness = WorkerHarness.start(1)) {
            wrongKeyHarness.environment("WRONG_MERCHANT_API_KEY", wrongKey)
                    .set("merchants." + WorkerHarness.MERCHANT + ".api-key-env", "WRONG_MERCHANT_API_KEY");
            Worker wrongKeyWorker = wrongKeyHarness.startWorker();
            SubscriptionSignup signup = signup("unauthorized");
            signup.setOrderId("ord_unauthorized");
            byte[] value = wrongKeyHarness.serialize(signup);
            List<Header> headers = customHeaders("trace-unauthorized");

            RecordMetadata source = wrongKeyHarness.publishRecord("sub_unauthorized", value, headers);
            WorkerHarness.Outcomes outcomes = awaitSettled(wrongKeyHarness.outcomeReader(), wrongKeyWorker, 1);

            assertThat(outcomes.created()).isEmpty();
            assertThat(outcomes.failed()).isEmpty();
            assertThat(outcomes.deadLetters()).hasSize(1);
            ConsumerRecord<byte[], byte[]> dead = outcomes.deadLetters().get(0);
            assertThat(dead.key()).isEqualTo("sub_unauthorized".getBytes(StandardCharsets.UTF_8));
            assertThat(dead.value()).isEqualTo(value);
            assertOriginalHeaders(dead.headers(), headers);
            assertThat(deadLetterHeaderNames(dead.headers()))
                    .containsExactlyInAnyOrderElementsOf(RETRY_DEAD_LETTER_HEADERS);
            assertThat(text(dead, DeadLetterHeaders.REASON)).isEqualTo("AUTH_FAILED");
            assertThat(text(dead, DeadLetterHeaders.HTTP_STATUS)).isEqualTo("401");
            assertThat(text(dead, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
            assertThat(text(dead, DeadLetterHeaders.EXCEPTION_MESSAGE))
                    .isEqualTo("HTTP 401 status=error error_code=access_denied error_message=Invalid API key");
            assertSource(dead, source);
            List<ReceivedRequest> requests = wrongKeyHarness.simulator().requestsFor("ord_unauthorized");
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0).authenticatedMerchantId()).isNull();
            List<String> secrets = List.of(wrongKey, wrongKeyHarness.apiKey(), basicCredentials(wrongKey),
                    basicCredentials(wrongKeyHarness.apiKey()), "Basic ");
            for (Header header : dead.headers()) {
                assertThat(header.key()).doesNotContainIgnoringCase("authorization");
                assertThat(latin1(header.value())).doesNotContain(secrets.toArray(String[]::new));
            }
            assertThat(latin1(dead.value())).doesNotContain(secrets.toArray(String[]::new));
        }
    }

    @Test
    void shouldDeadLetterUndecodableValuesAndTombstonesWithTheirBytesIntact() {
        byte[] valid = harness.serialize(signup("decodable"));
        int schemaId = ByteBuffer.wrap(valid, 1, 4).getInt();
        byte[] badMagic = "this is not avro".getBytes(StandardCharsets.UTF_8);
        byte[] truncated = ByteBuffer.allocate(7).put((byte) 0).putInt(schemaId).put((byte) 2).put((byte) 'A')
                .array();
        int unknownId = 987_654_321;
        byte[] unknownSchema = ByteBuffer.allocate(valid.length).put((byte) 0).putInt(unknownId)
                .put(valid, 5, valid.length - 5).array();
        Map<String, RecordMetadata> sources = new HashMap<>();

        sources.put("sub_bad_magic", harness.publishRecord("sub_bad_magic", badMagic, customHeaders("t1")));
        sources.put("sub_truncated", harness.publishRecord("sub_truncated", truncated, customHeaders("t2")));
        sources.put("sub_unknown_schema",
                harness.publishRecord("sub_unknown_schema", unknownSchema, customHeaders("t3")));
        sources.put("sub_tombstone", harness.publishRecord("sub_tombstone", null, customHeaders("t4")));
        Landed landed = awaitLanded(sources.keySet(), 4);

        assertThat(landed.created()).isEmpty();
        assertThat(landed.failed()).isEmpty();
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = landed.deadLettersByKey();
        assertThat(byKey).containsOnlyKeys(sources.keySet());
        String exceptionClass = "io.billingworker.serde.UndecodableRecordException";
        assertUndecodable(byKey.get("sub_bad_magic"), badMagic, "t1", "UNDECODABLE", exceptionClass,
                "unknown magic byte 0x74, expected 0x00");
        assertUndecodable(byKey.get("sub_truncated"), truncated, "t2", "UNDECODABLE", exceptionClass,
                "truncated Avro payload for schema id " + schemaId);
        assertUndecodable(byKey.get("sub_unknown_schema"), unknownSchema, "t3", "UNKNOWN_SCHEMA", exceptionClass,
                "schema id " + unknownId + " not found in registry");
        ConsumerRecord<byte[], byte[]> tombstone = byKey.get("sub_tombstone");
        assertThat(tombstone.value()).isNull();
        assertOriginalHeaders(tombstone.headers(), customHeaders("t4"));
        assertThat(deadLetterHeaderNames(tombstone.headers())).containsExactlyInAnyOrderElementsOf(
                DECODE_DEAD_LETTER_HEADERS.stream().filter(name -> !name.equals(DeadLetterHeaders.EXCEPTION_CLASS))
                        .toList());
        assertThat(text(tombstone, DeadLetterHeaders.REASON)).isEqualTo("EMPTY_VALUE");
        assertThat(text(tombstone, DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo("the record has no value (tombstone)");
        assertThat(text(tombstone, DeadLetterHeaders.ATTEMPTS)).isEqualTo("0");
        sources.forEach((key, source) -> assertSource(byKey.get(key), source));
    }

    @Test
    void shouldReplaceEarlierDeadLetterHeadersAndCarryTheReplayCountOver() {
        SubscriptionSignup signup = signup("redead");
        signup.setOrderId("ord_redead");
        harness.simulator().alwaysFail("ord_redead", 503);
        byte[] value = harness.serialize(signup);
        List<Header> original = customHeaders("trace-redead");
        List<Header> published = new ArrayList<>(original);
        published.add(utf8Header(DeadLetterHeaders.REASON, "AUTH_FAILED"));
        published.add(utf8Header(DeadLetterHeaders.EXCEPTION_MESSAGE, "an earlier failure"));
        published.add(utf8Header(DeadLetterHeaders.HTTP_STATUS, "401"));
        published.add(utf8Header(DeadLetterHeaders.SOURCE_TOPIC, "some.other.topic"));
        published.add(utf8Header(DeadLetterHeaders.SOURCE_OFFSET, "12345"));
        published.add(utf8Header(DeadLetterHeaders.ATTEMPTS, "1"));
        published.add(utf8Header(DeadLetterHeaders.FAILED_AT, "2020-01-01T00:00:00Z"));
        published.add(utf8Header(DeadLetterHeaders.REPLAY_COUNT, "2"));

        RecordMetadata source = harness.publishRecord("sub_redead", value, published);
        Landed landed = awaitLanded(Set.of("sub_redead"), 1);

        assertThat(landed.created()).isEmpty();
        assertThat(landed.failed()).isEmpty();
        assertThat(landed.deadLetters()).hasSize(1);
        ConsumerRecord<byte[], byte[]> dead = landed.deadLetters().get(0);
        assertThat(dead.value()).isEqualTo(value);
        assertOriginalHeaders(dead.headers(), original);
        assertThat(deadLetterHeaderNames(dead.headers())).containsExactlyInAnyOrderElementsOf(RETRY_DEAD_LETTER_HEADERS);
        assertThat(text(dead, DeadLetterHeaders.REPLAY_COUNT)).isEqualTo("2");
        assertThat(text(dead, DeadLetterHeaders.REASON)).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(text(dead, DeadLetterHeaders.HTTP_STATUS)).isEqualTo("503");
        assertThat(text(dead, DeadLetterHeaders.ATTEMPTS)).isEqualTo(Integer.toString(MAX_ATTEMPTS));
        assertThat(text(dead, DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo(ORIGINAL_ERROR_MESSAGE);
        assertSource(dead, source);
        assertThat(Instant.parse(text(dead, DeadLetterHeaders.FAILED_AT))).isAfter(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void shouldEndEveryInputInExactlyOneOutcome() {
        harness.simulator().rejectOrdersStartingWith("mixrej_", JuspayError.INVALID_FIELD_VALUE, "rejected");
        harness.simulator().scriptOrdersStartingWith("mixdead_", Behaviour.serverError(502));
        harness.simulator().scriptOrdersStartingWith("mixflaky_", Behaviour.serverError(500), Behaviour.succeed());
        Map<String, String> expectedKind = new LinkedHashMap<>();
        List<SubscriptionSignup> signups = new ArrayList<>();
        IntStream.range(0, 12).forEach(i -> signups.add(mixed("mix_ok_" + i, null, expectedKind, "created")));
        IntStream.range(0, 4).forEach(i -> signups.add(mixed("mix_bad_" + i, null, expectedKind, "failed")));
        IntStream.range(0, 4).forEach(i -> signups.add(mixed("mix_rej_" + i, "mixrej_" + i, expectedKind, "failed")));
        IntStream.range(0, 3).forEach(i -> signups.add(mixed("mix_dead_" + i, "mixdead_" + i, expectedKind,
                "dead_letter")));
        IntStream.range(0, 3).forEach(i -> signups.add(mixed("mix_flaky_" + i, "mixflaky_" + i, expectedKind,
                "created")));
        signups.stream().filter(signup -> signup.getSubscriptionId().startsWith("sub_mix_bad_"))
                .forEach(signup -> signup.setAmount("1e2"));
        Set<String> keys = signups.stream().map(SubscriptionSignup::getSubscriptionId)
                .collect(Collectors.toCollection(java.util.HashSet::new));
        keys.add("sub_mix_garbage_0");
        keys.add("sub_mix_garbage_1");

        harness.publishBatch(signups);
        harness.publishRaw("sub_mix_garbage_0", new byte[] {1, 2, 3}, List.of());
        harness.publishRaw("sub_mix_garbage_1", new byte[] {0, 0}, List.of());
        Landed landed = awaitLanded(keys, signups.size() + 2);

        Map<String, List<String>> kindsByEventId = Stream.of(
                        landed.created().stream().map(created -> Map.entry(created.getEventId(), "created")),
                        landed.failed().stream().map(failed -> Map.entry(failed.getEventId(), "failed")),
                        landed.deadLetters().stream()
                                .filter(dead -> !new String(dead.key(), StandardCharsets.UTF_8).contains("garbage"))
                                .map(dead -> Map.entry(harness.decodeSignup(dead.value()).getEventId(), "dead_letter")))
                .flatMap(Function.identity())
                .collect(Collectors.groupingBy(Map.Entry::getKey, LinkedHashMap::new,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        Map<String, List<String>> expected = expectedKind.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> List.of(entry.getValue())));
        assertThat(kindsByEventId).isEqualTo(expected);
        assertThat(landed.deadLetters())
                .extracting(dead -> new String(dead.key(), StandardCharsets.UTF_8))
                .filteredOn(key -> key.contains("garbage"))
                .containsExactlyInAnyOrder("sub_mix_garbage_0", "sub_mix_garbage_1");
        assertThat(landed.total()).isEqualTo(signups.size() + 2);
        assertThat(landed.created()).filteredOn(created -> created.getSubscriptionId().startsWith("sub_mix_flaky_"))
                .extracting(BillingSessionCreated::getAttempts).containsOnly(2);
    }

    // ------------------------------------------------------------------ helpers

    /** Outcomes of one test's records (by subscription id / record key). */
    private record Landed(List<BillingSessionCreated> created, List<String> createdKeys,
                          List<BillingSessionFailed> failed, List<String> failedKeys,
                          List<ConsumerRecord<byte[], byte[]>> deadLetters) {

        int total() {
            return created.size() + failed.size() + deadLetters.size();
        }

        Map<String, ConsumerRecord<byte[], byte[]>> deadLettersByKey() {
            return deadLetters.stream().collect(Collectors.toMap(
                    dead -> new String(dead.key(), StandardCharsets.UTF_8), Function.identity()));
        }
    }

    /**
     * Waits until {@code expected} outcomes of the given keys landed and the worker has no record left unfinished,
     * then reads once more, so a duplicate published for any of them would be seen.
     */
    private static Landed awaitLanded(Set<String> keys, int expected) {
        await().atMost(SETTLE_TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(50))
                .until(() -> landed(keys), landed -> landed.total() >= expected && worker.intake().buffered() == 0);
        return landed(keys);
    }

    private static Landed landed(Set<String> keys) {
        WorkerHarness.Outcomes outcomes = reader.read();
        List<BillingSessionCreated> created = outcomes.created().stream()
                .filter(value -> keys.contains(value.getSubscriptionId())).toList();
        List<String> createdKeys = outcomes.createdRecords().stream().map(record -> utf8(record.key()))
                .filter(keys::contains).toList();
        List<BillingSessionFailed> failed = outcomes.failed().stream()
                .filter(value -> keys.contains(value.getSubscriptionId())).toList();
        List<String> failedKeys = reader.failedRecords().stream().map(record -> utf8(record.key()))
                .filter(keys::contains).toList();
        List<ConsumerRecord<byte[], byte[]>> dead = outcomes.deadLetters().stream()
                .filter(record -> record.key() != null && keys.contains(utf8(record.key()))).toList();
        return new Landed(created, createdKeys, failed, failedKeys, dead);
    }

    private static WorkerHarness.Outcomes awaitSettled(WorkerHarness.OutcomeReader anyReader, Worker anyWorker,
            int expected) {
        await().atMost(SETTLE_TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(50))
                .until(anyReader::read, outcomes -> outcomes.total() >= expected && anyWorker.intake().buffered() == 0);
        return anyReader.read();
    }

    private static SubscriptionSignup signup(String name) {
        return DemoSignups.seedShape("sub_" + name, "evt_" + name, null, null, Instant.now());
    }

    private static SubscriptionSignup mixed(String name, String orderId, Map<String, String> expectedKind,
            String kind) {
        SubscriptionSignup signup = signup(name);
        signup.setOrderId(orderId);
        expectedKind.put(signup.getEventId(), kind);
        return signup;
    }

    /** Headers as an upstream system might send them, one of them binary and one without a value. */
    private static List<Header> customHeaders(String traceId) {
        return List.of(
                utf8Header("trace-id", traceId),
                new RecordHeader("binary", new byte[] {0, (byte) 0xff, 0x7f, (byte) 0x80}),
                new RecordHeader("no-value", null),
                utf8Header("trace-id", traceId + "-again"));
    }

    private static Header utf8Header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertOriginalHeaders(Headers actual, List<Header> expected) {
        List<Header> original = DeadLetterHeaders.originalHeaders(actual);
        assertThat(original).extracting(Header::key).containsExactlyElementsOf(
                expected.stream().map(Header::key).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(original.get(i).value()).as("value of header %s", expected.get(i).key())
                    .isEqualTo(expected.get(i).value());
        }
    }

    private static void assertUndecodable(ConsumerRecord<byte[], byte[]> dead, byte[] value, String traceId,
            String reason, String exceptionClass, String message) {
        assertThat(dead.value()).isEqualTo(value);
        assertOriginalHeaders(dead.headers(), customHeaders(traceId));
        assertThat(deadLetterHeaderNames(dead.headers())).containsExactlyInAnyOrderElementsOf(DECODE_DEAD_LETTER_HEADERS);
        assertThat(text(dead, DeadLetterHeaders.REASON)).isEqualTo(reason);
        assertThat(text(dead, DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo(exceptionClass);
        assertThat(text(dead, DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo(message);
        assertThat(text(dead, DeadLetterHeaders.ATTEMPTS)).isEqualTo("0");
        assertThat(text(dead, DeadLetterHeaders.REPLAY_COUNT)).isEqualTo("0");
    }

    private static void assertSource(ConsumerRecord<byte[], byte[]> dead, RecordMetadata source) {
        assertThat(text(dead, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(source.topic());
        assertThat(text(dead, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo(Integer.toString(source.partition()));
        assertThat(text(dead, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo(Long.toString(source.offset()));
        assertThat(text(dead, DeadLetterHeaders.SOURCE_TIMESTAMP)).isEqualTo(Long.toString(source.timestamp()));
    }

    /** Names of the dlt.* headers, one entry per header, so a repeated header shows up twice. */
    private static List<String> deadLetterHeaderNames(Headers headers) {
        List<String> names = new ArrayList<>();
        headers.forEach(header -> {
            if (header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                names.add(header.key());
            }
        });
        return names;
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        return DeadLetterHeaders.text(record.headers(), header);
    }

    private static String basicCredentials(String key) {
        return Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    private static String latin1(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
