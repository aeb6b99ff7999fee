package io.billingworker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Attributes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What ships: the packaged jar's manifest names its runtime class path ({@code lib/}), and neither that list nor the
 * jar holds a Kafka broker, Scala, HdrHistogram, a test library or the developer tools of {@code src/dev/java}.
 */
class RuntimeClasspathIT {

    private static final Path JAR = Path.of(System.getProperty("packaged.jar",
            "target/billing-session-worker-0.1.0-SNAPSHOT.jar"));

    /** Artifact name prefixes that belong to the dev class path only. */
    private static final List<String> DEV_ONLY = List.of("kafka_2.13", "kafka-server", "kafka-raft", "kafka-metadata",
            "kafka-storage", "kafka-group-coordinator", "kafka-transaction-coordinator", "kafka-share-coordinator",
            "kafka-coordinator-common", "kafka-tools", "scala-", "HdrHistogram", "junit-", "assertj", "awaitility",
            "testcontainers", "kafka-1.", "helm-java", "linux-amd64", "jackson-dataformat-yaml", "jackson-module-scala",
            "opentest4j");

    /** Classes of src/dev/java: the demo, the embedded broker, the simulator, the benchmark. */
    private static final List<String> DEV_CLASSES = List.of("io/billingworker/simulator/", "io/billingworker/bench/",
            "io/billingworker/app/DevMain", "io/billingworker/app/DemoCommand", "io/billingworker/app/DemoSignups",
            "io/billingworker/app/SampleSignupsCommand", "io/billingworker/app/EmbeddedKafkaBroker",
            "io/billingworker/app/BrokerProcessLauncher", "io/billingworker/app/KraftNodeSettings",
            "io/billingworker/app/KafkaExitGuard", "io/billingworker/app/LoopbackPorts");

    @Test
    void shouldNameExactlyTheLibFolderInTheManifestWithoutBrokerOrDevArtifacts() throws IOException {
        List<String> classPath;
        String mainClass;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes attributes = jar.getManifest().getMainAttributes();
            classPath = Arrays.asList(attributes.getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+"));
            mainClass = attributes.getValue(Attributes.Name.MAIN_CLASS);
        }
        List<String> lib;
        try (Stream<Path> files = Files.list(JAR.resolveSibling("lib"))) {
            lib = files.map(file -> "lib/" + file.getFileName()).sorted().toList();
        }

        assertThat(mainClass).isEqualTo("io.billingworker.app.Main");
        assertThat(classPath).isNotEmpty().allSatisfy(entry -> assertThat(entry).startsWith("lib/"));
        assertThat(lib).containsAll(classPath);
        assertThat(classPath).anySatisfy(entry -> assertThat(entry).startsWith("lib/kafka-clients-"));
        assertThat(classPath).allSatisfy(entry -> assertThat(DEV_ONLY)
                .noneSatisfy(prefix -> assertThat(entry).startsWith("lib/" + prefix)));
    }

    @Test
    void shouldHoldNoDeveloperToolInTheJar() throws IOException {
        List<String> entries;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            entries = jar.stream().map(JarEntry::getName).toList();
        }

        assertThat(entries).contains("io/billingworker/app/Main.class", "io/billingworker/app/Worker.class",
                "META-INF/services/ch.qos.logback.classic.spi.Configurator");
        assertThat(entries).allSatisfy(entry -> assertThat(DEV_CLASSES)
                .noneSatisfy(prefix -> assertThat(entry).startsWith(prefix)));
        assertThat(entries).doesNotContain("logback-test.xml");
    }
}
