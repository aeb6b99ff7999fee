package io.billingworker.testsupport;

import io.billingworker.app.BrokerProcessLauncher;
import io.billingworker.app.KraftNodeSettings;
import io.billingworker.app.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node KRaft broker of {@link io.billingworker.app.EmbeddedKafkaBroker}, run as a separate
 * {@code java kafka.Kafka server.properties} process so that a test can kill it ({@code kill -9}), stop it gracefully
 * and restart it on the same ports and log directory with its data kept. The child uses this JVM's {@code java} and
 * class path; its output goes to {@link #outputFile()}, and the last lines of it are part of every failure message.
 *
 * <pre>{@code
 * try (KafkaProcessBroker broker = KafkaProcessBroker.builder().build().start()) {
 *     ... produce to broker.bootstrapServers() ...
 *     broker.kill();
 *     broker.restart();
 * }
 * }</pre>
 */
public final class KafkaProcessBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaProcessBroker.class);
    private static final int START_ATTEMPTS = 3;
    private static final int OUTPUT_TAIL_LINES = 40;
    private static final Duration READY_POLL = Duration.ofMillis(200);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final boolean autoCreateTopics;
    private final Map<String, String> brokerProperties;
    private final List<String> jvmOptions;
    private final Duration startupTimeout;

    private Path rootDir;
    private KraftNodeSettings settings;
    private volatile Process process;
    private Thread killOnExit;
    private Duration lastStartupDuration;
    private boolean closed;

    private KafkaProcessBroker(Builder builder) {
        this.autoCreateTopics = builder.autoCreateTopics;
        this.brokerProperties = Map.copyOf(builder.brokerProperties);
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.startupTimeout = builder.startupTimeout;
    }

    /**
     * Starts a builder with the defaults: no topic auto-creation, a 60 s startup timeout, a 512 MiB heap, and a 3 s
     * broker session timeout (so that a restart after {@link #kill()} is not held up for the default 9 s).
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats a fresh log directory, launches the broker process on free ports and waits until it answers an Admin
     * {@code describeCluster}. Picks new ports when another process took a chosen one first.
     *
     * @return this broker, running
     */
    public synchronized KafkaProcessBroker start() {
        if (rootDir != null || closed) {
            throw new IllegalStateException("KafkaProcessBroker can be started once; use restart()");
        }
        try {
            rootDir = Files.createTempDirectory("kafka-process-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory for the Kafka broker process", e);
        }
        killOnExit = new Thread(this::destroyProcessForcibly, "kafka-process-broker-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            for (int attempt = 1; ; attempt++) {
                List<Integer> ports = LoopbackPorts.pickFree(2);
                settings = new KraftNodeSettings(
                        ports.get(0), ports.get(1), rootDir.resolve("data"), autoCreateTopics, brokerProperties);
                formatFreshLogDir();
                if (launchAndAwaitReady(attempt < START_ATTEMPTS)) {
                    return this;
                }
                LOG.warn("Kafka broker process could not bind {} or controller port {}, retrying with new ports",
                        settings.bootstrapServers(), settings.controllerPort());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The address clients bootstrap from, {@code 127.0.0.1:port}; the same after a restart. */
    public synchronized String bootstrapServers() {
        return started().bootstrapServers();
    }

    /** The client (PLAINTEXT) port. */
    public synchronized int brokerPort() {
        return started().brokerPort();
    }

    /** The KRaft controller port. */
    public synchronized int controllerPort() {
        return started().controllerPort();
    }

    /** The broker's data directory, kept across restarts and deleted by {@link #close()}. */
    public synchronized Path logDir() {
        return started().logDir();
    }

    /** The file receiving the broker process's standard output and error, across restarts. */
    public synchronized Path outputFile() {
        started();
        return rootDir.resolve("broker-output.log");
    }

    /** The operating-system id of the current broker process. */
    public synchronized long pid() {
        return runningProcess().pid();
    }

    /** Whether the broker process is alive. */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** How long the last start or restart took until the broker answered; empty before the first start. */
    public synchronized Optional<Duration> lastStartupDuration() {
        return Optional.ofNullable(lastStartupDuration);
    }

    /** Kills the broker process at once, like {@code kill -9}, and waits until it is gone. */
    public synchronized void kill() {
        Process running = runningProcess();
        running.destroyForcibly();
        awaitExit(running, STOP_TIMEOUT, "kill");
    }

    /**
     * Stops the broker process gracefully (SIGTERM: Kafka shuts down in order) and waits until it has exited; kills
     * it when it has not exited within 60 s.
     */
    public synchronized void stop() {
        stopGracefully(runningProcess());
    }

    /**
     * Starts the broker process again on the same ports and log directory (after {@link #kill()} or {@link #stop()};
     * a running broker is stopped gracefully first) and waits until it answers. The data written before survives.
     */
    public synchronized void restart() {
        started();
        if (isAlive()) {
            stop();
        }
        for (int attempt = 1; ; attempt++) {
            if (launchAndAwaitReady(attempt < START_ATTEMPTS)) {
                return;
            }
            LOG.warn("Kafka broker process could not bind {} or controller port {} on restart, retrying",
                    settings.bootstrapServers(), settings.controllerPort());
            sleep(Duration.ofSeconds(1));
        }
    }

    /** The last lines the broker process wrote, for failure messages. */
    public synchronized String outputTail() {
        if (rootDir == null) {
            return "";
        }
        Path file = rootDir.resolve("broker-output.log");
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            return String.join(System.lineSeparator(),
                    lines.subList(Math.max(0, lines.size() - OUTPUT_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the broker process if it runs (gracefully, then forcibly) and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Process running = process;
            if (running != null && running.isAlive()) {
                stopGracefully(running);
            }
        } finally {
            destroyProcessForcibly();
            removeShutdownHook();
            deleteRootDir();
        }
    }

    private boolean launchAndAwaitReady(boolean mayRetryOnBindFailure) {
        long startNanos = System.nanoTime();
        process = launch();
        try {
            awaitReady(process, startNanos);
        } catch (BrokerExitedException e) {
            if (mayRetryOnBindFailure && LoopbackPorts.isBindMessage(e.getMessage())) {
                return false;
            }
            throw new IllegalStateException(e.getMessage(), e);
        } catch (RuntimeException e) {
            destroyProcessForcibly();
            throw e;
        }
        lastStartupDuration = Duration.ofNanos(System.nanoTime() - startNanos);
        LOG.info("Kafka broker process {} ready on {} in {} ms", process.pid(), settings.bootstrapServers(),
                lastStartupDuration.toMillis());
        return true;
    }

    private Process launch() {
        Path output = rootDir.resolve("broker-output.log");
        try {
            Files.writeString(output, "=== " + Instant.now() + " starting Kafka broker on "
                    + settings.bootstrapServers() + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Kafka broker's output file " + output, e);
        }
        return BrokerProcessLauncher.launch(jvmOptions, rootDir, rootDir.resolve("server.properties"), output);
    }

    /**
     * Waits until the broker port accepts connections (silently), then until an Admin client gets an answer to
     * {@code describeCluster}, failing early with the process output when the process exits.
     */
    private void awaitReady(Process running, long startNanos) {
        long deadline = startNanos + startupTimeout.toNanos();
        Map<String, Object> adminProps = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "kafka-process-broker-ready",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        Admin admin = null;
        try {
            while (true) {
                if (!running.isAlive()) {
                    throw new BrokerExitedException("Kafka broker process on " + settings.bootstrapServers()
                            + " exited with status " + running.exitValue() + " before it was ready; output:"
                            + System.lineSeparator() + outputTail());
                }
                if (admin == null && acceptsConnections(settings.brokerPort())) {
                    admin = Admin.create(adminProps);
                }
                if (admin != null && answersDescribeCluster(admin)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka broker process on " + settings.bootstrapServers()
                            + " did not answer describeCluster within " + startupTimeout.toMillis() + " ms; output:"
                            + System.lineSeparator() + outputTail());
                }
                sleep(READY_POLL);
            }
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
    }

    private static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answersDescribeCluster(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker process", e);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private void formatFreshLogDir() {
        try {
            Utils.delete(settings.logDir().toFile());
            Files.createDirectories(settings.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka log directory " + settings.logDir(), e);
        }
        Path propertiesFile = rootDir.resolve("server.properties");
        settings.writePropertiesFile(propertiesFile);
        settings.formatStorage(propertiesFile);
    }

    private static void stopGracefully(Process running) {
        running.destroy();
        try {
            if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Kafka broker process {} did not stop within {} s; killing it", running.pid(),
                        STOP_TIMEOUT.toSeconds());
                running.destroyForcibly();
                awaitExit(running, STOP_TIMEOUT, "kill");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the Kafka broker process", e);
        }
    }

    private void destroyProcessForcibly() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.destroyForcibly();
            try {
                running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void awaitExit(Process running, Duration timeout, String action) {
        try {
            if (!running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Kafka broker process " + running.pid() + " still alive "
                        + timeout.toSeconds() + " s after " + action);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker process to exit", e);
        }
    }

    private void removeShutdownHook() {
        if (killOnExit == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs anyway and finds nothing to kill.
        }
        killOnExit = null;
    }

    private void deleteRootDir() {
        if (rootDir == null) {
            return;
        }
        try {
            Utils.delete(rootDir.toFile());
        } catch (IOException e) {
            LOG.warn("Cannot delete Kafka broker process directory {}", rootDir, e);
        }
    }

    private KraftNodeSettings started() {
        if (settings == null || closed) {
            throw new IllegalStateException(closed ? "Kafka broker process is closed" : "Kafka broker not started");
        }
        return settings;
    }

    private Process runningProcess() {
        started();
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("Kafka broker process on " + settings.bootstrapServers() + " is not alive");
        }
        return process;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker process", e);
        }
    }

    /** The broker process exited while it was awaited; the message holds its output. */
    private static final class BrokerExitedException extends RuntimeException {
        private BrokerExitedException(String message) {
            super(message);
        }
    }

    /** Options of a {@link KafkaProcessBroker}. */
    public static final class Builder {

        private boolean autoCreateTopics;
        // After kill -9 the restarted controller keeps the old broker registration until its session times out
        // (9 s by default) and refuses the new one meanwhile; a shorter session makes restarts quicker.
        private final Map<String, String> brokerProperties = new LinkedHashMap<>(Map.of(
                "broker.session.timeout.ms", "3000"));
        // Short-lived test brokers: a small heap, the serial collector and C1 only start fastest on 2 cores.
        private final List<String> jvmOptions = new ArrayList<>(List.of(
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        private Duration startupTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Whether producing to or asking for metadata of an unknown topic creates it (default false). */
        public Builder autoCreateTopics(boolean enabled) {
            this.autoCreateTopics = enabled;
            return this;
        }

        /** An extra broker property; it overrides the single-node defaults of {@link KraftNodeSettings}. */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** An extra option for the broker's JVM, e.g. {@code -Xmx256m}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /** How long a start or restart may take until the broker answers (default 60 s). */
        public Builder startupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /** Builds a broker that is not started yet. */
        public KafkaProcessBroker build() {
            return new KafkaProcessBroker(this);
        }
    }
}
