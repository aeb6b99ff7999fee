package com.acme.billing;

import java.io.File;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes a subscription signup for the billing worker. */
public final class PublishSignup {

    public static final String TOPIC = "subscription.signups";

    private PublishSignup() {
    }

    /** String keys; Confluent Avro values, their schema registered under subscription.signups-value. */
    public static Properties producerConfig(String bootstrapServers, String registryUrl) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "io.confluent.kafka.serializers.KafkaAvroSerializer");
        config.put("schema.registry.url", registryUrl);
        return config;
    }

    /** A signup of your copy of SubscriptionSignup.avsc; fields left unset take the schema's defaults. */
    public static GenericRecord signup(Schema schema, String eventId, String subscriptionId) {
        GenericRecord customer = new GenericRecordBuilder(schema.getField("customer").schema())
                .set("customer_id", "cth_" + subscriptionId)
                .set("first_name", "John")
                .build();
        GenericRecord plan = new GenericRecordBuilder(schema.getField("plan").schema())
                .set("plan_id", "sample_fixed_plan")
                .build();
        GenericRecord mandate = new GenericRecordBuilder(schema.getField("mandate").schema())
                .set("max_amount", "100")
                .build();
        return new GenericRecordBuilder(schema)
                .set("event_id", eventId)
                .set("occurred_at", Instant.now().toEpochMilli())
                .set("subscription_id", subscriptionId)
                .set("amount", "1.0")
                .set("customer", customer)
                .set("plan", plan)
                .set("mandate", mandate)
                .build();
    }

    /** Sends the signup keyed by its subscription id and waits until the broker has it. */
    public static RecordMetadata send(Properties config, String topic, GenericRecord signup) throws Exception {
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            String key = signup.get("subscription_id").toString();
            return producer.send(new ProducerRecord<>(topic, key, signup)).get();
        }
    }

    /** Arguments: bootstrap servers, schema registry URL, your copy of SubscriptionSignup.avsc. */
    public static void main(String[] args) throws Exception {
        Schema schema = new Schema.Parser().parse(new File(args[2]));
        GenericRecord signup = signup(schema, UUID.randomUUID().toString(), "sub_" + UUID.randomUUID());
        RecordMetadata sent = send(producerConfig(args[0], args[1]), TOPIC, signup);
        System.out.println("published " + signup.get("event_id") + " at " + sent.topic() + "-" + sent.partition()
                + "@" + sent.offset());
    }
}
