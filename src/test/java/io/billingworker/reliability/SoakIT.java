package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.testsupport.ApicurioRegistry;
import io.billingworker.testsupport.KafkaFixture;
import io.billingworker.testsupport.WorkerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak: the worker as a {@code run} process under steady load (default 100 signups/s over 1,000 keys against the
 * simulator with 5-40 ms latency), sampled after warm-up, every tenth of the run and once the backlog has drained: heap
 * in use after a full GC, threads, file descriptors, open sockets and RSS. The figures are printed and written to
 * {@code target/soak.md}; the test asserts only that no signup was lost (timing and resource figures vary too much on
 * a shared machine to gate CI on).
 *
 * <p>CI runs 60 s. The full soak: {@code ./mvnw -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=SoakIT -Dreliability.soak-seconds=600}.
 */
class SoakIT {

    private static final int SECONDS = Integer.getInteger("reliability.soak-seconds", 60);
    private static final int RATE = Integer.getInteger("reliability.soak-rate", 100);
    private static final int KEYS = 1_000;
    private static final int WARM_UP_SECONDS = Math.max(10, SECONDS / 10);

    @TempDir
    Path directory;

    @Test
    void shouldKeepResourcesFlatAndLoseNothingUnderSteadyLoad() throws Exception {
        try (FaultRig rig = new FaultRig(KafkaFixture.shared().bootstrapServers(), ApicurioRegistry.shared().url(), 6,
                simulator -> simulator.latency(FaultMatrixIT.latency()))) {
            WorkerProcess worker = rig.startProcess(directory);
            worker.awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
            List<String> rows = new ArrayList<>();
            int total = (WARM_UP_SECONDS + SECONDS) * RATE;
            List<SubscriptionSignup> signups = ScenarioDriver.signups("sk", total, KEYS);
            long start = System.nanoTime();
            int sent = 0;
            ProcessProbe.Sample first = null;
            int nextSample = WARM_UP_SECONDS;
            while (sent < total) {
                long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                int due = (int) Math.min(total, (System.nanoTime() - start) * RATE / 1_000_000_000L);
                while (sent < due) {
                    rig.send(signups.get(sent++));
                }
                if (elapsedSeconds >= nextSample) {
                    ProcessProbe.Sample sample = ProcessProbe.sample(worker.pid());
                    if (first == null) {
                        first = sample;
                    }
                    rows.add(sample.row((elapsedSeconds - WARM_UP_SECONDS) + " s"));
                    nextSample += Math.max(6, SECONDS / 10);
                }
                Thread.sleep(10);
            }
            rig.flush();
            OutcomeLedger.Snapshot outcomes;
            try (OutcomeLedger ledger = rig.ledger()) {
                outcomes = ledger.await(total, Duration.ofMinutes(5), Duration.ofSeconds(3));
            }
            ProcessProbe.Sample last = ProcessProbe.sample(worker.pid());
            rows.add(last.row("end (drained)"));
            report(total, rows, outcomes);

            assertThat(outcomes.lost(signups.stream().map(SubscriptionSignup::getEventId).toList()))
                    .as("signups without an outcome").isEmpty();
            assertThat(worker.isAlive()).isTrue();
            assertThat(first).isNotNull();
        }
    }

    private static void report(int total, List<String> rows, OutcomeLedger.Snapshot outcomes) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(String.format("Soak: %d s at %d signups/s after %d s warm-up, %d signups, %d outcomes "
                        + "(%d duplicates)%n%n", SECONDS, RATE, WARM_UP_SECONDS, total, outcomes.all().size(),
                outcomes.duplicates()));
        text.append("| after warm-up | heap after GC | threads | file descriptors | sockets | RSS |\n");
        text.append("|---|---|---|---|---|---|\n");
        rows.forEach(row -> text.append(row).append('\n'));
        System.out.println(text);
        Path file = Path.of("target", "soak.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
