package io.billingworker.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The peer harness's shaded jar ({@code src/peer-bench}, or another copy given with {@code --peer-bench DIR}): built
 * with the project's Maven wrapper when it is missing or older than the harness's sources, with {@code JAVA_HOME} set
 * to the JDK the benchmark runs on. The harness is its own Maven build with its own class path (Parallel Consumer
 * pins kafka-clients 3.9; the worker uses 4.x).
 */
final class PeerBench {

    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private PeerBench() {
    }

    /** The jar, built first if needed. */
    static Path jar(Path projectDir, Path harnessDir, Path logDir, PrintStream out) {
        Path dir = (harnessDir != null ? harnessDir : projectDir.resolve("src/peer-bench")).toAbsolutePath();
        Path pom = dir.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            throw new IllegalStateException("no peer harness at " + dir + " (pom.xml missing)");
        }
        Path jar = dir.resolve("target/peer-bench.jar");
        FileTime sources = newest(dir, pom);
        if (Files.isRegularFile(jar) && modified(jar).compareTo(sources) >= 0) {
            return jar;
        }
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("the peer harness needs a JDK 21+, the benchmark runs on "
                    + Runtime.version());
        }
        Path mvnw = projectDir.resolve("mvnw").toAbsolutePath();
        List<String> command = List.of(mvnw.toString(), "-B", "-q", "-f", pom.toString(), "package", "-DskipTests");
        out.println("Building the peer harness: " + String.join(" ", command));
        ChildProcess build = ChildProcess.start("peer-bench-build", command,
                Map.of("JAVA_HOME", System.getProperty("java.home")), logDir.resolve("peer-bench-build.log"));
        try {
            if (!build.awaitExit(BUILD_TIMEOUT)) {
                build.stop(Duration.ofSeconds(10));
                throw new IllegalStateException("building the peer harness took longer than "
                        + BUILD_TIMEOUT.toMinutes() + " min; see " + build.log());
            }
            if (build.exitValue() != 0 || !Files.isRegularFile(jar)) {
                throw new IllegalStateException("building the peer harness failed (exit " + build.exitValue()
                        + "):\n" + build.logTail(40));
            }
        } finally {
            build.close();
        }
        return jar;
    }

    private static FileTime newest(Path dir, Path pom) {
        FileTime newest = modified(pom);
        Path src = dir.resolve("src");
        if (!Files.isDirectory(src)) {
            return newest;
        }
        try (Stream<Path> files = Files.walk(src)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                FileTime time = modified(file);
                if (time.compareTo(newest) > 0) {
                    newest = time;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + src, e);
        }
        return newest;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + file, e);
        }
    }
}
