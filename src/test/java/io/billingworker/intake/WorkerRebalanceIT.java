package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.app.Worker;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.testsupport.WorkerHarness;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second worker joins the group mid-stream and later the first one leaves: the six partitions are shared and
 * handed back, no event is lost, and each subscription's outcomes keep the order of its events. A key's outcomes
 * may only start again from an earlier event where its partition changed hands (at-least-once), never skip ahead
 * or interleave.
 */
class WorkerRebalanceIT {

    private static final Logger log = LoggerFactory.getLogger(WorkerRebalanceIT.class);
    private static final String RUN = "rb";
    private static final int KEYS = 240;
    private static final int SEQS = 12;

    @Test
    void shouldShareAndHandBackPartitionsWithoutLossKeepingEachSubscriptionsOrder() {
        try (WorkerHarness harness = WorkerHarness.start(6, simulator -> simulator
                .latency(LatencyModel.uniform(Duration.ofMillis(20), Duration.ofMillis(80))).seed(7));
                AssignmentLog assignments = AssignmentLog.attach()) {
            harness.set("processing.max-in-flight", "32");
            List<SubscriptionSignup> firstHalf = LifecycleSignups.interleaved(RUN, KEYS, 1, SEQS / 2);
            List<SubscriptionSignup> secondHalf = LifecycleSignups.interleaved(RUN, KEYS, SEQS / 2 + 1, SEQS);
            Map<String, TopicPartition> partitionOfKey = new HashMap<>();
            Worker first = harness.startWorker();
            notePartitions(partitionOfKey, firstHalf, harness.publishAll(firstHalf), harness);
            await().atMost(Duration.ofSeconds(60)).until(() -> harness.simulator().requestsReceived() >= 300);

            Worker second = harness.startWorker();
            await().atMost(Duration.ofSeconds(60)).until(() -> sharedByTwo(harness.groupAssignment()));
            Map<String, List<Integer>> shared = harness.groupAssignment();
            double firstBeforeSharing = outcomes(harness, first);
            notePartitions(partitionOfKey, secondHalf, harness.publishAll(secondHalf), harness);
            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes(harness, second) >= 200
                    && outcomes(harness, first) >= firstBeforeSharing + 200);
            first.close();
            await().atMost(Duration.ofSeconds(60)).until(() -> heldByOne(harness.groupAssignment()));
            Map<String, List<Integer>> handedBack = harness.groupAssignment();
            Set<String> allEvents = new HashSet<>();
            firstHalf.forEach(signup -> allEvents.add(signup.getEventId()));
            secondHalf.forEach(signup -> allEvents.add(signup.getEventId()));
            OutcomeLedger.awaitEvents(harness, allEvents, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> second.intake().buffered() == 0);
            OutcomeLedger ledger = OutcomeLedger.read(harness);

            log.info("rebalance: {} events, shared as {}, handed back as {}; first worker {} outcomes, second {}; "
                    + "{} events repeated ({} extra outcomes)", allEvents.size(), shared.values(),
                    handedBack.values(), outcomes(harness, first), outcomes(harness, second),
                    ledger.duplicated().size(), ledger.extraOutcomes());
            assertThat(shared.values()).allSatisfy(partitions -> assertThat(partitions).isNotEmpty());
            assertThat(shared.values().stream().mapToInt(List::size).sum()).isEqualTo(6);
            assertThat(handedBack.values()).containsExactly(List.of(0, 1, 2, 3, 4, 5));
            assertThat(outcomes(harness, first)).isGreaterThanOrEqualTo(firstBeforeSharing + 200);
            assertThat(outcomes(harness, second)).isGreaterThanOrEqualTo(200);
            assertThat(ledger.outcomes().failed()).isEmpty();
            assertThat(ledger.outcomes().deadLetters()).isEmpty();
            assertThat(ledger.events()).containsExactlyInAnyOrderElementsOf(allEvents);
            ledger.sequencesByKey().forEach((key, sequence) -> assertKeyOrder(key, sequence,
                    assignments.assignments(partitionOfKey.get(LifecycleSignups.subscriptionId(RUN, key)))));
        }
    }

    /**
     * A key's outcomes start at its first event and go up one by one; they may start again from an earlier event
     * (a replay of records past the committed position), at most once per later assignment of its partition.
     */
    private static void assertKeyOrder(int key, List<Integer> sequence, int assignmentsOfPartition) {
        List<Integer> restarts = new ArrayList<>();
        for (int i = 1; i < sequence.size(); i++) {
            int previous = sequence.get(i - 1);
            int current = sequence.get(i);
            assertThat(current == previous + 1 || current <= previous)
                    .as("key %d: outcome of event %d follows event %d in %s", key, current, previous, sequence)
                    .isTrue();
            if (current <= previous) {
                restarts.add(i);
            }
        }

        assertThat(sequence.getFirst()).as("key %d starts at its first event: %s", key, sequence).isEqualTo(1);
        assertThat(Set.copyOf(sequence)).as("key %d", key)
                .isEqualTo(IntStream.rangeClosed(1, SEQS).boxed().collect(Collectors.toSet()));
        assertThat(restarts.size()).as("key %d restarts at %s in %s", key, restarts, sequence)
                .isLessThanOrEqualTo(assignmentsOfPartition - 1);
    }

    private static void notePartitions(Map<String, TopicPartition> partitionOfKey, List<SubscriptionSignup> signups,
            List<RecordMetadata> metadata, WorkerHarness harness) {
        for (int i = 0; i < signups.size(); i++) {
            partitionOfKey.put(signups.get(i).getSubscriptionId(),
                    new TopicPartition(harness.topics().input(), metadata.get(i).partition()));
        }
    }

    private static boolean sharedByTwo(Map<String, List<Integer>> assignment) {
        return assignment.size() == 2 && assignment.values().stream().noneMatch(List::isEmpty);
    }

    private static boolean heldByOne(Map<String, List<Integer>> assignment) {
        return assignment.size() == 1 && assignment.values().iterator().next().size() == 6;
    }

    private static double outcomes(WorkerHarness harness, Worker worker) {
        return harness.meters(worker).find("billing.outcomes").counters().stream().mapToDouble(Counter::count).sum();
    }
}
