package io.billingworker.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.common.Uuid;

import kafka.tools.StorageTool;

/**
 * The configuration of a single-node Kafka broker in combined KRaft mode ({@code broker,controller}) that listens on
 * 127.0.0.1 only, with every internal topic at replication factor 1 so that consumer groups and transactions work on
 * one node. Shared by {@link EmbeddedKafkaBroker} (in this JVM) and the test support that runs the same broker as a
 * separate process, so both behave alike.
 *
 * @param brokerPort     the PLAINTEXT client port on 127.0.0.1
 * @param controllerPort the KRaft controller port on 127.0.0.1
 * @param logDir         the broker's data directory (also holds the metadata log)
 * @param autoCreateTopics whether producing to or fetching metadata of an unknown topic creates it
 * @param overrides      extra broker properties, applied last (they win over the defaults)
 */
public record KraftNodeSettings(
        int brokerPort, int controllerPort, Path logDir, boolean autoCreateTopics, Map<String, String> overrides) {

    /** The node id of the only node; also its controller quorum voter id. */
    public static final int NODE_ID = 1;

    private static final String LOOPBACK = "127.0.0.1";

    public KraftNodeSettings {
        requirePort("brokerPort", brokerPort);
        requirePort("controllerPort", controllerPort);
        if (brokerPort == controllerPort) {
            throw new IllegalArgumentException("brokerPort and controllerPort must differ, both are " + brokerPort);
        }
        Objects.requireNonNull(logDir, "logDir");
        overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
    }

    /** The bootstrap address clients use: {@code 127.0.0.1:brokerPort}. */
    public String bootstrapServers() {
        return LOOPBACK + ":" + brokerPort;
    }

    /** The broker properties, defaults first and then {@link #overrides()}. */
    public Properties toProperties() {
        Map<String, String> settings = new TreeMap<>();
        settings.put("node.id", Integer.toString(NODE_ID));
        settings.put("process.roles", "broker,controller");
        settings.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort
                + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort);
        settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
        settings.put("log.dirs", logDir.toAbsolutePath().toString());
        settings.put("auto.create.topics.enable", Boolean.toString(autoCreateTopics));
        settings.put("num.partitions", "1");
        settings.put("default.replication.factor", "1");
        settings.put("min.insync.replicas", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "5");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "5");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        // The log cleaner allocates its whole dedupe buffer up front (128 MiB by default).
        settings.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        settings.put("num.network.threads", "2");
        settings.put("num.io.threads", "4");
        settings.put("broker.heartbeat.interval.ms", "500");
        settings.putAll(overrides);
        Properties properties = new Properties();
        properties.putAll(settings);
        return properties;
    }

    /** Writes {@link #toProperties()} as a {@code server.properties} file for {@code kafka.Kafka}. */
    public void writePropertiesFile(Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            toProperties().store(out, "single-node KRaft broker on " + bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write broker properties to " + file, e);
        }
    }

    /**
     * Formats {@link #logDir()} for a new cluster with {@code kafka.tools.StorageTool format}, as an operator would
     * before the first start. The directory must not hold a formatted log yet.
     *
     * @param propertiesFile the file written by {@link #writePropertiesFile(Path)}
     * @throws IllegalStateException when the tool refuses, with its message and output
     */
    public void formatStorage(Path propertiesFile) {
        Objects.requireNonNull(propertiesFile, "propertiesFile");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {
            "format", "--config", propertiesFile.toString(), "--cluster-id", Uuid.randomUuid().toString()
        };
        int status;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(args, printStream);
        } catch (Exception e) {
            throw new IllegalStateException("Formatting Kafka storage in " + logDir + " failed: " + e.getMessage()
                    + outputSuffix(output), e);
        }
        if (status != 0) {
            throw new IllegalStateException("Formatting Kafka storage in " + logDir + " failed with status " + status
                    + outputSuffix(output));
        }
    }

    private static String outputSuffix(ByteArrayOutputStream output) {
        String text = output.toString(StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "" : " (output: " + text + ")";
    }

    private static void requirePort(String name, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be between 1 and 65535, was " + port);
        }
    }
}
