package io.billingworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KraftNodeSettingsTest {

    @TempDir
    Path tempDir;

    @Test
    void shouldDescribeACombinedNodeListeningOnLoopbackOnly() {
        KraftNodeSettings settings = new KraftNodeSettings(19092, 19093, tempDir, false, Map.of());

        Properties properties = settings.toProperties();

        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(properties)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093")
                .containsEntry("log.dirs", tempDir.toAbsolutePath().toString())
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void shouldSetEveryInternalTopicToOneReplicaSoTransactionsWorkOnOneNode() {
        Properties properties = new KraftNodeSettings(19092, 19093, tempDir, true, Map.of()).toProperties();

        assertThat(properties)
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("share.coordinator.state.topic.min.isr", "1")
                .containsEntry("default.replication.factor", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("auto.create.topics.enable", "true");
    }

    @Test
    void shouldLetOverridesWinOverDefaults() {
        Map<String, String> overrides = Map.of("num.partitions", "6", "log.retention.ms", "60000");

        Properties properties = new KraftNodeSettings(19092, 19093, tempDir, false, overrides).toProperties();

        assertThat(properties).containsEntry("num.partitions", "6").containsEntry("log.retention.ms", "60000");
    }

    @Test
    void shouldFormatAnEmptyLogDirectoryAndRefuseToFormatItForAnotherCluster() throws Exception {
        Path logDir = Files.createDirectory(tempDir.resolve("data"));
        KraftNodeSettings settings = new KraftNodeSettings(19092, 19093, logDir, false, Map.of());
        Path propertiesFile = tempDir.resolve("server.properties");
        settings.writePropertiesFile(propertiesFile);

        settings.formatStorage(propertiesFile);

        assertThat(logDir.resolve("meta.properties")).exists();
        assertThat(Files.readString(logDir.resolve("meta.properties"))).contains("node.id=1");
        assertThatThrownBy(() -> settings.formatStorage(propertiesFile))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Formatting Kafka storage in " + logDir + " failed: ")
                .hasMessageContaining("Invalid cluster.id in: " + logDir.resolve("meta.properties"));
    }

    @Test
    void shouldRejectInvalidPorts() {
        assertThatThrownBy(() -> new KraftNodeSettings(0, 19093, tempDir, false, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("brokerPort must be between 1 and 65535, was 0");
        assertThatThrownBy(() -> new KraftNodeSettings(19092, 70000, tempDir, false, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("controllerPort must be between 1 and 65535, was 70000");
        assertThatThrownBy(() -> new KraftNodeSettings(19092, 19092, tempDir, false, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("brokerPort and controllerPort must differ, both are 19092");
    }
}
