package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.app.DemoSignups;
import io.billingworker.app.Worker;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.simulator.ReceivedRequest;
import io.billingworker.testsupport.WorkerHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Per-key ordering under concurrency, through the production worker on a real broker: many events on a few keys
 * mixed with many single-event keys, six partitions, up to 64 calls in flight and a simulator answering after a
 * random 5-60 ms. For every key the simulator receives the events, and the created topic holds their outcomes, in
 * the input's offset order, while calls for different keys overlap.
 */
class WorkerOrderingIT {

    private static final int PARTITIONS = 6;
    private static final int MAX_IN_FLIGHT = 64;
    private static final int HOT_KEYS = 12;
    private static final int EVENTS_PER_HOT_KEY = 50;
    private static final int SINGLE_EVENT_KEYS = 300;
    private static final int EVENTS = HOT_KEYS * EVENTS_PER_HOT_KEY + SINGLE_EVENT_KEYS;

    @Test
    void shouldKeepEveryKeysInputOrderWhileCallingDifferentKeysConcurrently() {
        try (WorkerHarness harness = WorkerHarness.start(PARTITIONS, simulator -> simulator
                .latency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(60)))
                .seed(20_251_123L))) {
            harness.set("processing.max-in-flight", Integer.toString(MAX_IN_FLIGHT));
            List<SubscriptionSignup> signups = signupsInPublishOrder();
            Map<String, List<Integer>> expectedByKey = sequencesByKey(signups);
            Worker worker = harness.startWorker();
            WorkerHarness.OutcomeReader reader = harness.outcomeReader();

            harness.publishBatch(signups);
            await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(100))
                    .until(reader::read, outcomes -> outcomes.total() >= EVENTS && worker.intake().buffered() == 0);
            WorkerHarness.Outcomes outcomes = reader.read();

            assertThat(outcomes.failed()).isEmpty();
            assertThat(outcomes.deadLetters()).isEmpty();
            assertThat(outcomes.created()).extracting(BillingSessionCreated::getEventId)
                    .containsExactlyInAnyOrderElementsOf(signups.stream().map(SubscriptionSignup::getEventId).toList());
            Map<String, List<Integer>> receivedByKey = harness.simulator().requests().stream()
                    .collect(Collectors.groupingBy(WorkerOrderingIT::subscriptionOf, LinkedHashMap::new,
                            Collectors.mapping(request -> Integer.valueOf(request.body().path("udf6").asText()),
                                    Collectors.toList())));
            assertThat(receivedByKey).isEqualTo(expectedByKey);
            Map<String, List<Integer>> createdByKey = outcomes.created().stream()
                    .collect(Collectors.groupingBy(BillingSessionCreated::getSubscriptionId, LinkedHashMap::new,
                            Collectors.mapping(created -> sequenceOf(created.getEventId()), Collectors.toList())));
            assertThat(createdByKey).isEqualTo(expectedByKey);
            assertThat(outcomes.created()).extracting(BillingSessionCreated::getAttempts).containsOnly(1);
            assertThat(harness.simulator().peakInFlight()).isBetween(MAX_IN_FLIGHT / 4, MAX_IN_FLIGHT);
        }
    }

    /**
     * Hot keys' events and single-event keys shuffled together; each event carries its publish position as
     * {@code udf.udf6} and in its event id.
     */
    private static List<SubscriptionSignup> signupsInPublishOrder() {
        List<String> keys = new ArrayList<>();
        for (int key = 0; key < HOT_KEYS; key++) {
            for (int event = 0; event < EVENTS_PER_HOT_KEY; event++) {
                keys.add("sub_hot_" + key);
            }
        }
        for (int key = 0; key < SINGLE_EVENT_KEYS; key++) {
            keys.add("sub_single_" + key);
        }
        Collections.shuffle(keys, new Random(7));
        Instant now = Instant.now();
        List<SubscriptionSignup> signups = new ArrayList<>();
        for (int sequence = 0; sequence < keys.size(); sequence++) {
            SubscriptionSignup signup = DemoSignups.seedShape(keys.get(sequence), "evt_" + sequence, null, null, now);
            signup.setUdf(Map.of("udf6", Integer.toString(sequence)));
            signups.add(signup);
        }
        return signups;
    }

    /** Each key's sequence numbers in publish order, which is offset order within the key's partition. */
    private static Map<String, List<Integer>> sequencesByKey(List<SubscriptionSignup> signups) {
        return signups.stream().collect(Collectors.groupingBy(SubscriptionSignup::getSubscriptionId,
                LinkedHashMap::new, Collectors.mapping(signup -> sequenceOf(signup.getEventId()), Collectors.toList())));
    }

    private static int sequenceOf(String eventId) {
        return Integer.parseInt(eventId.substring("evt_".length()));
    }

    /** The subscription id behind a request: the billing sample shape's customer id is {@code cth_<subscription id>}. */
    private static String subscriptionOf(ReceivedRequest request) {
        return request.body().path("customer_id").asText().substring("cth_".length());
    }
}
