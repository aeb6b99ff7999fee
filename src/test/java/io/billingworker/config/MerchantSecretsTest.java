package io.billingworker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.billingworker.sessionapi.MerchantCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MerchantSecretsTest {

    @TempDir
    Path dir;

    private ConfigSource source(Path keyFile, Map<String, String> environment) {
        Map<String, String> file = new HashMap<>();
        file.put("schema.registry.url", "mock://secrets");
        file.put("merchants.ids", "m1,m2");
        file.put("merchants.default", "m1");
        file.put("merchants.m1.payment-page-client-id", "c1");
        file.put("merchants.m1.api-key-env", "M1_KEY");
        file.put("merchants.m2.payment-page-client-id", "c2");
        file.put("merchants.m2.api-key-file", keyFile.toString());
        return new ConfigSource(file, environment, Map.of());
    }

    @Test
    void shouldReadKeysFromEnvironmentAndFile() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("m2.key"), "file-secret-2\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        ConfigSource source = source(keyFile, Map.of("M1_KEY", "env-secret-1"));

        Map<String, MerchantCredentials> credentials = MerchantSecrets.load(WorkerConfig.from(source), source);

        assertThat(credentials).containsOnlyKeys("m1", "m2");
        assertThat(credentials.get("m2").toString()).doesNotContain("file-secret-2");
        assertThat(credentials.get("m1").apiKey()).isEqualTo(io.billingworker.sessionapi.ApiKey.of("env-secret-1"));
        assertThat(credentials.get("m2").apiKey()).isEqualTo(io.billingworker.sessionapi.ApiKey.of("file-secret-2"));
    }

    @Test
    void shouldRefuseAKeyFileOthersCanWriteAndAMissingVariable() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("m2.key"), "file-secret-2");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-rw-rw-"));
        ConfigSource source = source(keyFile, Map.of());

        assertThatThrownBy(() -> MerchantSecrets.load(WorkerConfig.from(source), source))
                .isInstanceOf(ConfigException.class)
                .satisfies(error -> assertThat(((ConfigException) error).problems()).containsExactly(
                        "merchants.m1.api-key-env: environment variable M1_KEY is not set or empty",
                        "merchants.m2.api-key-file: " + keyFile + " is writable by group or others; chmod go-w it"))
                .hasMessageNotContaining("file-secret-2");
    }
}
