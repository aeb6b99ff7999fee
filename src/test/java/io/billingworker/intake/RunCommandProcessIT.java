package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.testsupport.WorkerHarness;
import io.billingworker.testsupport.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Main run} as an operator runs it, in its own JVM with the API key in its environment: it processes
 * signups, and on SIGTERM it stops fetching, lets the calls in flight finish (about 300 ms each, well inside the
 * grace period), publishes and commits their outcomes and exits with status 0. A restarted process takes over
 * from the committed position: no call that was in flight at SIGTERM is made again, and no event is lost.
 */
class RunCommandProcessIT {

    private static final Logger log = LoggerFactory.getLogger(RunCommandProcessIT.class);
    private static final String RUN = "rc";
    private static final Duration GRACE = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    @Test
    void shouldDrainCallsInFlightOnSigtermCommitAndExitZeroThenResumeWithoutRepeats() {
        try (WorkerHarness harness = WorkerHarness.start(3, simulator -> simulator
                .latency(LatencyModel.uniform(Duration.ofMillis(250), Duration.ofMillis(350))).seed(3))) {
            harness.set("processing.shutdown-grace-ms", Long.toString(GRACE.toMillis()));
            List<SubscriptionSignup> warmUp = wave(1, 30);
            List<SubscriptionSignup> inFlightAtSigterm = wave(31, 50);
            List<SubscriptionSignup> afterRestart = wave(51, 70);
            WorkerProcess first = harness.startWorkerProcess(directory);
            first.awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
            harness.publishAll(warmUp);
            OutcomeLedger.awaitEvents(harness, eventIds(warmUp), Duration.ofSeconds(60));
            harness.publishAll(inFlightAtSigterm);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> requested(harness, inFlightAtSigterm) == inFlightAtSigterm.size());
            int callsInFlight = harness.simulator().inFlight();

            long sigtermNanos = System.nanoTime();
            first.terminate();
            int firstStatus = first.awaitExit(GRACE.plusSeconds(20));
            Duration stopTook = Duration.ofNanos(System.nanoTime() - sigtermNanos);
            OutcomeLedger atExit = OutcomeLedger.read(harness);
            WorkerProcess second = harness.startWorkerProcess(directory);
            second.awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
            harness.publishAll(afterRestart);
            List<SubscriptionSignup> all = new ArrayList<>(warmUp);
            all.addAll(inFlightAtSigterm);
            all.addAll(afterRestart);
            OutcomeLedger.awaitEvents(harness, eventIds(all), Duration.ofSeconds(60));
            second.terminate();
            int secondStatus = second.awaitExit(GRACE.plusSeconds(20));
            OutcomeLedger ledger = OutcomeLedger.read(harness);

            log.info("run command: {} calls in flight at SIGTERM, exit {} after {} ms; restart exit {}",
                    callsInFlight, firstStatus, stopTook.toMillis(), secondStatus);
            assertThat(callsInFlight).as(first.outputTail()).isGreaterThanOrEqualTo(5);
            assertThat(firstStatus).as(first.outputTail()).isZero();
            assertThat(stopTook).isLessThan(GRACE);
            assertThat(first.output()).contains("worker stopped");
            assertThat(harness.simulator().stats().connectionsDropped()).isZero();
            assertThat(atExit.events()).containsAll(eventIds(inFlightAtSigterm));
            assertThat(secondStatus).as(second.outputTail()).isZero();
            assertThat(ledger.events()).containsExactlyInAnyOrderElementsOf(eventIds(all));
            assertThat(ledger.duplicated()).isEmpty();
            assertThat(ledger.outcomes().failed()).isEmpty();
            assertThat(ledger.outcomes().deadLetters()).isEmpty();
            assertThat(all).allSatisfy(signup -> assertThat(
                    harness.simulator().requestsFor(LifecycleSignups.orderId(signup))).hasSize(1));
            assertThat(first.output() + second.output()).doesNotContain(harness.apiKey());
        }
    }

    /** One event each for subscriptions {@code from}..{@code to}: every call can run at once. */
    private static List<SubscriptionSignup> wave(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(key -> LifecycleSignups.signup(RUN, key, 1)).toList();
    }

    private static long requested(WorkerHarness harness, List<SubscriptionSignup> signups) {
        return signups.stream()
                .filter(signup -> !harness.simulator().requestsFor(LifecycleSignups.orderId(signup)).isEmpty())
                .count();
    }

    private static Set<String> eventIds(List<SubscriptionSignup> signups) {
        return signups.stream().map(SubscriptionSignup::getEventId).collect(Collectors.toSet());
    }
}
