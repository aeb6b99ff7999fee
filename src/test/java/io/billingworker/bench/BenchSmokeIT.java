package io.billingworker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code bench --quick} profile end to end: a real broker process, the simulator, the worker and the naive
 * baseline as processes. Checks only that the harness works (table printed, JSON written, every signup accounted
 * for with zero lost); no timing is asserted, since the machine running the test decides the figures.
 */
class BenchSmokeIT {

    @TempDir
    Path out;

    @Test
    void shouldRunTheQuickProfileAndAccountForEverySignup() throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BenchCommand command = new BenchCommand(new PrintStream(console, true, StandardCharsets.UTF_8));

        int exitCode = new CommandLine(command).execute("--quick", "--out", out.toString());

        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(exitCode).isZero();
        assertThat(printed).contains("| run | N | X ev/s |").contains("| goal | measured | status |");
        assertThat(out.resolve("bench.md")).content(StandardCharsets.UTF_8).contains("| run | N | X ev/s |");
        JsonNode report = new ObjectMapper().readTree(Files.readString(out.resolve("bench.json")));
        List<String> modes = new ArrayList<>();
        for (JsonNode run : report.path("throughput")) {
            modes.add(run.path("scenario").path("mode").asText() + "/" + run.path("scenario").path("exactlyOnce"));
            assertThat(run.path("outcomes").path("lost").asInt(-1)).as(run.path("label").asText()).isZero();
            assertThat(run.path("outcomes").path("withOutcome").asInt())
                    .isEqualTo(run.path("events").asInt())
                    .isPositive();
        }
        assertThat(modes).containsExactly("worker/false", "worker/true", "naive/false");
        assertThat(report.path("latency")).hasSize(2);
        assertThat(report.path("memory")).hasSize(1);
        assertThat(report.path("outages")).hasSize(1);
        assertThat(report.path("allOutcomes").path("lost").asInt(-1)).isZero();
        assertThat(report.path("allOutcomes").path("events").asInt()).isPositive();
    }
}
