package io.billingworker.config;

import io.billingworker.sessionapi.ApiKey;
import io.billingworker.sessionapi.MerchantCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads merchants' API keys from where the config says they are: an environment variable or a file.
 * Keys never come from the command line or the config file itself. A key file that group or others may
 * write is refused (anyone who can write it can redirect payments to their own merchant account).
 * Error messages name the variable or file, never the key.
 */
public final class MerchantSecrets {

    private MerchantSecrets() {
    }

    /** Credentials for every configured merchant; throws {@link ConfigException} listing every missing key. */
    public static Map<String, MerchantCredentials> load(WorkerConfig config, ConfigSource source) {
        Map<String, MerchantCredentials> credentials = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (WorkerConfig.Merchant merchant : config.merchants()) {
            WorkerConfig.KeySource keySource = merchant.keySource();
            String prefix = "merchants." + merchant.id() + ".";
            String key = null;
            if (keySource.environmentVariable() != null) {
                key = source.environmentVariable(keySource.environmentVariable()).orElse(null);
                if (key == null) {
                    problems.add(prefix + "api-key-env: environment variable " + keySource.environmentVariable()
                            + " is not set or empty");
                }
            } else {
                try {
                    key = readKeyFile(keySource.file());
                } catch (IllegalStateException e) {
                    problems.add(prefix + "api-key-file: " + e.getMessage());
                }
            }
            if (key != null) {
                credentials.put(merchant.id(), new MerchantCredentials(merchant.id(), ApiKey.of(key.strip())));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return credentials;
    }

    static String readKeyFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is not a readable file");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalStateException(file + " is writable by group or others; chmod go-w it");
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        } catch (IOException e) {
            throw new IllegalStateException(file + " cannot be checked: " + e.getClass().getSimpleName());
        }
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw new IllegalStateException(file + " is empty");
            }
            return key;
        } catch (IOException e) {
            throw new IllegalStateException(file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }
}
