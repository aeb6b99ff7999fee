package io.billingworker.serde;

import java.util.Map;
import java.util.Objects;

/**
 * The schema registry client of a Confluent Avro serializer or deserializer: either handed in (whoever made it
 * closes it) or built from the serde config when Kafka calls {@code configure()} (then the serde closes it).
 */
final class SerdeRegistry {

    private final String serde;
    private SchemaRegistryClient client;
    private boolean owned;

    private SerdeRegistry(String serde, SchemaRegistryClient client) {
        this.serde = serde;
        this.client = client;
    }

    /** No client yet: {@link #configure} builds one. {@code serde} names the user in messages. */
    static SerdeRegistry unconfigured(String serde) {
        return new SerdeRegistry(serde, null);
    }

    /** A client handed in by the caller, who keeps closing it. */
    static SerdeRegistry handedIn(String serde, SchemaRegistryClient client) {
        return new SerdeRegistry(serde, Objects.requireNonNull(client, "registry"));
    }

    /** Reads the serde settings from {@code configs} and builds the client they ask for, unless one was handed in. */
    ConfluentAvroSerdeConfig configure(Map<String, ?> configs) {
        ConfluentAvroSerdeConfig config = new ConfluentAvroSerdeConfig(configs);
        if (client == null) {
            client = SchemaRegistryClients.forConfig(config);
            owned = true;
        }
        return config;
    }

    /** @throws IllegalStateException when no client was handed in or configured */
    void requireConfigured() {
        if (client == null) {
            throw new IllegalStateException(serde + " not configured: call configure() or pass a registry client");
        }
    }

    /** The client; see {@link #requireConfigured()}. */
    SchemaRegistryClient client() {
        requireConfigured();
        return client;
    }

    /** Closes the client when it was built here. */
    void close() {
        if (owned) {
            client.close();
        }
    }
}
