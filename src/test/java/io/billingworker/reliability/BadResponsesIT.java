package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.app.Worker;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.simulator.Behaviour;
import io.billingworker.testsupport.WorkerHarness;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The API on a bad day (issue 16): one signup for each malformed or unexpected answer a real API, or a proxy or load
 * balancer in front of it, may send, next to 20 normal signups, through the production worker, the real broker and
 * registry, and the simulator. Every event ends in exactly one outcome: the normal ones created, each bad one in the
 * dead letter the contract names (docs/contract.md, "Errors and retries"), with its status, attempts and a message
 * that says what was wrong without quoting the body; no log line carries the API key or customer data. Then the
 * API answers normally again and new signups are created.
 *
 * <p>The retry budget is 3 attempts with 20-200 ms backoff; the merchant's breaker (window 20 calls, 50%) may open on
 * the failures and holds records for 1 s at a time, which changes no outcome: a record's budget spans its holds.
 */
class BadResponsesIT {

    private static final int MAX_ATTEMPTS = 3;
    private static final int NORMAL = 20;
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String PAGE = "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>"
            + "Signed in as " + CorpusSignups.CUSTOMER_EMAIL + ". Back at 10:45.</body></html>";
    private static final String REDIRECT_TO = "https://127.0.0.1:9/v2/session";

    /** One row of the table: what the API answers for the order, and the outcome it must end in. */
    private record Row(String name, Behaviour answer, String reason, String httpStatus, int attempts,
                       List<String> messageHas) {

        String orderId() {
            return "ord_bad_" + name;
        }

        String eventId() {
            return "evt_bad_" + name;
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row("not_json", Behaviour.raw(200, "application/json", "{not json"), "INVALID_RESPONSE", "200",
                    MAX_ATTEMPTS, List.of("HTTP 200 with an invalid session response: not JSON (JsonParseException"
                            + " at byte 1); content type application/json, 9 bytes, sha256 ")),
            new Row("html_500", Behaviour.raw(500, "text/html", PAGE), "RETRIES_EXHAUSTED", "500", MAX_ATTEMPTS,
                    List.of("HTTP 500 (not a JSON error: content type text/html, " + PAGE.length() + " bytes, sha256 ",
                            "starts with '<!DOCTYPE html><html><head><titl'")),
            new Row("html_200", Behaviour.raw(200, "text/html", PAGE), "INVALID_RESPONSE", "200", MAX_ATTEMPTS,
                    List.of("HTTP 200 with an invalid session response: Content-Type text/html is not JSON; content"
                            + " type text/html, " + PAGE.length() + " bytes")),
            new Row("no_links", Behaviour.succeedWith(body -> {
                body.remove("payment_links");
                return body;
            }), "INVALID_RESPONSE", "200", MAX_ATTEMPTS,
                    List.of("HTTP 200 with an invalid session response: payment_links.web is missing; content type"
                            + " application/json, ")),
            new Row("wrong_types", Behaviour.succeedWith(body -> {
                body.put("status", 5);
                body.putArray("id").add("x");
                body.put("payment_links", "nope");
                return body;
            }), "INVALID_RESPONSE", "200", MAX_ATTEMPTS,
                    List.of("HTTP 200 with an invalid session response: status is a number, expected a string")),
            new Row("empty", Behaviour.raw(200, "application/json", ""), "INVALID_RESPONSE", "200", MAX_ATTEMPTS,
                    List.of("HTTP 200 with an invalid session response: empty body; content type application/json,"
                            + " 0 bytes")),
            new Row("redirect", Behaviour.redirect(302, REDIRECT_TO + "?sig=abc"), "UNEXPECTED_REDIRECT", "302", 1,
                    List.of("HTTP 302 redirect to Location " + REDIRECT_TO + " (query left out) (not followed: check"
                            + " juspay.base-url and any proxy in between)")),
            new Row("redirect2", Behaviour.redirect(302, REDIRECT_TO + "?sig=abc"), "UNEXPECTED_REDIRECT", "302",
                    1, List.of("HTTP 302 redirect to Location " + REDIRECT_TO)),
            new Row("huge", Behaviour.hugeBody(200, 8L * 1024 * 1024), "INVALID_RESPONSE", "200", MAX_ATTEMPTS,
                    List.of("HTTP 200 with an invalid session response: body longer than the 1048576-byte limit"
                            + " (juspay.max-response-bytes); content type application/json, more than 1048576 bytes")),
            new Row("cut_short", Behaviour.cutShort(200, "application/json", 1000, "{\"status\":\"N"),
                    "INVALID_RESPONSE", "200", MAX_ATTEMPTS,
                    List.of("HTTP 200 with an invalid session response: body cut short: the connection ended before"
                            + " the body did; content type application/json, 12 bytes of 1000 announced")));

    @Test
    void shouldEndEveryBadResponseInItsOwnPreciseOutcomeAndNeverInAFalseCreated() {
        List<String> findings = new ArrayList<>();
        try (LogCapture logs = LogCapture.capture(); WorkerHarness harness = WorkerHarness.start(3)) {
            harness.set("retry.max-attempts", Integer.toString(MAX_ATTEMPTS))
                    .set("breaker.window-calls", "20")
                    .set("breaker.minimum-calls", "20")
                    .set("breaker.open-wait-ms", "1000");
            List<SubscriptionSignup> signups = new ArrayList<>();
            for (Row row : ROWS) {
                harness.simulator().script(row.orderId(), row.answer());
                SubscriptionSignup signup = CorpusSignups.valid("sub_bad_" + row.name(), row.orderId());
                signup.setEventId(row.eventId());
                signups.add(signup);
            }
            List<String> normalEvents = normalSignups("ok", NORMAL, signups);
            Worker worker = harness.startWorker();

            harness.publish(signups);
            OutcomeLedger.Snapshot outcomes = settle(harness, signups.size());

            Map<String, List<OutcomeLedger.Seen>> byEvent = outcomes.byEvent();
            assertThat(byEvent).hasSize(signups.size());
            assertThat(outcomes.all()).hasSize(signups.size());
            for (String event : normalEvents) {
                assertCreatedWithLink(byEvent.get(event), event);
            }
            for (Row row : ROWS) {
                List<OutcomeLedger.Seen> seen = byEvent.get(row.eventId());
                assertThat(seen).as(row.name()).hasSize(1);
                OutcomeLedger.Seen dead = seen.getFirst();
                assertThat(dead.kind()).as(row.name()).isEqualTo(OutcomeLedger.Kind.DEAD_LETTER);
                assertThat(dead.header(DeadLetterHeaders.REASON)).as(row.name()).isEqualTo(row.reason());
                assertThat(dead.header(DeadLetterHeaders.HTTP_STATUS)).as(row.name()).isEqualTo(row.httpStatus());
                assertThat(dead.header(DeadLetterHeaders.ATTEMPTS)).as(row.name())
                        .isEqualTo(Integer.toString(row.attempts()));
                assertThat(dead.header(DeadLetterHeaders.MERCHANT_ID)).isEqualTo(WorkerHarness.MERCHANT);
                String message = dead.header(DeadLetterHeaders.EXCEPTION_MESSAGE);
                assertThat(message).as(row.name()).contains(row.messageHas())
                        .doesNotContain("sig=abc", "customerEmail", "clientAuthToken", "Signed in");
                assertThat(harness.simulator().requestsFor(row.orderId())).as(row.name()).hasSize(row.attempts());
            }
            assertThat(logs.lines().stream().filter(line -> line.startsWith("io.billingworker.sessionapi.SessionGateway")
                    && line.contains("answered HTTP 302 redirect")))
                    .as("one WARN per merchant and Location").hasSize(1);

            harness.simulator().clearScripts();
            List<SubscriptionSignup> later = new ArrayList<>();
            List<String> laterEvents = normalSignups("later", 5, later);
            harness.publish(later);
            OutcomeLedger.Snapshot after = settle(harness, signups.size() + later.size());
            for (String event : laterEvents) {
                assertCreatedWithLink(after.byEvent().get(event), event);
            }
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    worker.gateway().breakerStates().get(WorkerHarness.MERCHANT) == CircuitBreaker.State.CLOSED);

            findings.addAll(scan(harness, logs, after));
        }

        assertThat(findings).as("secrets or customer data found").isEmpty();
    }

