package io.billingworker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.replay.DeadLetters.Spec;
import io.billingworker.testsupport.KafkaFixture;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code replay} command as a real process stopped by SIGTERM (what Ctrl-C and Kubernetes do): it stops after the
 * record in hand, commits what the broker acknowledged, says how to resume and exits; the same command then replays
 * the rest, and every record reaches the target exactly once.
 */
class ReplayProcessIT {

    private static final int RECORDS = 40;

    @TempDir
    Path temp;

    @Test
    void shouldStopCleanlyOnSigtermAndResumeWithoutReplayingAnyRecordTwice() throws Exception {
        DltFixture fixture = new DltFixture(1);
        fixture.write(0, IntStream.range(0, RECORDS).mapToObj(i -> Spec.of(key(i))).toArray(Spec[]::new));
        String name = KafkaFixture.newTopicName("sigterm");
        File out = temp.resolve("out.txt").toFile();
        Process process = new ProcessBuilder(List.of(java(), "-cp", System.getProperty("java.class.path"),
                "io.billingworker.app.Main", "replay", "--bootstrap-servers", fixture.kafka.bootstrapServers(),
                "--dlt-topic", fixture.deadLetterTopic, "--target-topic", fixture.targetTopic, "--name", name,
                "--rate", "10/s"))
                .redirectOutput(out).redirectError(temp.resolve("err.txt").toFile()).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> fixture.recordCount(fixture.targetTopic) >= 5);

            process.destroy();
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);

            assertThat(exited).isTrue();
            assertThat(process.exitValue()).isEqualTo(143);
        } finally {
            process.destroyForcibly();
        }
        String printed = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        long replayedBeforeStop = fixture.recordCount(fixture.targetTopic);
        long committed = fixture.committed(ReplayJob.GROUP_PREFIX + name)
                .get(new TopicPartition(fixture.deadLetterTopic, 0)).offset();
        assertThat(replayedBeforeStop).isBetween(5L, RECORDS - 1L);
        assertThat(committed).isEqualTo(replayedBeforeStop);
        assertThat(printed).contains("Replayed " + replayedBeforeStop + " records to " + fixture.targetTopic,
                "Interrupted with " + (RECORDS - replayedBeforeStop) + " offsets left to read; progress is saved: run"
                        + " the same command again to resume.");

        ReplayResult resumed = fixture.replay(fixture.request(ReplaySelection.all(), name));

        assertThat(resumed.plan().resumed()).isTrue();
        assertThat(resumed.replayed().total()).isEqualTo(RECORDS - replayedBeforeStop);
        assertThat(fixture.targetKeys(RECORDS)).containsExactlyElementsOf(
                IntStream.range(0, RECORDS).mapToObj(ReplayProcessIT::key).toList());
    }

    private static String key(int i) {
        return String.format("sub_%02d", i);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }
}
