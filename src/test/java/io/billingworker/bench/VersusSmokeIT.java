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
 * {@code bench --versus} at smoke size end to end: the peer harness built (when needed) and run as processes (stub,
 * load, Parallel Consumer), the packaged worker started as a user starts it, a real broker and Apicurio Registry.
 * Checks only that the harness works: both designs delivered every outcome, the worker exactly one per event, every
 * figure of the table is there, and the ratio and goal lines are written. No timing or ratio is asserted: the machine
 * running the test decides the figures. Every process is stopped by the command itself (also on failure).
 */
class VersusSmokeIT {

    private static final int EVENTS = 2_000;

    @TempDir
    Path out;

    @Test
    void shouldRunBothDesignsSideBySideAndAccountForEveryEvent() throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BenchCommand command = new BenchCommand(new PrintStream(console, true, StandardCharsets.UTF_8));

        int exitCode = new CommandLine(command).execute("--versus", "C=64,N=" + EVENTS, "--versus-timeout", "120",
                "--out", out.toString());

        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(exitCode).isZero();
        assertThat(printed).contains("| C | N | design | X ev/s | eta | worker CPU s | RSS MB | stub CPU s | broker CPU s |");
        JsonNode report = new ObjectMapper().readTree(Files.readString(out.resolve("versus.json")));
        List<String> designs = new ArrayList<>();
        for (JsonNode run : report.path("runs")) {
            String design = run.path("design").asText();
            designs.add(design);
            assertThat(run.path("complete").asBoolean()).as(design).isTrue();
            assertThat(run.path("distinct").asInt()).as(design).isEqualTo(EVENTS);
            assertThat(run.path("lost").asLong(-1)).as(design).isZero();
            for (String figure : List.of("x", "xMiddle", "eta", "cpuSeconds", "rssMb", "stubCpuSeconds",
                    "brokerCpuSeconds", "secondsToLastOutcome", "cpuSecondsToFirstOutcome",
                    "secondsToFirstOutcome")) {
                assertThat(run.path(figure).asDouble()).as(design + " " + figure).isPositive();
            }
        }
        assertThat(designs).containsExactly("Parallel Consumer 0.5.3.3", "this worker");
        JsonNode worker = report.path("runs").get(1);
        assertThat(worker.path("duplicates").asLong(-1)).isZero();
        assertThat(worker.path("note").asText()).isEmpty();
        assertThat(report.path("machine").asText()).contains("cores").contains("JDK").contains("load average");
        String markdown = Files.readString(out.resolve("versus.md"), StandardCharsets.UTF_8);
        assertThat(markdown)
                .contains("| C | N | design | X ev/s | eta | worker CPU s | RSS MB | stub CPU s | broker CPU s |")
                .contains("| 64 | 2,000 | Parallel Consumer 0.5.3.3 |").contains("| 64 | 2,000 | this worker |")
                .contains("C=64 N=2000, worker / PC: X ")
                .contains("worker CPU s ").contains("stub CPU per event ").contains("broker CPU per event ")
                .contains("at C=1024: the five goals").contains("at C=256: the two goals");
    }
}
