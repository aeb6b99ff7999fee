package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.BillingSessionFailed;
import io.billingworker.avro.FailureReason;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.simulator.ReceivedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus through one real worker in one run: each case ends as exactly the outcome its table row
 * expects (dead letter with reason and message, INVALID_EVENT with the exact field codes, API_REJECTED, or a created
 * session with its warnings), hostile strings reach the API JSON-escaped and never in a header, and the worker is
 * still running and processes a valid signup afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusIT {

    private CorpusRun run;

    @BeforeAll
    void runCorpus() {
        run = new CorpusRun().run();
    }

    @AfterAll
    void close() throws IOException {
        if (run != null) {
            writeTable();
            run.close();
        }
    }

    /** What each case ended as, for the README: target/bad-input-corpus.md. */
    private void writeTable() throws IOException {
        StringBuilder table = new StringBuilder("| # | input | outcome | reason / field codes / warnings |\n|---|---|---|---|\n");
        for (int i = 0; i < run.cases().size(); i++) {
            BadInputCorpus.Case corpusCase = run.cases().get(i);
            List<OutcomeLedger.Seen> seen = run.outcomes().byKey().getOrDefault(corpusCase.id(), List.of());
            String outcome = seen.stream().map(one -> one.kind().toString()).collect(Collectors.joining(", "));
            String detail = seen.stream().map(BadInputCorpusIT::detail).collect(Collectors.joining("; "));
            table.append("| ").append(i + 1).append(" | `").append(corpusCase.id()).append("` | ").append(outcome)
                    .append(" | ").append(detail.replace("|", "\\|")).append(" |\n");
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "bad-input-corpus.md"), table.toString(), StandardCharsets.UTF_8);
    }

    private static String detail(OutcomeLedger.Seen seen) {
        return switch (seen.kind()) {
            case DEAD_LETTER -> seen.header(DeadLetterHeaders.REASON) + ": "
                    + seen.header(DeadLetterHeaders.EXCEPTION_MESSAGE).lines().findFirst().orElse("");
            case FAILED -> seen.failed().getReason() + " " + seen.failed().getFieldErrors().stream()
                    .map(error -> error.getField() + ":" + error.getCode()).collect(Collectors.joining(", "))
                    + (seen.failed().getErrorCode() == null ? "" : "HTTP " + seen.failed().getHttpStatus() + " "
                    + seen.failed().getErrorCode());
            case CREATED -> seen.created().getWarnings().isEmpty() ? "sent escaped"
                    : "warnings: " + String.join(", ", seen.created().getWarnings());
        };
    }

    List<BadInputCorpus.Case> cases() {
        return BadInputCorpus.cases();
    }

    @Test
    void shouldHoldAtLeastFortyHostileInputs() {
        assertThat(run.cases()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(run.cases().stream().map(BadInputCorpus.Case::id).distinct()).hasSameSizeAs(run.cases());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldEndAsTheDocumentedOutcome(BadInputCorpus.Case corpusCase) {
        List<OutcomeLedger.Seen> outcomes = run.outcomes().byKey().getOrDefault(corpusCase.id(), List.of());
        String orderId = run.orderIdOf(corpusCase.id());

        assertThat(outcomes).as("outcomes of %s", corpusCase.id()).hasSize(1);
        OutcomeLedger.Seen outcome = outcomes.getFirst();
        switch (corpusCase.expected()) {
            case BadInputCorpus.DeadLetter dead -> {
                assertThat(outcome.kind()).isEqualTo(OutcomeLedger.Kind.DEAD_LETTER);
                assertThat(outcome.header(DeadLetterHeaders.REASON)).isEqualTo(dead.reason().name());
                assertThat(outcome.header(DeadLetterHeaders.EXCEPTION_MESSAGE)).contains(dead.messagePart());
                dead.headers().forEach((name, value) -> assertThat(outcome.header(name)).as(name).isEqualTo(value));
                assertThat(outcome.headers().headers(DeadLetterHeaders.REASON)).hasSize(1);
            }
            case BadInputCorpus.Invalid invalid -> {
                assertThat(outcome.kind()).isEqualTo(OutcomeLedger.Kind.FAILED);
                BillingSessionFailed failed = outcome.failed();
                assertThat(failed.getReason()).isEqualTo(FailureReason.INVALID_EVENT);
                assertThat(failed.getFieldErrors()).extracting(error -> error.getField() + ":" + error.getCode())
                        .containsExactlyElementsOf(invalid.fieldCodes());
                assertThat(failed.getAttempts()).isZero();
                assertThat(run.harness().simulator().requestsFor(orderId)).isEmpty();
            }
            case BadInputCorpus.Rejected rejected -> {
                assertThat(outcome.kind()).isEqualTo(OutcomeLedger.Kind.FAILED);
                BillingSessionFailed failed = outcome.failed();
                assertThat(failed.getReason()).isEqualTo(FailureReason.API_REJECTED);
                assertThat(failed.getHttpStatus()).isEqualTo(rejected.httpStatus());
                assertThat(failed.getErrorCode()).isEqualTo(rejected.errorCode());
                assertThat(failed.getAttempts()).isEqualTo(1);
            }
            case BadInputCorpus.Created created -> {
                assertThat(outcome.kind()).isEqualTo(OutcomeLedger.Kind.CREATED);
                BillingSessionCreated value = outcome.created();
                assertThat(value.getOrderId()).isEqualTo(orderId);
                assertThat(value.getWarnings()).extracting(warning -> warning.substring(0, warning.indexOf(" left out")))
                        .containsExactlyElementsOf(created.warnedFields());
                List<ReceivedRequest> requests = run.harness().simulator().requestsFor(orderId);
                assertThat(requests).hasSize(1);
                created.request().accept(requests.getFirst(), orderId);
            }
        }
    }

    @Test
    void shouldSendEveryRequestAsWellFormedJsonWithoutControlCharactersInHeaders() {
        List<ReceivedRequest> requests = run.harness().simulator().requests();

        assertThat(requests).isNotEmpty();
        for (ReceivedRequest request : requests) {
            assertThat(request.body().isObject()).as("JSON object body of %s", request.orderId()).isTrue();
            assertThat(request.rawBody().chars().filter(Character::isISOControl).count())
                    .as("raw control characters in the body of %s", request.orderId()).isZero();
            request.headers().forEach((name, values) -> values.forEach(value ->
                    assertThat(value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t'))
                            .as("control character in header %s of %s", name, request.orderId()).isFalse()));
            assertThat(request.headers().keySet()).doesNotContain("x-injected", "x-evil", "x-a");
        }
        assertThat(requests.stream().filter(r -> r.orderId().orElse("").equals(run.orderIdOf("description-hostile")))
                .findFirst().orElseThrow().rawBody())
                .contains("He said \\\"pay\\\" \\\\ C:\\\\path\\r\\nX-Injected: 1\\n\\t</script>");
    }

    @Test
    void shouldCallTheApiOnlyForSignupsThatPassedValidation() {
        Set<String> requested = run.harness().simulator().requests().stream()
                .map(request -> request.orderId().orElse("?"))
                .collect(Collectors.toSet());
        List<String> expected = new ArrayList<>();
        for (BadInputCorpus.Case corpusCase : run.cases()) {
            boolean sent = corpusCase.expected() instanceof BadInputCorpus.Created
                    || corpusCase.expected() instanceof BadInputCorpus.Rejected
                    || corpusCase.id().startsWith("api-");
            if (sent) {
                expected.add(run.orderIdOf(corpusCase.id()));
            }
        }
        expected.add("canary1");

        assertThat(requested).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldKeepTheWorkerRunningAndProcessTheSignupAfterTheCorpus() {
        List<OutcomeLedger.Seen> canary = run.outcomes().byKey().get(CorpusRun.CANARY);

        assertThat(canary).hasSize(1);
        assertThat(canary.getFirst().kind()).isEqualTo(OutcomeLedger.Kind.CREATED);
        assertThat(run.worker().intake().isRunning()).isTrue();
        assertThat(run.worker().intake().failure()).isNull();
        assertThat(run.outcomes().all().size()).isEqualTo(run.cases().size() + 1);
    }

    @Test
    void shouldKeepOriginalBytesAndHeadersOnTheDeadLetterTopic() {
        OutcomeLedger.Seen replayed = run.outcomes().byKey().get("replayed-garbage").getFirst();

        List<String> keys = new ArrayList<>();
        for (Header header : replayed.headers()) {
            keys.add(header.key());
        }
        assertThat(keys).containsOnlyOnce("trace-id", DeadLetterHeaders.REASON, DeadLetterHeaders.REPLAY_COUNT);
        assertThat(Map.of("reason", replayed.header(DeadLetterHeaders.REASON)))
                .containsEntry("reason", "UNDECODABLE");
    }
}
