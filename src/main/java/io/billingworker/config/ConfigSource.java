package io.billingworker.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where configuration values come from, highest precedence first: explicit overrides (the demo and tests),
 * environment variables ({@link ConfigKey#environmentVariable()}), the config file (Java properties), defaults.
 */
public final class ConfigSource {

    private final Map<String, String> file;
    private final Map<String, String> environment;
    private final Map<String, String> overrides;

    public ConfigSource(Map<String, String> file, Map<String, String> environment, Map<String, String> overrides) {
        this.file = Map.copyOf(Objects.requireNonNull(file, "file"));
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
    }

    /** Reads {@code configFile} (may be null) and takes the process environment. */
    public static ConfigSource load(Path configFile, Map<String, String> environment, Map<String, String> overrides) {
        return new ConfigSource(readProperties(configFile), environment, overrides);
    }

    /** The value of {@code name}, or empty. Blank values count as unset. */
    public Optional<String> find(String name) {
        String value = overrides.get(name);
        if (value == null) {
            value = environment.get(ConfigKey.environmentVariable(name));
        }
        if (value == null) {
            value = file.get(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The value of {@code key}, its default when unset (null when it has none). */
    public String get(ConfigKey key) {
        return find(key.name()).orElse(key.defaultValue());
    }

    /** Every key starting with {@code prefix} (file and overrides), with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new TreeMap<>();
        Map<String, String> merged = new HashMap<>(file);
        merged.putAll(overrides);
        merged.forEach((name, value) -> {
            if (name.startsWith(prefix) && value != null && !value.isBlank()) {
                found.put(name.substring(prefix.length()), value.trim());
            }
        });
        return found;
    }

    /** The keys of the config file, in sorted order. */
    public List<String> fileKeys() {
        return file.keySet().stream().sorted().toList();
    }

    /** An environment variable by its exact name (for secrets named in config), or empty. */
    public Optional<String> environmentVariable(String name) {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isEmpty());
    }

    private static Map<String, String> readProperties(Path configFile) {
        if (configFile == null) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + configFile + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }
}
