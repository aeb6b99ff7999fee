package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.simulator.LatencyModel;
import io.billingworker.testsupport.ApicurioRegistry;
import io.billingworker.testsupport.KafkaFixture;
import io.billingworker.testsupport.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker faults with the worker as a separate {@code Main run} process on the real broker and registry: killed with
 * SIGKILL mid-stream and restarted (nothing lost; duplicates only from the uncommitted window, each with the same order
 * id), and stopped with SIGTERM while calls are in flight (clean drain within the grace period, exit status 0, and
 * no duplicate after the next process takes over).
 */
class WorkerProcessFaultIT {

    /** At most the records fetched and not finished, plus what finishes within one commit interval at this rate. */
    private static final int MAX_BUFFERED = 500;
    private static final int DUPLICATE_WINDOW = MAX_BUFFERED + 200;

    @TempDir
    Path directory;

    @Test
    void shouldLoseNothingWhenKilledMidStreamAndRestarted() throws Exception {
        try (FaultRig rig = rig(Duration.ofMillis(20))) {
            rig.set("processing.max-buffered", Integer.toString(MAX_BUFFERED));
            AtomicReference<WorkerProcess> current = new AtomicReference<>(rig.startProcess(directory));
            current.get().awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
            ScenarioDriver.Fault fault = FaultMatrixIT.fault(() -> current.get().kill(),
                    () -> current.set(rig.startProcess(directory)));

            ScenarioDriver.Result result = new ScenarioDriver(rig, "k9").run("Worker: kill -9 mid-stream, restart",
                    FaultMatrixIT.plan(Duration.ofSeconds(2)), fault, () -> current.get().isAlive(),
                    "uncommitted records processed again");

            MatrixAssertions.assertSurvived(result, DUPLICATE_WINDOW);
            assertNoSecretsIn(rig, directory);
        }
    }

    @Test
    void shouldDrainCallsInFlightOnSigtermAndExitCleanly() throws Exception {
        try (FaultRig rig = rig(Duration.ofMillis(300))) {
            AtomicReference<WorkerProcess> current = new AtomicReference<>(rig.startProcess(directory));
            current.get().awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
            AtomicInteger inFlightAtTerm = new AtomicInteger();
            AtomicInteger exitStatus = new AtomicInteger(-1);
            AtomicLong drainMillis = new AtomicLong();
            ScenarioDriver.Fault fault = FaultMatrixIT.fault(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (rig.simulator().inFlight() < 10 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                inFlightAtTerm.set(rig.simulator().inFlight());
                long start = System.nanoTime();
                current.get().terminate();
                exitStatus.set(current.get().awaitExit(Duration.ofSeconds(60)));
                drainMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }, () -> current.set(rig.startProcess(directory)));

            ScenarioDriver.Result result = new ScenarioDriver(rig, "st").run("Worker: SIGTERM with calls in flight",
                    new ScenarioDriver.Plan(1_000, 100, 200, 100, Duration.ofSeconds(1)), fault,
                    () -> current.get().isAlive(), "");
            String drained = "drained " + inFlightAtTerm.get() + " calls in flight, exit " + exitStatus.get() + " after "
                    + drainMillis.get() + " ms";

            MatrixAssertions.assertSurvived(result.withNotes(drained), 0);
            assertThat(inFlightAtTerm.get()).as("calls in flight when SIGTERM came").isGreaterThanOrEqualTo(10);
            assertThat(exitStatus.get()).as("exit status; output:%n%s",
                    java.nio.file.Files.readString(directory.resolve("worker-1.log"))).isZero();
            assertThat(drainMillis.get()).as("drain within the 15 s grace period").isLessThan(15_000);
            assertThat(java.nio.file.Files.readString(directory.resolve("worker-1.log")))
                    .contains("worker stopped").doesNotContain("interrupting them");
            assertNoSecretsIn(rig, directory);
        }
    }

    private static FaultRig rig(Duration latency) {
        return new FaultRig(KafkaFixture.shared().bootstrapServers(), ApicurioRegistry.shared().url(), 6,
                simulator -> simulator.latency(LatencyModel.fixed(latency)));
    }

    /** The worker processes' whole output holds no API key or Authorization value. */
    private static void assertNoSecretsIn(FaultRig rig, Path directory) throws Exception {
        SecretScan scan = SecretScan.forApiKey(rig.apiKey());
        try (var files = java.nio.file.Files.list(directory)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".log")).toList()) {
                scan.findIn(file.getFileName().toString(), java.nio.file.Files.readString(file));
            }
        }
        assertThat(scan.findings()).as("secrets in worker process output").isEmpty();
    }
}
