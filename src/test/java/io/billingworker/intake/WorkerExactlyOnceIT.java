package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.app.Worker;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.testsupport.WorkerHarness;
import io.billingworker.testsupport.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process killed mid-stream (SIGKILL: no shutdown hook, no commit, no abort), then a new worker in the
 * same group. With {@code processing.guarantee=exactly-once} a {@code read_committed} consumer sees each outcome
 * exactly once although the restarted worker called {@code /session} again for the records the dead one had not
 * committed. The same crash under at-least-once loses nothing and repeats only records past the committed
 * position; how many it repeats is measured and logged.
 */
class WorkerExactlyOnceIT {

    private static final Logger log = LoggerFactory.getLogger(WorkerExactlyOnceIT.class);
    private static final int KEYS = 150;
    private static final int SEQS = 8;
    private static final int EVENTS = KEYS * SEQS;

    @TempDir
    Path directory;

    @Test
    void shouldShowEachOutcomeExactlyOnceToReadCommittedConsumersAcrossAKilledWorker() {
        try (WorkerHarness harness = harness("exactly-once")) {
            // The killed producer's open transaction holds back read_committed consumers until the broker aborts
            // it: a short transaction timeout keeps that wait short.
            harness.set("kafka.producer.transaction.timeout.ms", "3000");

            Crash crash = killAndRestart(harness, "eo");

            log.info("exactly-once crash: {} events, {} /session calls, committed outcomes {}, repeated events {}",
                    EVENTS, harness.simulator().requestsReceived(), crash.after().outcomes().created().size(),
                    crash.after().duplicated().size());
            assertThat(harness.simulator().requestsReceived()).isGreaterThan(EVENTS);
            assertThat(crash.after().events()).containsExactlyInAnyOrderElementsOf(crash.events());
            assertThat(crash.after().duplicated()).isEmpty();
            assertThat(crash.after().outcomes().created()).hasSize(EVENTS);
            assertThat(crash.after().outcomes().failed()).isEmpty();
            assertThat(crash.after().outcomes().deadLetters()).isEmpty();
            assertThat(harness.simulator().ordersCreated()).isEqualTo(EVENTS);
        }
    }

    @Test
    void shouldRepeatOnlyRecordsPastTheCommittedPositionWhenAnAtLeastOnceWorkerIsKilled() {
        try (WorkerHarness harness = harness("at-least-once")) {

            Crash crash = killAndRestart(harness, "al");

            Set<String> pastCommit = crash.events().stream()
                    .filter(eventId -> crash.position(eventId).offset()
                            >= crash.committedAtKill().getOrDefault(crash.position(eventId).partition(), 0L))
                    .collect(Collectors.toCollection(TreeSet::new));
            log.info("at-least-once crash: {} events, {} /session calls, {} outcomes, {} events repeated "
                    + "({} extra outcomes); {} events were past the committed position {} at the kill",
                    EVENTS, harness.simulator().requestsReceived(), crash.after().outcomes().created().size(),
                    crash.after().duplicated().size(), crash.after().extraOutcomes(), pastCommit.size(),
                    crash.committedAtKill());
            assertThat(crash.after().events()).containsExactlyInAnyOrderElementsOf(crash.events());
            assertThat(pastCommit).containsAll(crash.after().duplicated().keySet());
            assertThat(crash.after().outcomes().failed()).isEmpty();
            assertThat(crash.after().outcomes().deadLetters()).isEmpty();
            assertThat(harness.simulator().ordersCreated()).isEqualTo(EVENTS);
        }
    }

    private static WorkerHarness harness(String guarantee) {
        return WorkerHarness.start(6, simulator -> simulator
                        .latency(LatencyModel.uniform(Duration.ofMillis(30), Duration.ofMillis(120))).seed(11))
                .set("processing.guarantee", guarantee)
                .set("processing.max-in-flight", "64")
                // A killed member leaves the group only when its session expires: keep that short.
                .set("kafka.consumer.session.timeout.ms", "6000")
                .set("kafka.consumer.heartbeat.interval.ms", "1000");
    }

    /** Runs a worker process until it has made a few hundred calls, kills it, and finishes with a new worker. */
    private Crash killAndRestart(WorkerHarness harness, String run) {
        List<SubscriptionSignup> signups = LifecycleSignups.interleaved(run, KEYS, 1, SEQS);
        List<RecordMetadata> metadata = harness.publishAll(signups);
        Map<String, RecordMetadata> positions = new HashMap<>();
        for (int i = 0; i < signups.size(); i++) {
            positions.put(signups.get(i).getEventId(), metadata.get(i));
        }
        WorkerProcess process = harness.startWorkerProcess(directory);
        process.awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(60)).until(() -> harness.simulator().requestsReceived() >= 300);
        process.kill();
        Map<Integer, Long> committedAtKill = harness.committedOffsets();
        Worker restarted = harness.startWorker();
        Set<String> events = positions.keySet();
        OutcomeLedger.awaitEvents(harness, events, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> restarted.intake().buffered() == 0);
        restarted.close();
        return new Crash(Set.copyOf(events), positions, committedAtKill, OutcomeLedger.read(harness));
    }

    private record Crash(Set<String> events, Map<String, RecordMetadata> positions,
            Map<Integer, Long> committedAtKill, OutcomeLedger after) {

        RecordMetadata position(String eventId) {
            return positions.get(eventId);
        }
    }
}