    private static List<String> normalSignups(String prefix, int count, List<SubscriptionSignup> into) {
        return IntStream.range(0, count).mapToObj(i -> {
            SubscriptionSignup signup = CorpusSignups.valid("sub_" + prefix + "_" + i, null);
            into.add(signup);
            return signup.getEventId();
        }).toList();
    }

    private static void assertCreatedWithLink(List<OutcomeLedger.Seen> seen, String event) {
        assertThat(seen).as(event).hasSize(1);
        assertThat(seen.getFirst().kind()).as(event).isEqualTo(OutcomeLedger.Kind.CREATED);
        BillingSessionCreated created = seen.getFirst().created();
        assertThat(created.getPaymentLinkWeb()).as(event).startsWith("https://");
        assertThat(created.getJuspayOrderId()).as(event).startsWith("ordeh_");
        assertThat(created.getAttempts()).as(event).isEqualTo(1);
    }

    private static OutcomeLedger.Snapshot settle(WorkerHarness harness, int events) {
        try (OutcomeLedger ledger = new OutcomeLedger(harness.kafka().bootstrapServers(), harness.topics(),
                harness.registryUrl())) {
            return ledger.await(events, SETTLE, Duration.ofSeconds(2));
        }
    }

    /** The API key, the customer's e-mail and phone, and any response body's customer fields, in logs and outcomes. */
    private static List<String> scan(WorkerHarness harness, LogCapture logs, OutcomeLedger.Snapshot outcomes) {
        SecretScan scan = SecretScan.forApiKey(harness.apiKey());
        List<String> bodyFields = new ArrayList<>();
        for (String line : logs.lines()) {
            scan.findIn("log line", line);
            if (line.contains("customerEmail") || line.contains("clientAuthToken") || line.contains("Signed in")) {
                bodyFields.add("response body in log line: " + line);
            }
        }
        for (OutcomeLedger.Seen seen : outcomes.all()) {
            scan.findIn(seen.kind() + " key", seen.key());
            if (seen.kind() == OutcomeLedger.Kind.DEAD_LETTER) {
                scan.findInHeaders("dead letter", seen.headers());
            } else if (seen.kind() == OutcomeLedger.Kind.CREATED) {
                scan.findCredentialsIn("created sdk_payload_json", seen.created().getSdkPayloadJson());
            }
        }
        List<String> all = new ArrayList<>(scan.findings());
        all.addAll(bodyFields);
        return all;
    }
}
