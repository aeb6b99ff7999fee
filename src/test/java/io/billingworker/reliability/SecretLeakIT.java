package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.app.Worker;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.simulator.FaultSettings;
import io.billingworker.testsupport.WorkerHarness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the bad-input corpus and the API fault scenarios (5xx, 429 with Retry-After, hangs, dropped connections, an
 * outage, connection refused) with every log line of the JVM captured at DEBUG, then proves that no API key, no
 * Authorization value, no customer e-mail and no phone appears in any log line or exception text, in any outcome
 * record (created and failed values, dead-letter keys and headers) or in the metrics. Two places hold contact data
 * by contract and are checked for credentials only: the dead-letter value (the original record byte for byte) and
 * the created outcome's {@code sdk_payload_json} (Juspay's {@code sdk_payload} verbatim, which carries
 * {@code customerEmail} and {@code customerPhone} for the checkout front end).
 */
class SecretLeakIT {

    @Test
    void shouldKeepSecretsAndContactDataOutOfLogsOutcomesAndMetrics() throws IOException {
        List<String> findings = new ArrayList<>();
        try (LogCapture logs = LogCapture.capture()) {
            try (CorpusRun corpus = new CorpusRun()) {
                corpus.run();
                WorkerHarness harness = corpus.harness();
                harness.simulator().errorRate(0.1).rate429(0.05, Duration.ofSeconds(1)).hangRate(0.01).resetRate(0.03);
                List<SubscriptionSignup> faulty = signups("fault", 150);
                harness.publish(faulty);
                awaitOutcomes(harness, corpus.cases().size() + 1 + faulty.size());
                harness.simulator().faults(FaultSettings.NONE).outage(true);
                harness.publish(signups("outage", 30));
                pause(Duration.ofSeconds(3));
                harness.simulator().outage(false);
                awaitOutcomes(harness, corpus.cases().size() + 1 + faulty.size() + 30);
                findings.addAll(scan(harness, corpus.worker(), logs).findings());
            }
            try (WorkerHarness refused = WorkerHarness.start(1)) {
                refused.set("juspay.base-url", "http://127.0.0.1:" + closedPort());
                Worker worker = refused.startWorker();
                refused.publish(signups("refused", 5));
                OutcomeLedger.Snapshot outcomes = awaitOutcomes(refused, 5);
                assertThat(outcomes.all()).extracting(seen -> seen.header(DeadLetterHeaders.REASON))
                        .containsOnly("RETRIES_EXHAUSTED");
                findings.addAll(scan(refused, worker, logs).findings());
            }
            assertThat(logs.lines().size()).as("captured log lines").isGreaterThan(50);
            assertThat(logs.lines().stream().anyMatch(line -> line.contains("goes to dead letter")))
                    .as("a dead-letter decision was logged").isTrue();
        }

        assertThat(findings).as("secrets found").isEmpty();
    }

    private static SecretScan scan(WorkerHarness harness, Worker worker, LogCapture logs) {
        SecretScan scan = SecretScan.forApiKey(harness.apiKey());
        for (String line : logs.lines()) {
            scan.findIn("log line", line);
        }
        try (OutcomeLedger ledger = new OutcomeLedger(harness.kafka().bootstrapServers(), harness.topics(),
                harness.registryUrl())) {
            for (OutcomeLedger.Seen seen : ledger.await(0, Duration.ofSeconds(10), Duration.ofSeconds(1)).all()) {
                scan.findIn(seen.kind() + " key", seen.key());
                scan.findInHeaders(seen.kind().toString(), seen.headers());
                if (seen.kind() == OutcomeLedger.Kind.FAILED) {
                    scan.findIn("failed value", seen.value().toString());
                } else if (seen.kind() == OutcomeLedger.Kind.CREATED) {
                    BillingSessionCreated created = BillingSessionCreated.newBuilder(seen.created()).build();
                    scan.findCredentialsIn("created sdk_payload_json", created.getSdkPayloadJson());
                    created.setSdkPayloadJson(null);
                    scan.findIn("created value", created.toString());
                }
            }
        }
        scan.findIn("metrics", harness.meters(worker).getMetersAsString());
        return scan;
    }

    private static OutcomeLedger.Snapshot awaitOutcomes(WorkerHarness harness, int expected) {
        try (OutcomeLedger ledger = new OutcomeLedger(harness.kafka().bootstrapServers(), harness.topics(),
                harness.registryUrl())) {
            OutcomeLedger.Snapshot snapshot = ledger.await(expected, Duration.ofSeconds(180), Duration.ofSeconds(1));
            assertThat(snapshot.all().size()).as("outcomes").isGreaterThanOrEqualTo(expected);
            return snapshot;
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<SubscriptionSignup> signups(String prefix, int count) {
        List<SubscriptionSignup> signups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            signups.add(CorpusSignups.valid(prefix + "-" + i, prefix.charAt(0) + "o" + i));
        }
        return signups;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
