package io.billingworker.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One documented configuration key: its name in the config file, its default (null = none) and what it means.
 * The configuration reference (docs/configuration.md) is generated from the list in {@link ConfigKeys}.
 */
public record ConfigKey(String name, String defaultValue, String description) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }

    /** The environment variable that overrides this key: {@code BILLING_} + the name in upper case, {@code .-} as {@code _}. */
    public String environmentVariable() {
        return environmentVariable(name);
    }

    static String environmentVariable(String name) {
        return "BILLING_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
