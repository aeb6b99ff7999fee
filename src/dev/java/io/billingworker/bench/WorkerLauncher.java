package io.billingworker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@link WorkerChild} JVM (the worker or the naive baseline) and talks to it: its config goes into a
 * properties file, the merchant's API key into its environment (never onto the command line), and its log into a
 * file next to the benchmark's results.
 */
final class WorkerLauncher {

    /** Scope of the in-memory schema registry both the benchmark and the worker process use. */
    static final String REGISTRY_SCOPE = "bench";
    /** The worker process's JVM: a container-like fixed heap ceiling; G1 as the JVM picks on two cores. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseG1GC");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);

    private WorkerLauncher() {
    }

    /**
     * Launches the child and waits until it reports ready.
     *
     * @param mode        {@code worker} or {@code naive}
     * @param config      worker config keys and values
     * @param apiKeyEnv   name of the environment variable that carries the API key
     * @param apiKey      the merchant's API key
     * @param workDir     where the config file and the child's log go
     * @param schemaId    the schema id the signups were written with
     */
    static Child launch(String mode, Map<String, String> config, String apiKeyEnv, String apiKey, Path workDir,
            String name, int schemaId) {
        try {
            Files.createDirectories(workDir);
            Path configFile = workDir.resolve(name + ".properties");
            Properties properties = new Properties();
            properties.putAll(config);
            try (Writer writer = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                properties.store(writer, "benchmark worker " + name);
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JVM_OPTIONS);
            command.addAll(extraJvmOptions(workDir, name));
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(WorkerChild.class.getName());
            command.add(mode);
            command.add(configFile.toString());
            command.add(Integer.toString(schemaId));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(Redirect.appendTo(workDir.resolve(name + ".log").toFile()));
            builder.environment().put(apiKeyEnv, apiKey);
            Child child = new Child(builder.start(), name, workDir.resolve(name + ".log"));
            child.await("ready");
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch the " + mode + " process", e);
        }
    }

    /** {@code BENCH_WORKER_JFR=1} records a JFR profile of each worker process next to its log. */
    private static List<String> extraJvmOptions(Path workDir, String name) {
        String jfr = System.getenv("BENCH_WORKER_JFR");
        if (jfr == null || jfr.isBlank() || jfr.equals("0")) {
            return List.of();
        }
        return List.of("-XX:StartFlightRecording=settings=profile,filename="
                + workDir.resolve(name + ".jfr").toAbsolutePath() + ",dumponexit=true");
    }

    /** A running worker process. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final String name;
        private final Path log;
        private final Writer commands;
        private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
        private final Thread killOnExit;

        private Child(Process process, String name, Path log) {
            this.process = process;
            this.name = name;
            this.log = log;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.killOnExit = new Thread(process::destroyForcibly, "bench-child-kill");
            Runtime.getRuntime().addShutdownHook(killOnExit);
            Thread reader = new Thread(this::readAnswers, "bench-child-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        /** Asks for the process's CPU time, heap, RSS and records in flight. */
        Stats stats() {
            return Stats.of(ask("stats"));
        }

        /** Runs a full GC in the process, then the same figures: heap used is then heap after GC. */
        Stats gc() {
            return Stats.of(ask("gc"));
        }

        /** Stops the worker gracefully (drain, commit, close) and waits for the process to exit. */
        Stats stop() {
            JsonNode answer = ask("stopped", "stop");
            awaitExit();
            return Stats.of(answer);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroy();
                awaitExit();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }

        private void awaitExit() {
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        private JsonNode ask(String command) {
            return ask(command, command);
        }

        private JsonNode ask(String answerType, String command) {
            try {
                commands.write(command + "\n");
                commands.flush();
            } catch (IOException e) {
                throw new IllegalStateException(name + " process is gone (see " + log + "): " + e.getMessage(), e);
            }
            return await(answerType);
        }

        private JsonNode await(String type) {
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            try {
                while (true) {
                    JsonNode answer = answers.poll(200, TimeUnit.MILLISECONDS);
                    if (answer != null && answer.path("type").asText().equals(type)) {
                        return answer;
                    }
                    if (answer == null && !process.isAlive() && answers.isEmpty()) {
                        throw new IllegalStateException(name + " process exited with status " + process.exitValue()
                                + " before answering '" + type + "'; see " + log);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(name + " process did not answer '" + type + "' within "
                                + ANSWER_TIMEOUT.toSeconds() + " s; see " + log);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        private void readAnswers() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(WorkerChild.PREFIX)) {
                        answers.add(JSON.readTree(line.substring(WorkerChild.PREFIX.length())));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }
    }

    /** What a worker process reports about itself. */
    record Stats(long cpuNanos, long heapUsed, long heapCommitted, long rss, int inFlight, int buffered,
            int inFlightBeforeGc) {

        static Stats of(JsonNode node) {
            return new Stats(node.path("cpuNanos").asLong(-1), node.path("heapUsed").asLong(-1),
                    node.path("heapCommitted").asLong(-1), node.path("rss").asLong(-1), node.path("inFlight").asInt(),
                    node.path("buffered").asInt(), node.path("inFlightBeforeGc").asInt(-1));
        }
    }
}
