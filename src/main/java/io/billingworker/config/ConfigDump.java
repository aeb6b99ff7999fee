package io.billingworker.config;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The effective configuration as {@code key = value} lines, sorted, for operators ({@code config-dump}): every
 * documented key with the value that wins (override, environment, file or default), each merchant's keys, and the
 * {@code kafka.*} and {@code serde.*} pass-through properties. Secrets are masked: values of keys that name a
 * password, secret, token, credentials, JAAS config, user info or private key, and user information in URLs.
 * Keys that only point at a secret ({@code *-env}, {@code *-file}) are shown, with whether the variable is set.
 */
public final class ConfigDump {

    /** What a masked value is shown as; the same for every value, so not even its length leaks. */
    public static final String MASK = "****";

    private static final Pattern SENSITIVE_NAME = Pattern.compile(
            "(?i).*(password|passwd|secret|token|credential|jaas|user\\.info|userinfo|api-key|apikey|private"
                    + "|ssl\\.keystore\\.key).*");
    private static final Pattern POINTER_NAME = Pattern.compile("(?i).*(-env|-file|\\.location|\\.path|\\.type)$");
    private static final Pattern URL_USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");

    private ConfigDump() {
    }

    /** The dump of {@code config} as read from {@code source}. */
    public static String render(ConfigSource source, WorkerConfig config) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(config, "config");
        Map<String, String> values = new TreeMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            if (!key.name().contains("<id>")) {
                values.put(key.name(), source.get(key));
            }
        }
        for (WorkerConfig.Merchant merchant : config.merchants()) {
            String prefix = "merchants." + merchant.id() + ".";
            values.put(prefix + "payment-page-client-id", merchant.paymentPageClientId());
            values.put(prefix + "return-url", merchant.returnUrl());
            values.put(prefix + "rate-limit-per-second", Integer.toString(merchant.rateLimitPerSecond()));
            WorkerConfig.KeySource keySource = merchant.keySource();
            if (keySource.environmentVariable() != null) {
                values.put(prefix + "api-key-env", keySource.environmentVariable()
                        + (source.environmentVariable(keySource.environmentVariable()).isPresent() ? " (set)" : " (not set)"));
            } else {
                values.put(prefix + "api-key-file", keySource.file().toString());
            }
        }
        source.withPrefix("kafka.").forEach((name, value) -> values.putIfAbsent("kafka." + name, value));
        source.withPrefix("serde.").forEach((name, value) -> values.putIfAbsent("serde." + name, value));
        StringBuilder dump = new StringBuilder();
        values.forEach((name, value) -> dump.append(name).append(" = ")
                .append(value == null ? "" : masked(name, value)).append('\n'));
        return dump.toString();
    }

    /** {@code value} as it may be shown for key {@code name}. */
    static String masked(String name, String value) {
        if (SENSITIVE_NAME.matcher(name).matches() && !POINTER_NAME.matcher(name).matches()) {
            return MASK;
        }
        Matcher userInfo = URL_USER_INFO.matcher(value);
        return userInfo.replaceAll(match -> Matcher.quoteReplacement(match.group(1) + MASK + "@"));
    }
}
