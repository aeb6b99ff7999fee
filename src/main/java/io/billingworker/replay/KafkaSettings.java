package io.billingworker.replay;

import io.billingworker.config.ConfigKeys;
import io.billingworker.config.ConfigSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How the replay tools connect to Kafka: the worker's own settings ({@code kafka.bootstrap.servers} and the
 * {@code kafka.*}, {@code kafka.consumer.*}, {@code kafka.producer.*} pass-through properties), so that operators
 * point them at the same cluster with the same security settings.
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> common, Map<String, String> consumer,
        Map<String, String> producer) {

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        common = Map.copyOf(common);
        consumer = Map.copyOf(consumer);
        producer = Map.copyOf(producer);
    }

    /** Just a bootstrap address, no other properties. */
    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of(), Map.of(), Map.of());
    }

    /** Reads the worker's Kafka settings (config file, {@code BILLING_*} environment, overrides). */
    public static KafkaSettings from(ConfigSource source) {
        Map<String, String> common = new LinkedHashMap<>(source.withPrefix("kafka."));
        common.keySet().removeIf(name -> name.startsWith("consumer.") || name.startsWith("producer.")
                || name.equals("bootstrap.servers") || name.equals("group.id"));
        return new KafkaSettings(source.get(ConfigKeys.BOOTSTRAP_SERVERS), common,
                source.withPrefix("kafka.consumer."), source.withPrefix("kafka.producer."));
    }

    Map<String, Object> adminProps(String clientId) {
        Map<String, Object> props = new HashMap<>(common);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }

    /** A consumer that commits only when told to, reads committed records only, never subscribes. */
    Map<String, Object> consumerProps(String groupId, String clientId) {
        Map<String, Object> props = new HashMap<>(common);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        props.putAll(consumer);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    /** An idempotent producer waiting for all in-sync replicas; not transactional. */
    Map<String, Object> producerProps(String clientId) {
        Map<String, Object> props = new HashMap<>(common);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putAll(producer);
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }
}
