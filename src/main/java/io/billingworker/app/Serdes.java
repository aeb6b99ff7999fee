package io.billingworker.app;

import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds the value serializer and deserializer from their configured class names, the way Kafka clients do,
 * so Confluent's own classes can replace ours by configuration alone.
 */
final class Serdes {

    private Serdes() {
    }

    static Deserializer<?> valueDeserializer(WorkerConfig.Registry registry, ConfigSource source) {
        Deserializer<?> deserializer = instantiate(registry.valueDeserializer(), Deserializer.class);
        deserializer.configure(serdeConfig(registry, source), false);
        return deserializer;
    }

    @SuppressWarnings("unchecked")
    static Serializer<Object> valueSerializer(WorkerConfig.Registry registry, ConfigSource source) {
        Serializer<Object> serializer = instantiate(registry.valueSerializer(), Serializer.class);
        serializer.configure(serdeConfig(registry, source), false);
        return serializer;
    }

    static Map<String, Object> serdeConfig(WorkerConfig.Registry registry, ConfigSource source) {
        Map<String, Object> config = new HashMap<>();
        config.put("specific.avro.reader", "true");
        // Any compatible writer schema reads as the worker's class, whatever its namespace (docs/publishing.md).
        config.put("specific.avro.value.type", SubscriptionSignup.class.getName());
        config.putAll(registry.serdeProperties());
        config.put("schema.registry.url", registry.url());
        registryUserInfo(registry, source).ifPresent(userInfo -> {
            config.put("basic.auth.credentials.source", "USER_INFO");
            config.put("basic.auth.user.info", userInfo);
        });
        return config;
    }

    /** The registry's {@code user:password}, from the environment variable the config names, if any. */
    static Optional<String> registryUserInfo(WorkerConfig.Registry registry, ConfigSource source) {
        return Optional.ofNullable(registry.basicAuthEnv()).flatMap(source::environmentVariable);
    }

    private static <T> T instantiate(String className, Class<T> type) {
        try {
            Object instance = Class.forName(className).getDeclaredConstructor().newInstance();
            return type.cast(instance);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("cannot create " + type.getSimpleName() + " " + className + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
