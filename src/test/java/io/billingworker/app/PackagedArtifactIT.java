package io.billingworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.testsupport.WorkerHarness;
import io.billingworker.testsupport.WorkerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifact {@code ./mvnw package} leaves in {@code target/}, started as an operator starts it:
 * {@code java -jar target/billing-session-worker-<version>.jar}, its class path from the manifest ({@code lib/}
 * beside it), nothing from the build's test class path.
 */
class PackagedArtifactIT {

    private static final Path JAR = Path.of(System.getProperty("packaged.jar",
            "target/billing-session-worker-0.1.0-SNAPSHOT.jar"));
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(60);
    private static final String CREATED = "billing_outcomes_total{kind=\"created\"";

    @TempDir
    Path directory;

    @Test
    void shouldListTheProductionCommandsOnHelp() throws Exception {
        Result help = runJar("--help");

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: billing-session-worker", "run ", "config-reference",
                "config-dump", "replay", "dlt", "metrics-reference");
        assertThat(help.output()).doesNotContain("demo", "simulator", "produce-samples", "bench");
    }

    @Test
    void shouldRefuseAnInMemoryRegistryInRun() throws Exception {
        Path config = directory.resolve("mock.properties");
        Files.writeString(config, """
                schema.registry.url=mock://anything
                merchants.ids=m1
                merchants.default=m1
                merchants.m1.payment-page-client-id=client-1
                merchants.m1.api-key-env=M1_KEY
                """);

        Result run = runJar("run", "--config", config.toString());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("invalid configuration:\n  schema.registry.url: an in-memory registry loses"
                + " every schema on restart and is for demo and tests only; run needs a Confluent-compatible registry"
                + " such as http://schema-registry:8081 (was 'mock://anything')");
    }

    /**
     * Also proves the runtime class path complete (a signup goes through decode, call, publish and every meter) and
     * {@code outcome.sdk-payload=omit} wired: the simulator answers with an {@code sdk_payload}, the outcome has none.
     */
    @Test
    void shouldRunAgainstTheTestBrokerUntilReadyAndStopCleanlyOnSigterm() throws Exception {
        int port = LoopbackPorts.pickFree(1).getFirst();
        try (WorkerHarness harness = WorkerHarness.start(3)) {
            harness.set("ops.host", "127.0.0.1").set("ops.port", Integer.toString(port))
                    .set("outcome.sdk-payload", "omit");
            Path config = harness.writeConfigFile(directory.resolve("worker.properties"));
            try (WorkerProcess worker = WorkerProcess.builder(config).environment(harness.workerEnvironment())
                    .packagedJar(JAR).outputFile(directory.resolve("worker.log")).start()) {

                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> !worker.isAlive() || status(port, "/health/ready") == 200);
                harness.publish(List.of(DemoSignups.seedShape("sub_packaged", "evt_packaged", null, null,
                        Instant.now())));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> !worker.isAlive() || get(port, "/metrics").body().contains(CREATED));
                String metrics = get(port, "/metrics").body();
                worker.terminate();
                int exit = worker.awaitExit(Duration.ofSeconds(40));
                WorkerHarness.Outcomes outcomes = harness.awaitOutcomes(1, Duration.ofSeconds(30));

                assertThat(worker.output()).as(worker.outputTail()).contains(WorkerProcess.ASSIGNED);
                assertThat(metrics).contains(CREATED, "billing_events_consumed_total 1.0",
                        "juspay_session_call_seconds_bucket", "billing_outcome_latency_seconds_bucket",
                        "resilience4j_circuitbreaker_state", "kafka_consumer_coordinator_assigned_partitions");
                assertThat(exit).as(worker.outputTail()).isZero();
                assertThat(outcomes.created()).singleElement().satisfies(created -> {
                    assertThat(created.getEventId()).isEqualTo("evt_packaged");
                    assertThat(created.getPaymentLinkWeb()).startsWith("http");
                    assertThat(created.getSdkPayloadJson()).as("outcome.sdk-payload=omit").isNull();
                });
                assertThat(worker.output()).doesNotContain(harness.apiKey());
            }
        }
    }

    private int status(int port, String path) {
        try {
            return get(port, path).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private Result runJar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(directory, "jar-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("BILLING_"));
        Process process = builder.start();
        try {
            if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("java -jar " + String.join(" ", args) + " did not end within "
                        + PROCESS_TIMEOUT + ": " + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private record Result(int exitCode, String output) {
    }
}
