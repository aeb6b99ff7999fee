package io.billingworker.bench;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker ({@link KraftNodeSettings}) run as a separate {@code java kafka.Kafka} process,
 * so that its CPU and memory are its own and not the benchmark's, launched like the test suite's killable broker
 * ({@link BrokerProcessLauncher}); the benchmark only needs start, topics and stop.
 * The broker gets a production-like JVM (G1, full JIT) rather than the tests' fast-start settings.
 */
final class BrokerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerProcess.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xms512m", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20");

    private final Path rootDir;
    private final KraftNodeSettings settings;
    private final Process process;
    private final Thread killOnExit;
    private final Admin admin;

    private BrokerProcess(Path rootDir, KraftNodeSettings settings, Process process, Thread killOnExit, Admin admin) {
        this.rootDir = rootDir;
        this.settings = settings;
        this.process = process;
        this.killOnExit = killOnExit;
        this.admin = admin;
    }

    /** Formats a fresh log directory, launches the broker on free loopback ports and waits until it answers. */
    static BrokerProcess start() {
        Path rootDir;
        try {
            rootDir = Files.createTempDirectory("bench-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the Kafka broker", e);
        }
        List<Integer> ports = LoopbackPorts.pickFree(2);
        KraftNodeSettings settings = new KraftNodeSettings(ports.get(0), ports.get(1), rootDir.resolve("data"), false,
                Map.of("broker.session.timeout.ms", "3000"));
        Path properties = rootDir.resolve("server.properties");
        try {
            Files.createDirectories(settings.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + settings.logDir(), e);
        }
        settings.writePropertiesFile(properties);
        settings.formatStorage(properties);
        Process process = BrokerProcessLauncher.launch(JVM_OPTIONS, rootDir, properties,
                rootDir.resolve("broker-output.log"));
        Thread killOnExit = new Thread(process::destroyForcibly, "bench-broker-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            awaitPort(process, settings.brokerPort(), rootDir);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "bench-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        BrokerProcess broker = new BrokerProcess(rootDir, settings, process, killOnExit, admin);
        try {
            broker.awaitReady();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    String bootstrapServers() {
        return settings.bootstrapServers();
    }

    long pid() {
        return process.pid();
    }

    /** Creates topics with the given partition count and waits until they exist. */
    void createTopics(int partitions, String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        try {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            awaitMetadata(List.of(names));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + List.of(names) + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the broker's metadata lists the topics, so that clients starting now find them at once. */
    private void awaitMetadata(List<String> names) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("topics " + names + " not visible: " + e.getMessage());
                }
                sleep(Duration.ofMillis(50));
            }
        }
    }

    /** Deletes topics (frees the broker's memory and disk between runs); failures are only logged. */
    void deleteTopics(List<String> names) {
        try {
            admin.deleteTopics(names).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("cannot delete topics {}: {}", names, e.toString());
        }
    }

    /** Stops the broker (SIGTERM, then kill after 30 s) and deletes its directory. */
    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // already shutting down: the hook finds the process gone
        }
        try {
            Utils.delete(rootDir.toFile());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", rootDir, e.toString());
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with status " + process.exitValue()
                        + " before it was ready; output: " + outputTail());
            }
            try {
                if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                    LOG.info("Kafka broker process {} ready on {}", process.pid(), bootstrapServers());
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            } catch (ExecutionException | TimeoutException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Kafka broker did not answer within "
                        + STARTUP_TIMEOUT.toSeconds() + " s; output: " + outputTail());
            }
            sleep(Duration.ofMillis(200));
        }
    }

    /** Waits (silently) until the broker's client port accepts connections. */
    private static void awaitPort(Process process, int port, Path rootDir) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!acceptsConnections(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the Kafka broker did not open port " + port + " (see "
                        + rootDir.resolve("broker-output.log") + ")");
            }
            sleep(Duration.ofMillis(200));
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

    private String outputTail() {
        try {
            List<String> lines = Files.readAllLines(rootDir.resolve("broker-output.log"), StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
