package io.billingworker.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The simulator as its own process: keys from the environment, serves, and stops cleanly on SIGTERM. */
class SimulatorCommandProcessIT {

    private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @Test
    void shouldServeAndStopCleanlyOnSigterm() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                SimulatorCommand.class.getName(), "--latency-ms", "5");
        builder.environment().put(SimulatorCommand.KEYS_ENV, SimulatorClient.MERCHANT + ":" + SimulatorClient.API_KEY);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        try (BufferedReader stdout = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String first = stdout.readLine();
            Matcher url = URL.matcher(String.valueOf(first));
            assertThat(url.find()).as("first line: " + first).isTrue();
            HttpResponse<String> response;
            try (HttpClient http = HttpClient.newHttpClient()) {
                response = http.send(SimulatorClient.request(URI.create(url.group(1) + "/session"),
                        SeedRequests.session("proc-1").toString(), SimulatorClient.goodHeaders(),
                        Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
            }

            process.toHandle().destroy();

            assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(stdout.readLine()).isEqualTo("Session simulator stopped.");
        } finally {
            process.destroyForcibly();
        }
    }
}
