package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.app.Main;
import io.billingworker.config.ConfigDump;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Secrets come from environment variables or permission-checked files, never from arguments or the config file, and
 * the {@code config-dump} command shows the effective configuration with every secret masked.
 */
class SecretHandlingTest {

    private static final String JAAS_PASSWORD = "jaas-s3cret";
    private static final String SSL_PASSWORD = "ssl-s3cret";
    private static final String REGISTRY_PASSWORD = "registry-s3cret";
    private static final String USER_INFO_PASSWORD = "userinfo-s3cret";
    private static final String API_KEY = "key_live_0123456789abcdef";

    @TempDir
    Path directory;

    @Test
    void shouldMaskSecretsInTheConfigDump() throws IOException {
        Path file = configFile("");
        ConfigSource source = ConfigSource.load(file, Map.of("M1_KEY", API_KEY, "TS_PASSWORD", SSL_PASSWORD), Map.of());

        String dump = ConfigDump.render(source, WorkerConfig.from(source));

        assertThat(dump).doesNotContain(JAAS_PASSWORD, SSL_PASSWORD, REGISTRY_PASSWORD, USER_INFO_PASSWORD, API_KEY);
        assertThat(dump.lines()).contains(
                "kafka.sasl.jaas.config = ****",
                "kafka.ssl.truststore.password = ****",
                "kafka.sasl.mechanism = PLAIN",
                "serde.basic.auth.user.info = ****",
                "schema.registry.url = https://****@registry.example.com/apis/ccompat/v7",
                "merchants.m1.api-key-env = M1_KEY (set)",
                "merchants.m1.payment-page-client-id = client-1",
                "juspay.truststore.password-env = TS_PASSWORD",
                "juspay.base-url = https://sandbox.juspay.in",
                "processing.max-in-flight = 256");
    }

    @Test
    void shouldPrintTheMaskedDumpFromTheCommandLine() throws IOException {
        Path file = configFile("");
        StringWriter out = new StringWriter();

        int exit = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("config-dump", "--config", file.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).doesNotContain(JAAS_PASSWORD, SSL_PASSWORD, REGISTRY_PASSWORD, USER_INFO_PASSWORD);
        assertThat(out.toString().lines()).contains("kafka.sasl.jaas.config = ****", "merchants.m1.api-key-env = M1_KEY (not set)");
    }

    @Test
    void shouldRefuseAnApiKeyInTheConfigFileWithoutEchoingIt() throws IOException {
        Path file = configFile("merchants.m1.api-key=" + API_KEY + "\n");
        StringWriter err = new StringWriter();

        int exit = new CommandLine(new Main()).setErr(new PrintWriter(err)).execute("config-dump", "--config", file.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("merchants.m1.api-key: API keys are never put in config; use "
                + "merchants.m1.api-key-env or merchants.m1.api-key-file").doesNotContain(API_KEY);
    }

    @Test
    void shouldRefuseAnApiKeyOnTheCommandLine() {
        StringWriter err = new StringWriter();

        int exit = new CommandLine(new Main()).setErr(new PrintWriter(err)).execute("run", "--api-key", API_KEY);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Unknown options: '--api-key', '" + API_KEY + "'");
    }

    @Test
    void shouldRefuseToRunWithAKeyFileOthersMayWrite() throws IOException {
        Path keyFile = directory.resolve("m1.key");
        Files.writeString(keyFile, API_KEY);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path file = configFile("merchants.m1.api-key-file=" + keyFile + "\n")
                .resolveSibling("with-key-file.properties");
        Files.writeString(file, Files.readString(directory.resolve("worker.properties"))
                .replace("merchants.m1.api-key-env=M1_KEY\n", ""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;

        int exit;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new Main()).execute("run", "--config", file.toString());
        } finally {
            System.setErr(original);
        }

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("merchants.m1.api-key-file: " + keyFile + " is writable by group or others; chmod go-w it")
                .doesNotContain(API_KEY);
    }

    private Path configFile(String extra) throws IOException {
        String text = """
                kafka.bootstrap.servers=127.0.0.1:9
                kafka.sasl.mechanism=PLAIN
                kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="%s";
                kafka.ssl.truststore.password=%s
                schema.registry.url=https://reg:%s@registry.example.com/apis/ccompat/v7
                serde.basic.auth.user.info=user:%s
                juspay.truststore.password-env=TS_PASSWORD
                merchants.ids=m1
                merchants.default=m1
                merchants.m1.payment-page-client-id=client-1
                merchants.m1.api-key-env=M1_KEY
                """.formatted(JAAS_PASSWORD, SSL_PASSWORD, REGISTRY_PASSWORD, USER_INFO_PASSWORD) + extra;
        Path file = directory.resolve("worker.properties");
        Files.writeString(file, text);
        return file;
    }
}
