package io.billingworker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.app.Main;
import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.replay.DeadLetters.Spec;
import io.billingworker.testsupport.KafkaFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code replay} and {@code dlt inspect} commands as operators run them, on a real broker: output, exit codes,
 * and the errors for a bad filter, a missing topic, an unreachable broker and an empty selection.
 */
class ReplayCommandIT {

    private static final Instant AT = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));

    private final DltFixture fixture = new DltFixture(1);
    private final String name = KafkaFixture.newTopicName("cmd");

    /** Exit code and what the command printed. */
    record Run(int exitCode, String out, String err) {
    }

    @Test
    void shouldListADryRunAndChangeNothing() {
        writeThree();

        Run run = execute("replay", "--dry-run", "--name", name, "--reason", "RETRIES_EXHAUSTED");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Dry run: " + fixture.deadLetterTopic + " -> " + fixture.targetTopic + "\n"
                + "Filters: reason=RETRIES_EXHAUSTED max-replays=3\n"
                + "Reading 0:0-3 (3 offsets, end exclusive, captured now)\n");
        assertThat(run.out().lines().filter(line -> line.startsWith("would ")).map(String::stripTrailing).toList())
                .containsExactly(
                        String.format("would replay  0:0        %-21s sub_1                    RETRIES_EXHAUSTED  503    m1             0", AT),
                        String.format("would refuse  0:2        %-21s sub_3                    RETRIES_EXHAUSTED  503    m1             3 (max 3)", AT));
        assertThat(run.out()).contains("Dry run of replay " + name + ": nothing was sent or committed.\n",
                "Would replay 1 record to " + fixture.targetTopic + "; would refuse 1 already replayed 3 times"
                        + " (--max-replays 3); 1 not selected by reason=RETRIES_EXHAUSTED max-replays=3.\n",
                "Would replay, by reason:\n  RETRIES_EXHAUSTED  1\n");
        assertThat(fixture.recordCount(fixture.targetTopic)).isZero();
        assertThat(fixture.committed(ReplayJob.GROUP_PREFIX + name)).isEmpty();
        assertThat(fixture.recordCount(fixture.deadLetterTopic)).isEqualTo(3);
    }

    @Test
    void shouldReplayThenSayItAlreadyFinished() {
        writeThree();

        Run first = execute("replay", "--name", name, "--rate", "unlimited");
        Run second = execute("replay", "--name", name, "--rate", "unlimited");

        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).contains("Replay " + name + " (consumer group billing-replay-" + name + "): "
                        + fixture.deadLetterTopic + " -> " + fixture.targetTopic,
                "Replayed 2 records to " + fixture.targetTopic + "; refused 1",
                "Completed: every record up to the captured end offsets was read.");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("Replay " + name + " already finished: nothing left to read up to the end"
                + " offsets it captured (0:3-3). Use a new --name for a new replay.");
        assertThat(fixture.targetKeys(2)).containsExactly("sub_1", "sub_2");
    }

    @Test
    void shouldReportEveryBadOptionWithoutContactingTheBroker() {
        Run run = execute("replay", "--reason", "RETRY_EXHAUSTED", "--http-status", "5x", "--from", "yesterday",
                "--rate", "fast");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("replay: invalid options:\n"
                + "  --reason 'RETRY_EXHAUSTED': unknown reason; use one of EMPTY_VALUE, UNDECODABLE, UNKNOWN_SCHEMA,"
                + " SCHEMA_INCOMPATIBLE, RETRIES_EXHAUSTED, AUTH_FAILED, MISSING_CREDENTIALS, INTERNAL_ERROR, HELD_TOO_LONG,"
                + " OUTCOME_UNWRITABLE, INVALID_RESPONSE, UNEXPECTED_REDIRECT\n"
                + "  --http-status '5x': expected a status such as 503, a class such as 5xx, or none\n"
                + "  --from 'yesterday': expected an ISO-8601 time with a zone, e.g. 2026-11-23T10:00Z, or a date"
                + " (UTC midnight)\n"
                + "  --rate 'fast': expected records per second or minute, e.g. 50/s or 600/m, or unlimited\n"
                + "  --name is required for a replay: its progress is kept as consumer group billing-replay-<name>,"
                + " and running it again with the same name resumes where it stopped (e.g. --name incident-4711)\n");
    }

    @Test
    void shouldNameAMissingDeadLetterTopic() {
        Run run = executeOn(fixture.kafka.bootstrapServers(), "replay", "--dry-run", "--dlt-topic", "no-such-dlt",
                "--target-topic", fixture.targetTopic);

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("replay: the dead-letter topic (topics.dead-letter or --dlt-topic)"
                + " 'no-such-dlt' does not exist on " + fixture.kafka.bootstrapServers() + "\n");
    }

    @Test
    void shouldNameAMissingTargetTopic() {
        Run run = executeOn(fixture.kafka.bootstrapServers(), "replay", "--name", name, "--dlt-topic",
                fixture.deadLetterTopic, "--target-topic", "no-such-input");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("replay: the target topic (topics.input or --target-topic) 'no-such-input'"
                + " does not exist on " + fixture.kafka.bootstrapServers() + "\n");
    }

    @Test
    void shouldGiveUpOnAnUnreachableBrokerWithinTheTimeout() throws IOException {
        String nowhere = "127.0.0.1:" + freePort();

        Run replay = executeOn(nowhere, "replay", "--dry-run", "--timeout-seconds", "2", "--dlt-topic", "dlt",
                "--target-topic", "in");
        Run inspect = executeOn(nowhere, "dlt", "inspect", "--timeout-seconds", "2", "--dlt-topic", "dlt");

        assertThat(replay.exitCode()).isEqualTo(3);
        assertThat(replay.err()).startsWith("replay: cannot reach Kafka at " + nowhere + " within 2 s: ")
                .endsWith(" (check kafka.bootstrap.servers or --bootstrap-servers, and that the broker is up)\n");
        assertThat(inspect.exitCode()).isEqualTo(3);
        assertThat(inspect.err()).startsWith("dlt inspect: cannot reach Kafka at " + nowhere + " within 2 s: ");
    }

    @Test
    void shouldSayWhenNothingMatches() {
        writeThree();

        Run run = execute("replay", "--name", name, "--merchant", "m9");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).isEqualTo("replay: nothing to replay: none of the 3 records read from "
                + fixture.deadLetterTopic + " (0:0-3) matches merchant=m9 max-replays=3\n");
    }

    @Test
    void shouldSayWhenTheSelectedRangeIsEmpty() {
        writeThree();

        Run run = execute("replay", "--dry-run", "--partition", "0", "--offsets", "10-20");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).isEqualTo("replay: nothing to replay: " + fixture.deadLetterTopic + " holds no records"
                + " in the selected range (0:3-3, end exclusive) for partition=0 offsets=10-20 max-replays=3\n");
    }

    @Test
    void shouldRefuseAPartitionTheTopicDoesNotHave() {
        writeThree();

        Run run = execute("replay", "--dry-run", "--partition", "4");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("replay: --partition 4: " + fixture.deadLetterTopic + " has partitions 0-0\n");
    }

    @Test
    void shouldInspectWithoutCommitting() {
        writeThree();

        Run run = executeOn(fixture.kafka.bootstrapServers(), "dlt", "inspect", "--dlt-topic", fixture.deadLetterTopic);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith(fixture.deadLetterTopic + ": 3 records (0:0-3, end exclusive). Nothing was"
                + " committed.\nOldest: " + AT + " (0:0, ");
        assertThat(run.out()).contains("By reason:\n  AUTH_FAILED        1\n  RETRIES_EXHAUSTED  2\n",
                "By replay count (times replayed before):\n  0  2\n  3  1\n",
                "  AUTH_FAILED  0:1  " + AT + "  key=sub_2  merchant=m1  http=401  attempts=3  replays=0\n");
        assertThat(fixture.recordCount(fixture.targetTopic)).isZero();
    }

    private void writeThree() {
        fixture.write(0, Spec.of("sub_1").at(AT),
                Spec.of("sub_2").reason(DeadLetterReason.AUTH_FAILED).status(401).at(AT),
                Spec.of("sub_3").replays(3).at(AT));
    }

    private Run execute(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--dlt-topic", fixture.deadLetterTopic, "--target-topic", fixture.targetTopic));
        return executeOn(fixture.kafka.bootstrapServers(), all.toArray(String[]::new));
    }

    private static Run executeOn(String bootstrapServers, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", bootstrapServers));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Main());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(all.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
