package io.billingworker.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node Kafka broker (combined KRaft broker and controller) running inside this JVM, listening on
 * 127.0.0.1 only. The {@code demo} command runs the worker against it, and tests use it when no other broker is
 * available. Each instance formats a fresh temporary log directory on {@link #start()} and deletes it on
 * {@link #close()}; consumer groups and transactions work (internal topics use replication factor 1).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
 *     broker.createTopic("signups", 3);
 *     ... broker.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>While it runs, a broker fault cannot exit or halt the JVM (see {@link KafkaExitGuard}).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int BIND_ATTEMPTS = 3;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final boolean autoCreateTopics;
    private final Map<String, String> brokerProperties;
    private final Duration startupTimeout;
    private final Path parentDir;

    private Path rootDir;
    private KraftNodeSettings settings;
    private KafkaRaftServer server;
    private boolean guardHeld;
    private Duration startupDuration;
    private State state = State.NEW;

    private enum State { NEW, RUNNING, CLOSED }

    private EmbeddedKafkaBroker(Builder builder) {
        this.autoCreateTopics = builder.autoCreateTopics;
        this.brokerProperties = Map.copyOf(builder.brokerProperties);
        this.startupTimeout = builder.startupTimeout;
        this.parentDir = builder.parentDir;
    }

    /** Starts a builder with the defaults: no topic auto-creation, a 30 s startup timeout, the system temp dir. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats a fresh log directory, starts the broker on free ports and waits until it answers an Admin
     * {@code describeCluster}. Retries with new ports when another process took a chosen port first.
     *
     * @return this broker, running
     * @throws IllegalStateException when called twice, or when the broker does not start or answer within the
     *                               startup timeout (the broker is then closed again)
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (state != State.NEW) {
            throw new IllegalStateException("EmbeddedKafkaBroker can be started once; it is " + state);
        }
        long startNanos = System.nanoTime();
        try {
            rootDir = Files.createTempDirectory(parentDir, "embedded-kafka-");
            KafkaExitGuard.acquire();
            guardHeld = true;
            startServerOnFreePorts();
            state = State.RUNNING;
            awaitReady(startNanos);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("Cannot create a log directory for the embedded Kafka broker", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        startupDuration = Duration.ofNanos(System.nanoTime() - startNanos);
        LOG.info("Embedded Kafka broker ready on {} in {} ms", bootstrapServers(), startupDuration.toMillis());
        return this;
    }

    /** The address clients bootstrap from, {@code 127.0.0.1:port}. */
    public synchronized String bootstrapServers() {
        return runningSettings().bootstrapServers();
    }

    /** The client (PLAINTEXT) port. */
    public synchronized int brokerPort() {
        return runningSettings().brokerPort();
    }

    /** The KRaft controller port. */
    public synchronized int controllerPort() {
        return runningSettings().controllerPort();
    }

    /** The temporary directory holding the broker's data; deleted by {@link #close()}. */
    public synchronized Path logDir() {
        return runningSettings().logDir();
    }

    /** How long {@link #start()} took until the broker answered; empty before it has started. */
    public synchronized Optional<Duration> startupDuration() {
        return Optional.ofNullable(startupDuration);
    }

    /** Whether the broker has started and is not closed yet. */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Creates a topic with replication factor 1 and waits until the broker has created it.
     *
     * @throws IllegalStateException when the broker does not run or refuses (for example the topic exists)
     */
    public void createTopic(String name, int partitions) {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        try (Admin admin = Admin.create(adminProperties(bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Cannot create topic " + name + " with " + partitions + " partitions on "
                    + bootstrapServers() + ": " + cause, cause);
        }
    }

    /**
     * Shuts the broker down, waits until it has stopped and deletes its log directory. Safe to call more than once
     * and on a broker that never started.
     */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        try {
            shutdownServer();
            deleteRootDir();
        } finally {
            if (guardHeld) {
                guardHeld = false;
                KafkaExitGuard.release();
            }
        }
    }

    private void startServerOnFreePorts() {
        for (int attempt = 1; ; attempt++) {
            List<Integer> ports = LoopbackPorts.pickFree(2);
            settings = new KraftNodeSettings(
                    ports.get(0), ports.get(1), rootDir.resolve("data"), autoCreateTopics, brokerProperties);
            formatFreshLogDir();
            server = new KafkaRaftServer(new KafkaConfig(settings.toProperties(), false), Time.SYSTEM);
            try {
                server.startup();
                return;
            } catch (RuntimeException e) {
                shutdownServer();
                if (attempt >= BIND_ATTEMPTS || !LoopbackPorts.isBindFailure(e)) {
                    throw new IllegalStateException("Embedded Kafka broker failed to start on "
                            + settings.bootstrapServers() + ": " + e.getMessage(), e);
                }
                LOG.warn("Embedded Kafka broker could not bind {} or controller port {}, retrying with new ports",
                        settings.bootstrapServers(), settings.controllerPort());
            }
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

    private void awaitReady(long startNanos) {
        long deadline = startNanos + startupTimeout.toNanos();
        long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        Properties properties = adminProperties(settings.bootstrapServers());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                remainingMillis));
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(5_000, remainingMillis));
        try (Admin admin = Admin.create(properties)) {
            int nodes = admin.describeCluster().nodes().get(remainingMillis, TimeUnit.MILLISECONDS).size();
            if (nodes == 0) {
                throw new IllegalStateException("Embedded Kafka broker on " + settings.bootstrapServers()
                        + " answered describeCluster without any live broker");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Embedded Kafka broker on " + settings.bootstrapServers()
                    + " did not answer describeCluster within " + startupTimeout.toMillis() + " ms: " + cause, cause);
        }
    }

    private void shutdownServer() {
        KafkaRaftServer running = server;
        server = null;
        if (running == null) {
            return;
        }
        try {
            running.shutdown();
            running.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Embedded Kafka broker on {} did not shut down cleanly", settings.bootstrapServers(), e);
        }
    }

    private void deleteRootDir() {
        if (rootDir == null) {
            return;
        }
        try {
            Utils.delete(rootDir.toFile());
        } catch (IOException e) {
            LOG.warn("Cannot delete embedded Kafka log directory {}", rootDir, e);
        }
    }

    private KraftNodeSettings runningSettings() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("Embedded Kafka broker is not running; it is " + state);
        }
        return settings;
    }

    private static Properties adminProperties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin");
        return properties;
    }

    /** Options of an {@link EmbeddedKafkaBroker}; {@link #build()} validates them. */
    public static final class Builder {

        private boolean autoCreateTopics;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(30);
        private Path parentDir = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder() {
        }

        /** Whether producing to or asking for metadata of an unknown topic creates it (default false). */
        public Builder autoCreateTopics(boolean enabled) {
            this.autoCreateTopics = enabled;
            return this;
        }

        /** An extra broker property; it overrides the single-node defaults of {@link KraftNodeSettings}. */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (isFixed(key)) {
                throw new IllegalArgumentException("Broker property " + key
                        + " is chosen by EmbeddedKafkaBroker and cannot be overridden");
            }
            brokerProperties.put(key, value);
            return this;
        }

        /** How long {@link EmbeddedKafkaBroker#start()} may take until the broker answers (default 30 s). */
        public Builder startupTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /** The directory in which the broker's temporary log directory is created (default java.io.tmpdir). */
        public Builder parentDir(Path directory) {
            this.parentDir = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Builds a broker that is not started yet. */
        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }

        private static boolean isFixed(String key) {
            return switch (key) {
                case "node.id", "process.roles", "listeners", "advertised.listeners", "controller.quorum.voters",
                     "controller.listener.names", "log.dirs", "log.dir" -> true;
                default -> false;
            };
        }
    }
}
