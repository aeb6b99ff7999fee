package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.app.DemoSignups;
import io.billingworker.app.Worker;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.testsupport.WorkerHarness;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A total {@code /session} outage through the production worker: the merchant's circuit breaker opens, fetching
 * pauses, held records wait instead of being dead-lettered, only the half-open trial calls reach the API while the
 * outage lasts, and once it ends every signup is created exactly once. Also the boundary between "hold" and
 * "dead-letter": a record whose last retry fails while the breaker is open or still testing recovery is held; one
 * whose retries run out while the breaker is closed (too few calls to judge an outage) is dead-lettered, as
 * docs/contract.md, "Errors and retries", says for exhausted retries.
 *
 * <p>Breaker settings are small so the test is quick: window of 10 calls, judged from 5, open for 1 s, 5 trial
 * calls when half-open; 3 attempts per record.
 */
class WorkerOutageIT {

    private static final int HALF_OPEN_CALLS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    /** One breaker state change and how many requests the simulator had received by then. */
    private record Transition(State from, State to, long requestsReceived) {
        boolean is(State fromState, State toState) {
            return from == fromState && to == toState;
        }
    }

    @Test
    void shouldPauseAndHoldRecordsDuringAnOutageThenCreateEachExactlyOnce() {
        try (WorkerHarness harness = WorkerHarness.start(6, simulator -> simulator
                .latency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(30))))) {
            Worker worker = startWorker(harness);
            List<Transition> transitions = watchBreaker(harness, worker);
            WorkerHarness.OutcomeReader reader = harness.outcomeReader();
            harness.publishBatch(signups("before", 10));
            awaitSettled(reader, worker, 10);

            harness.simulator().outage(true);
            harness.publishBatch(signups("during", 60));
            await().atMost(TIMEOUT).until(() -> worker.intake().pausedPartitions() == 6);
            harness.publishBatch(signups("paused", 20));
            await().atMost(TIMEOUT).until(() -> count(transitions, t -> t.is(State.HALF_OPEN, State.OPEN)) >= 2);
            harness.simulator().outage(false);
            WorkerHarness.Outcomes outcomes = awaitSettled(reader, worker, 90);

            assertThat(outcomes.deadLetters()).isEmpty();
            assertThat(outcomes.failed()).isEmpty();
            assertThat(outcomes.created()).extracting(BillingSessionCreated::getEventId)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 90).mapToObj(i -> i < 10 ? "evt_before_" + i
                            : i < 70 ? "evt_during_" + (i - 10) : "evt_paused_" + (i - 70)).toList());
            assertThat(harness.simulator().ordersCreated()).isEqualTo(90);
            for (BillingSessionCreated created : outcomes.created()) {
                assertThat(created.getAttempts()).as("attempts of %s", created.getEventId())
                        .isEqualTo(harness.simulator().requestsFor(created.getOrderId()).size());
            }
            assertThat(outcomes.created()).filteredOn(created -> created.getEventId().startsWith("evt_during_"))
                    .extracting(BillingSessionCreated::getAttempts).anyMatch(attempts -> attempts >= 2);
            assertBreakerCycles(transitions);
            await().atMost(TIMEOUT).until(() -> worker.intake().pausedPartitions() == 0);
        }
    }

    @Test
    void shouldHoldARecordWhoseLastRetryFailsWhileTheBreakerIsOpenOrTesting() {
        try (WorkerHarness harness = WorkerHarness.start(1)) {
            Worker worker = startWorker(harness);
            List<Transition> transitions = watchBreaker(harness, worker);
            WorkerHarness.OutcomeReader reader = harness.outcomeReader();
            harness.publishBatch(signups("ok", 2));
            awaitSettled(reader, worker, 2);
            SubscriptionSignup boundary = signup("boundary", "ord_boundary");

            harness.simulator().outage(true);
            harness.publish(boundary);
            await().atMost(TIMEOUT).until(() -> !reader.read().deadLetters().isEmpty()
                    || count(transitions, t -> t.is(State.HALF_OPEN, State.OPEN)) >= 1);
            harness.simulator().outage(false);
            WorkerHarness.Outcomes outcomes = awaitSettled(reader, worker, 3);

            assertThat(outcomes.deadLetters()).isEmpty();
            assertThat(outcomes.failed()).isEmpty();
            assertThat(outcomes.created()).extracting(BillingSessionCreated::getEventId)
                    .containsExactlyInAnyOrder("evt_ok_0", "evt_ok_1", "evt_boundary");
            // Two successes, then the record's third failure was the fifth call: the breaker opened on it.
            assertThat(transitions.get(0)).isEqualTo(new Transition(State.CLOSED, State.OPEN, 5));
            // Then, alone in half-open, it used up three attempts on trial calls before the breaker decided.
            assertThat(transitions.get(1).is(State.OPEN, State.HALF_OPEN)).isTrue();
            assertThat(transitions.get(2)).isEqualTo(
                    new Transition(State.HALF_OPEN, State.OPEN, 5 + HALF_OPEN_CALLS));
            BillingSessionCreated created = outcomes.created().stream()
                    .filter(value -> value.getEventId().equals("evt_boundary")).findFirst().orElseThrow();
            int requests = harness.simulator().requestsFor("ord_boundary").size();
            assertThat(created.getAttempts()).isEqualTo(requests);
            assertThat(requests).isGreaterThanOrEqualTo(3 + HALF_OPEN_CALLS + 1);
        }
    }

    @Test
    void shouldDeadLetterARecordWhoseRetriesRunOutBeforeTheBreakerHasEnoughCallsToJudge() {
        try (WorkerHarness harness = WorkerHarness.start(1)) {
            Worker worker = startWorker(harness);
            List<Transition> transitions = watchBreaker(harness, worker);
            WorkerHarness.OutcomeReader reader = harness.outcomeReader();

            harness.simulator().outage(true);
            harness.publish(signup("early", "ord_early"));
            WorkerHarness.Outcomes outcomes = awaitSettled(reader, worker, 1);

            assertThat(outcomes.created()).isEmpty();
            assertThat(outcomes.failed()).isEmpty();
            assertThat(outcomes.deadLetters()).hasSize(1);
            ConsumerRecord<byte[], byte[]> dead = outcomes.deadLetters().get(0);
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("sub_early");
            assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("RETRIES_EXHAUSTED");
            assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.ATTEMPTS)).isEqualTo("3");
            assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.HTTP_STATUS)).isEqualTo("503");
            assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo(
                    "HTTP 503 status=error error_code=Service Unavailable error_message=Simulated outage");
            assertThat(harness.simulator().requestsFor("ord_early")).hasSize(3);
            assertThat(worker.gateway().breakerStates()).isEqualTo(Map.of(WorkerHarness.MERCHANT, State.CLOSED));
            assertThat(transitions).isEmpty();
        }
    }

    private static Worker startWorker(WorkerHarness harness) {
        harness.set("retry.max-attempts", "3")
                .set("breaker.window-calls", "10")
                .set("breaker.minimum-calls", "5")
                .set("breaker.failure-rate-percent", "50")
                .set("breaker.open-wait-ms", "1000")
                .set("breaker.half-open-calls", Integer.toString(HALF_OPEN_CALLS));
        return harness.startWorker();
    }

    private static List<Transition> watchBreaker(WorkerHarness harness, Worker worker) {
        List<Transition> transitions = new CopyOnWriteArrayList<>();
        worker.gateway().addBreakerStateListener((merchant, from, to) ->
                transitions.add(new Transition(from, to, harness.simulator().requestsReceived())));
        return transitions;
    }

    /**
     * The breaker went CLOSED -> OPEN, then alternated OPEN -> HALF_OPEN -> OPEN while the outage lasted, and closed
     * from HALF_OPEN once it ended. A failed half-open period takes exactly {@value #HALF_OPEN_CALLS} trial results,
     * so from the first half-open period to the end of the last failed one the simulator must have received at most
     * that many requests per failed period: none while open. (Requests permitted before the breaker first opened may
     * still arrive after it opened, so the first open period is not counted; a trial request racing the listener of
     * OPEN -> HALF_OPEN can only lower the count.)
     */
    private static void assertBreakerCycles(List<Transition> transitions) {
        assertThat(transitions.get(0).is(State.CLOSED, State.OPEN)).as("first transition %s", transitions).isTrue();
        assertThat(transitions.get(transitions.size() - 1).is(State.HALF_OPEN, State.CLOSED))
                .as("last transition %s", transitions).isTrue();
        for (int i = 1; i < transitions.size(); i++) {
            assertThat(transitions.get(i).from()).as("transition %d of %s", i, transitions)
                    .isEqualTo(transitions.get(i - 1).to());
        }
        Transition firstHalfOpen = transitions.get(1);
        Transition lastReopen = transitions.get(transitions.size() - 2);
        long failedTrials = count(transitions, t -> t.is(State.HALF_OPEN, State.OPEN));
        assertThat(firstHalfOpen.is(State.OPEN, State.HALF_OPEN)).as("%s", transitions).isTrue();
        assertThat(lastReopen.is(State.OPEN, State.HALF_OPEN)).as("%s", transitions).isTrue();
        Transition lastFailedTrial = transitions.get(transitions.size() - 3);
        assertThat(lastFailedTrial.is(State.HALF_OPEN, State.OPEN)).as("%s", transitions).isTrue();
        assertThat(lastFailedTrial.requestsReceived() - firstHalfOpen.requestsReceived())
                .as("requests from the first half-open period to the last failed trial, %s", transitions)
                .isLessThanOrEqualTo(failedTrials * HALF_OPEN_CALLS);
    }

    private static WorkerHarness.Outcomes awaitSettled(WorkerHarness.OutcomeReader reader, Worker worker,
            int expected) {
        await().atMost(TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(50))
                .until(reader::read, outcomes -> outcomes.total() >= expected && worker.intake().buffered() == 0);
        return reader.read();
    }

    private static long count(List<Transition> transitions, Predicate<Transition> which) {
        return transitions.stream().filter(which).count();
    }

    private static List<SubscriptionSignup> signups(String name, int count) {
        List<SubscriptionSignup> signups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            signups.add(signup(name + "_" + i, null));
        }
        return signups;
    }

    private static SubscriptionSignup signup(String name, String orderId) {
        SubscriptionSignup signup = DemoSignups.seedShape("sub_" + name, "evt_" + name, null, null, Instant.now());
        signup.setOrderId(orderId);
        return signup;
    }
}
