package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.app.Worker;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.simulator.Behaviour;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.testsupport.WorkerHarness;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker stopped gracefully mid-stream and a new worker in the same group: nothing is lost and nothing is processed
 * twice. The graceful stop finishes the calls in flight and the records waiting below them (such as the one queued
 * behind a slow call of its key), so its last commit covers every outcome it published; the next worker starts
 * where it stopped. Each event reaches Juspay with its own order id and one Juspay order.
 */
class WorkerRestartIT {

    private static final Logger log = LoggerFactory.getLogger(WorkerRestartIT.class);
    private static final String RUN = "rs";
    private static final int KEYS = 300;
    private static final int SEQS = 10;
    private static final int SLOW_KEY = 7;
    /** Below the harness's 5 s response timeout, so the slow call is answered, not retried. */
    private static final Duration SLOW_CALL = Duration.ofSeconds(3);

    @Test
    void shouldLoseNothingAndRepeatNothingAfterAGracefulRestart() {
        try (WorkerHarness harness = WorkerHarness.start(6, simulator -> simulator
                .latency(LatencyModel.uniform(Duration.ofMillis(20), Duration.ofMillis(80))).seed(42))) {
            harness.set("processing.max-in-flight", "48")
                    .set("processing.shutdown-grace-ms", "20000");
            List<SubscriptionSignup> signups = LifecycleSignups.interleaved(RUN, KEYS, 1, SEQS);
            // The slow key's first call is still running when the worker stops: the graceful stop waits for it,
            // and then finishes the key's second event, queued behind it below records already started.
            SubscriptionSignup slow = LifecycleSignups.signup(RUN, SLOW_KEY, 1);
            SubscriptionSignup queuedBehindSlow = LifecycleSignups.signup(RUN, SLOW_KEY, 2);
            harness.simulator().script(LifecycleSignups.orderId(slow),
                    Behaviour.delayed(SLOW_CALL, Behaviour.succeed()), Behaviour.succeed());
            Worker first = harness.startWorker();
            List<RecordMetadata> positions = harness.publishAll(signups);
            Map<String, RecordMetadata> positionOf = new HashMap<>();
            for (int i = 0; i < signups.size(); i++) {
                positionOf.put(signups.get(i).getEventId(), positions.get(i));
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !harness.simulator().requestsFor(LifecycleSignups.orderId(slow)).isEmpty());
            long requestsAtSlowCall = harness.simulator().requestsReceived();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> harness.simulator().requestsReceived() >= requestsAtSlowCall + 600);

            first.close();
            Map<Integer, Long> committed = harness.committedOffsets();
            OutcomeLedger beforeRestart = OutcomeLedger.read(harness);
            Set<String> finishedPastCommit = beforeRestart.events().stream()
                    .filter(eventId -> positionOf.get(eventId).offset()
                            >= committed.getOrDefault(positionOf.get(eventId).partition(), 0L))
                    .collect(Collectors.toCollection(TreeSet::new));
            Worker second = harness.startWorker();
            Set<String> allEvents = signups.stream().map(SubscriptionSignup::getEventId).collect(Collectors.toSet());
            OutcomeLedger.awaitEvents(harness, allEvents, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> second.intake().buffered() == 0);
            OutcomeLedger after = OutcomeLedger.read(harness);

            log.info("restart: {} events, first worker finished {} ({} past its committed position {}), "
                    + "{} events repeated after the restart", signups.size(), beforeRestart.events().size(),
                    finishedPastCommit.size(), committed, after.duplicated().size());
            assertThat(beforeRestart.duplicated()).isEmpty();
            assertThat(beforeRestart.events()).hasSizeLessThan(signups.size());
            assertThat(after.outcomes().failed()).isEmpty();
            assertThat(after.outcomes().deadLetters()).isEmpty();
            assertThat(after.events()).containsExactlyInAnyOrderElementsOf(allEvents);
            assertThat(finishedPastCommit).isEmpty();
            assertThat(after.duplicated()).isEmpty();
            assertThat(after.of(slow.getEventId())).hasSize(1);
            assertThat(harness.simulator().requestsFor(LifecycleSignups.orderId(slow))).hasSize(1);
            assertThat(after.of(queuedBehindSlow.getEventId())).hasSize(1);
            assertThat(beforeRestart.of(queuedBehindSlow.getEventId())).hasSize(1);
            assertOneJuspayOrderPerOrderId(harness, after, signups.size());
        }
    }

    /** What a consumer keying on the order id sees: one Juspay order per event, never a second order. */
    private static void assertOneJuspayOrderPerOrderId(WorkerHarness harness, OutcomeLedger ledger, int events) {
        Map<String, Set<String>> juspayIdsByOrderId = ledger.outcomes().created().stream()
                .collect(Collectors.groupingBy(BillingSessionCreated::getOrderId,
                        Collectors.mapping(BillingSessionCreated::getJuspayOrderId, Collectors.toSet())));

        assertThat(juspayIdsByOrderId).hasSize(events);
        assertThat(juspayIdsByOrderId.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(harness.simulator().ordersCreated()).isEqualTo(events);
    }
}
