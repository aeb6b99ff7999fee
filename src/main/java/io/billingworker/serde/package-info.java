/**
 * Confluent wire-format Avro serialization: magic byte 0, a 4-byte big-endian schema id, then Avro binary.
 *
 * <p>{@link io.billingworker.serde.ConfluentAvroSerializer} and {@link io.billingworker.serde.ConfluentAvroDeserializer}
 * are byte-compatible with Confluent's {@code KafkaAvroSerializer}/{@code KafkaAvroDeserializer} and read the same
 * config keys, so a deployment can swap between them by config alone. Schema ids come from a
 * {@link io.billingworker.serde.SchemaRegistryClient}: the REST client for Confluent-API registries (Confluent,
 * Apicurio's {@code /apis/ccompat/v7}, Karapace, Redpanda) or the in-memory registry for {@code mock://} URLs.
 *
 * <p>Failures come in two kinds the caller must treat differently: {@link io.billingworker.serde.UndecodableRecordException}
 * (the record itself is bad; retrying cannot help) and {@link io.billingworker.serde.SchemaRegistryUnavailableException}
 * (the registry cannot answer now; retry later, never dead-letter for it).
 */
package io.billingworker.serde;
