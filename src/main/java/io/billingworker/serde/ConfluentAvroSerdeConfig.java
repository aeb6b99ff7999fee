package io.billingworker.serde;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The serde's settings, under Confluent's own key names (so a deployment can switch between these classes and
 * Confluent's by changing only the class names), plus two registry timeouts of our own. Unknown keys are ignored,
 * as Kafka passes the whole client config to serdes.
 */
public final class ConfluentAvroSerdeConfig extends AbstractConfig {

    /** Comma-separated registry base URLs (a path is allowed), or one {@code mock://<scope>}. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Serializer: register the record's schema under the subject (default true). */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Serializer, with auto.register.schemas=false: write with the subject's latest version (default false). */
    public static final String USE_LATEST_VERSION = "use.latest.version";
    /** Serializer: seconds a looked-up latest version is reused; -1 (default) = until restart, as Confluent. */
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    /** Deserializer: return generated SpecificRecord classes instead of GenericRecord (default false). */
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    /** Deserializer: the generated class to read keys as (default: the class named by the writer schema). */
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    /** Deserializer: the generated class to read values as (default: the class named by the writer schema). */
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    /** URL (user info in the registry URL, the default) or USER_INFO ({@link #BASIC_AUTH_USER_INFO}). */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    /** {@code user:password} for the registry, with credentials source USER_INFO. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Only Confluent's TopicNameStrategy ({@code <topic>-key}) is supported. */
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    /** Only Confluent's TopicNameStrategy ({@code <topic>-value}) is supported. */
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    /** Ours: timeout for a whole registry request, milliseconds (default 10000). */
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    /** Ours: timeout for opening a connection to the registry, milliseconds (default 5000). */
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";

    /** Confluent's default subject name strategy, the only one implemented here. */
    public static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, Type.LIST, List.of(), Importance.HIGH,
                    "Comma-separated schema registry base URLs, or mock://<scope> for an in-memory registry.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Register the record's schema under the subject when serializing.")
            .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.LOW,
                    "With auto.register.schemas=false, serialize with the subject's latest version.")
            .define(LATEST_CACHE_TTL_SEC, Type.LONG, -1L, Range.atLeast(-1), Importance.LOW,
                    "Seconds to reuse a looked-up latest version; -1 keeps it until restart.")
            .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Deserialize into generated SpecificRecord classes instead of GenericRecord.")
            .define(SPECIFIC_AVRO_KEY_TYPE, Type.STRING, null, Importance.LOW,
                    "Generated class to read keys as.")
            .define(SPECIFIC_AVRO_VALUE_TYPE, Type.STRING, null, Importance.LOW,
                    "Generated class to read values as.")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, "URL", ValidString.in("URL", "USER_INFO"),
                    Importance.MEDIUM, "Where the registry's basic auth credentials come from.")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "user:password for the registry, with basic.auth.credentials.source=USER_INFO.")
            .define(KEY_SUBJECT_NAME_STRATEGY, Type.STRING, TOPIC_NAME_STRATEGY, ConfluentAvroSerdeConfig::topicNameOnly,
                    Importance.LOW, "Subject name strategy for keys; only TopicNameStrategy.")
            .define(VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, TOPIC_NAME_STRATEGY, ConfluentAvroSerdeConfig::topicNameOnly,
                    Importance.LOW, "Subject name strategy for values; only TopicNameStrategy.")
            .define(REQUEST_TIMEOUT_MS, Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM,
                    "Timeout of one registry request, milliseconds.")
            .define(CONNECT_TIMEOUT_MS, Type.INT, 5_000, Range.atLeast(1), Importance.MEDIUM,
                    "Timeout for connecting to the registry, milliseconds.");

    /**
     * Parses and checks {@code configs}.
     *
     * @throws ConfigException naming the key and the bad value (passwords hidden)
     */
    public ConfluentAvroSerdeConfig(Map<String, ?> configs) {
        super(DEFINITION, configs, false);
    }

    /** The registry URLs as given, trimmed; empty when not configured. */
    public List<String> schemaRegistryUrls() {
        return getList(SCHEMA_REGISTRY_URL).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    /** Empty when a looked-up latest version is kept until restart. */
    public Optional<Duration> latestCacheTtl() {
        long seconds = getLong(LATEST_CACHE_TTL_SEC);
        return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    }

    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER);
    }

    /** The configured generated class name for keys or values, if any. */
    public Optional<String> specificAvroType(boolean isKey) {
        return Optional.ofNullable(getString(isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE))
                .map(String::strip).filter(s -> !s.isEmpty());
    }

    public boolean credentialsFromUserInfo() {
        return "USER_INFO".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE));
    }

    /** The configured {@code user:password}, if any. Never log it. */
    public Optional<String> basicAuthUserInfo() {
        Password password = getPassword(BASIC_AUTH_USER_INFO);
        return password == null || password.value().isEmpty() ? Optional.empty() : Optional.of(password.value());
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS));
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getInt(CONNECT_TIMEOUT_MS));
    }

    private static void topicNameOnly(String name, Object value) {
        if (value != null && !TOPIC_NAME_STRATEGY.equals(value)) {
            throw new ConfigException(name, value, "only " + TOPIC_NAME_STRATEGY + " is supported");
        }
    }
}
