package io.billingworker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The worker as an operator runs it: {@code java -cp <test class path> io.billingworker.app.Main run --config <file>}
 * in a separate JVM, so that a test can stop it with SIGTERM ({@link #terminate()}) or kill it like a crashed
 * machine ({@link #kill()}, SIGKILL: no shutdown hook, no commit, no transaction abort).
 *
 * <p>API keys and other secrets go in through {@link Builder#environment(String, String)}, never on the command line,
 * where other users of the machine could read them. Inherited {@code BILLING_*} variables are removed so that the
 * config file alone decides. Standard output and error go to {@link #outputFile()}; failure messages carry its last
 * lines. A shutdown hook kills the process if the test JVM ends first.
 *
 * <pre>{@code
 * try (WorkerProcess worker = WorkerProcess.builder(configFile).environment("MERCHANT_KEY", key).start()) {
 *     worker.awaitOutput("partitions assigned", Duration.ofSeconds(60));
 *     worker.terminate();
 *     assertThat(worker.awaitExit(Duration.ofSeconds(30))).isZero();
 * }
 * }</pre>
 */
public final class WorkerProcess implements AutoCloseable {

    /** The line the worker logs once the consumer group gave it partitions. */
    public static final String ASSIGNED = "partitions assigned";

    private static final int TAIL_LINES = 40;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path outputFile;
    private final Thread killOnExit;

    private WorkerProcess(Process process, Path outputFile) {
        this.process = process;
        this.outputFile = outputFile;
        this.killOnExit = new Thread(process::destroyForcibly, "worker-process-kill-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** A launcher for {@code run --config configFile}. */
    public static Builder builder(Path configFile) {
        return new Builder(configFile);
    }

    /** The operating-system process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file receiving the process's standard output and error. */
    public Path outputFile() {
        return outputFile;
    }

    /** Everything the process wrote so far. */
    public String output() {
        try {
            return Files.exists(outputFile) ? Files.readString(outputFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + outputFile + ": " + e.getMessage() + ")";
        }
    }

    /** The last lines the process wrote, for failure messages. */
    public String outputTail() {
        List<String> lines = output().lines().toList();
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    /**
     * Waits until the output holds {@code text}.
     *
     * @throws IllegalStateException when the process exits first or {@code timeout} passes, with its last lines
     */
    public void awaitOutput(String text, Duration timeout) {
        Objects.requireNonNull(text, "text");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker process " + pid() + " exited with status "
                        + process.exitValue() + " before writing '" + text + "'; output:" + System.lineSeparator()
                        + outputTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker process " + pid() + " did not write '" + text + "' within "
                        + timeout.toMillis() + " ms; output:" + System.lineSeparator() + outputTail());
            }
            pause(POLL);
        }
    }

    /** Sends SIGTERM, as Kubernetes does before it stops a pod, and returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL, like a machine or container dying, and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(KILL_WAIT);
    }

    /**
     * Waits for the process to exit.
     *
     * @return its exit status
     * @throws IllegalStateException when it is still running after {@code timeout}, with its last lines
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("worker process " + pid() + " still running " + timeout.toMillis()
                        + " ms later; output:" + System.lineSeparator() + outputTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for worker process " + pid(), e);
        }
        return process.exitValue();
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook finds nothing left to kill.
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the worker process", e);
        }
    }

    /** Options of a {@link WorkerProcess}. */
    public static final class Builder {

        private final Path configFile;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of(
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        private Path outputFile;
        private Path packagedJar;

        private Builder(Path configFile) {
            this.configFile = Objects.requireNonNull(configFile, "configFile");
        }

        /** Sets an environment variable of the process (the way API keys reach it). */
        public Builder environment(String name, String value) {
            environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sets every variable of {@code variables}. */
        public Builder environment(Map<String, String> variables) {
            variables.forEach(this::environment);
            return this;
        }

        /** Where the output goes; default: {@code worker-<n>.log} beside the config file. */
        public Builder outputFile(Path file) {
            this.outputFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Adds a JVM option, e.g. {@code -Xmx512m}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /**
         * Runs the packaged artifact ({@code java -jar jar run --config ...}, its runtime class path from the
         * manifest) instead of {@code Main} on the test class path.
         */
        public Builder packagedJar(Path jar) {
            this.packagedJar = Objects.requireNonNull(jar, "jar");
            return this;
        }

        /** Launches the process; it runs until terminated, killed or closed. */
        public WorkerProcess start() {
            Path output = outputFile != null ? outputFile : freeOutputFile();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            if (Runtime.version().feature() >= 23) {
                // Kafka's clients unmap buffers through sun.misc.Unsafe, which JDK 23+ warns about.
                command.add("--sun-misc-unsafe-memory-access=allow");
            }
            if (packagedJar != null) {
                command.add("-jar");
                command.add(packagedJar.toAbsolutePath().toString());
            } else {
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add("io.billingworker.app.Main");
            }
            command.add("run");
            command.add("--config");
            command.add(configFile.toAbsolutePath().toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(configFile.toAbsolutePath().getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(output.toFile()));
            builder.environment().keySet().removeIf(name -> name.startsWith("BILLING_"));
            builder.environment().putAll(environment);
            try {
                return new WorkerProcess(builder.start(), output);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot launch the worker process " + command.getFirst(), e);
            }
        }

        private Path freeOutputFile() {
            Path directory = configFile.toAbsolutePath().getParent();
            for (int n = 1; ; n++) {
                Path candidate = directory.resolve("worker-" + n + ".log");
                if (!Files.exists(candidate)) {
                    return candidate;
                }
            }
        }
    }
}
