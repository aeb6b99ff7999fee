package io.billingworker.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The standalone {@code simulator} command: options, keys from the environment, start and stop. */
class SimulatorCommandTest {

    private static final Map<String, String> ENV = Map.of(
            SimulatorCommand.KEYS_ENV, SimulatorClient.MERCHANT + ":" + SimulatorClient.API_KEY + ", merchant2:key2");
    private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldServeUntilStopIsRequested() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CommandLine command = commandLine(ENV, stop);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> command.execute("--shape", "BILLING", "--latency-ms", "1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> URL.matcher(printed()).find());
        Matcher url = URL.matcher(printed());
        assertThat(url.find()).isTrue();
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(SimulatorClient.request(URI.create(url.group(1) + "/session"),
                    SeedRequests.billing("cli-1").toString(), SimulatorClient.goodHeaders(), Duration.ofSeconds(5)),
                    HttpResponse.BodyHandlers.ofString());
        }

        stop.countDown();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(SimulatorClient.json(response).has("sdk_payload")).isFalse();
        assertThat(SimulatorClient.json(response).get("status").asText()).isEqualTo("PENDING_VBV");
        assertThat(printed()).contains("merchants: merchant1, merchant2. Stop with Ctrl-C.")
                .contains("Session simulator stopped.")
                .doesNotContain(SimulatorClient.API_KEY);
        int port = Integer.parseInt(url.group(2));
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldBuildFaultsFromOptions() {
        SimulatorCommand command = new SimulatorCommand(ENV, new PrintStream(out), new CountDownLatch(0));
        new CommandLine(command).parseArgs("--latency-ms", "100", "--latency-p99-ms", "900", "--error-rate", "0.1",
                "--rate-429", "0.2", "--retry-after-s", "3", "--hang-rate", "0.05", "--reset-rate", "0.01");

        try (SessionSimulator simulator = command.builder().start()) {

            FaultSettings faults = simulator.faults();

            assertThat(faults).isEqualTo(new FaultSettings(
                    LatencyModel.logNormal(Duration.ofMillis(100), Duration.ofMillis(900)),
                    0.1, 0.2, Duration.ofSeconds(3), 0.05, 0.01, false));
        }
    }

    @Test
    void shouldUseUniformLatencyWithMax() {
        SimulatorCommand command = new SimulatorCommand(ENV, new PrintStream(out), new CountDownLatch(0));
        new CommandLine(command).parseArgs("--latency-ms", "10", "--latency-max-ms", "50");

        try (SessionSimulator simulator = command.builder().start()) {

            assertThat(simulator.faults().latency())
                    .isEqualTo(LatencyModel.uniform(Duration.ofMillis(10), Duration.ofMillis(50)));
        }
    }

    @Test
    void shouldFailWithoutKeysInTheEnvironment() {
        int exit = commandLine(Map.of(), new CountDownLatch(0)).execute();

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith(
                "SIMULATOR_MERCHANT_KEYS must be set to merchant:apiKey pairs, e.g. merchant1:key1,merchant2:key2");
    }

    @Test
    void shouldNameTheBadEntryWithoutEchoingIt() {
        int exit = commandLine(Map.of(SimulatorCommand.KEYS_ENV, "m1:k1,broken-secret"), new CountDownLatch(0))
                .execute();

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("SIMULATOR_MERCHANT_KEYS entry 2 must be merchant:apiKey")
                .doesNotContain("broken-secret");
    }

    @Test
    void shouldRejectInvalidRate() {
        int exit = commandLine(ENV, new CountDownLatch(0)).execute("--error-rate", "2");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("errorRate must be between 0 and 1, was 2.0");
    }

    @Test
    void shouldRejectBothLatencyShapes() {
        int exit = commandLine(ENV, new CountDownLatch(0))
                .execute("--latency-ms", "1", "--latency-max-ms", "2", "--latency-p99-ms", "3");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("--latency-max-ms and --latency-p99-ms cannot be used together");
    }

    @Test
    void shouldReportPortInUse() {
        try (SessionSimulator taken = SessionSimulator.builder().merchant("m", "k").start()) {

            int exit = commandLine(ENV, new CountDownLatch(0)).execute("--port", Integer.toString(taken.port()));

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).startsWith("cannot start the session simulator on 127.0.0.1:" + taken.port());
        }
    }

    private CommandLine commandLine(Map<String, String> env, CountDownLatch stop) {
        CommandLine command = new CommandLine(new SimulatorCommand(env, new PrintStream(out, true,
                StandardCharsets.UTF_8), stop));
        command.setErr(new PrintWriter(err, true));
        return command;
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
