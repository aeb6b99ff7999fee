package io.billingworker.observability;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the ops tests run for real (promtool, prometheus, node). Found on PATH; a missing tool fails
 * the test with what to install, never skips it ({@code .ci/ops-checks} installs them all).
 */
final class ExternalTool {

    private final Path executable;

    private ExternalTool(Path executable) {
        this.executable = executable;
    }

    /** The tool on PATH, or an AssertionError naming the package that brings it. */
    static ExternalTool require(String name, String installHint) {
        return find(name).orElseThrow(() -> new AssertionError(name + " was not found on PATH ("
                + System.getenv("PATH") + "). " + installHint + "; .ci/ops-checks installs every tool the ops "
                + "checks need."));
    }

    static Optional<ExternalTool> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new ExternalTool(candidate));
            }
        }
        return Optional.empty();
    }

    Path executable() {
        return executable;
    }

    /** Runs the tool to completion in {@code directory}; stdout and stderr together. */
    Result run(Path directory, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeout);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String output) {
    }
}
