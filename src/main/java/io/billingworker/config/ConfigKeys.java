package io.billingworker.config;

import java.util.List;

/**
 * Every configuration key the worker reads, with default and meaning. The configuration reference
 * (docs/configuration.md) is generated from this list ({@code Main config-reference}), and a test keeps the two
 * equal.
 */
public final class ConfigKeys {

    public static final ConfigKey BOOTSTRAP_SERVERS = key("kafka.bootstrap.servers", "localhost:9092",
            "Kafka bootstrap servers. Any other `kafka.<property>` is passed to both the consumer and the producer; "
                    + "`kafka.consumer.<property>` and `kafka.producer.<property>` to one of them.");
    public static final ConfigKey GROUP_ID = key("kafka.group.id", "billing-session-worker",
            "Consumer group of the workers; partitions of the input topic are shared among its members.");
    public static final ConfigKey TOPIC_INPUT = key("topics.input", "subscription.signups",
            "Topic of `SubscriptionSignup` events.");
    public static final ConfigKey TOPIC_CREATED = key("topics.created", "billing.sessions.created",
            "Topic of `BillingSessionCreated` outcomes.");
    public static final ConfigKey TOPIC_FAILED = key("topics.failed", "billing.sessions.failed",
            "Topic of `BillingSessionFailed` outcomes.");
    public static final ConfigKey TOPIC_DEAD_LETTER = key("topics.dead-letter", "subscription.signups.dlt",
            "Dead-letter topic: original records byte for byte, with `dlt.*` headers saying why.");

    public static final ConfigKey REGISTRY_URL = key("schema.registry.url", null,
            "Confluent-compatible schema registry URL(s), comma separated; `mock://<scope>` keeps schemas in memory "
                    + "(demo and tests only; `run` refuses it). Required.");
    public static final ConfigKey REGISTRY_AUTH_ENV = key("schema.registry.basic-auth-env", null,
            "Name of an environment variable holding `user:password` for the registry's basic auth.");
    public static final ConfigKey VALUE_DESERIALIZER = key("serde.value.deserializer",
            "io.billingworker.serde.ConfluentAvroDeserializer",
            "Kafka Deserializer class for signup values (Confluent's `KafkaAvroDeserializer` also works). "
                    + "Any `serde.<property>` is passed to the serializer and deserializer.");
    public static final ConfigKey VALUE_SERIALIZER = key("serde.value.serializer",
            "io.billingworker.serde.ConfluentAvroSerializer",
            "Kafka Serializer class for outcome values (Confluent's `KafkaAvroSerializer` also works).");

    public static final ConfigKey GUARANTEE = key("processing.guarantee", "at-least-once",
            "`at-least-once`, or `exactly-once`: outcomes and consumer offsets commit in one Kafka transaction.");
    public static final ConfigKey MAX_IN_FLIGHT = key("processing.max-in-flight", "256",
            "Signups processed at once across all keys (calls in flight, including their retries).");
    public static final ConfigKey MAX_BUFFERED = key("processing.max-buffered", "10000",
            "Records fetched and not yet finished before fetching pauses (bounds memory).");
    public static final ConfigKey COMMIT_INTERVAL = key("processing.commit-interval-ms", "1000",
            "How often offsets (exactly-once: transactions) are committed.");
    public static final ConfigKey POLL_TIMEOUT = key("processing.poll-timeout-ms", "100",
            "Longest single consumer poll.");
    public static final ConfigKey REBALANCE_DRAIN = key("processing.rebalance-drain-ms", "10000",
            "When partitions are revoked, how long to wait for their calls in flight before handing them over.");
    public static final ConfigKey SHUTDOWN_GRACE = key("processing.shutdown-grace-ms", "30000",
            "On SIGTERM, how long to wait for calls in flight before closing.");
    public static final ConfigKey MAX_HOLD = key("processing.max-hold-ms", "600000",
            "Longest a record may be in processing while it waits (its merchant's breaker open, throttled, schema "
                    + "registry down); then it is dead-lettered as `HELD_TOO_LONG`. 0 = no limit.");
    public static final ConfigKey OFFSET_METADATA_MAX_BYTES = key("processing.offset-metadata-max-bytes", "4096",
            "Longest offset-commit metadata naming the records finished above the committed position, which the next "
                    + "owner of the partition skips; at most the broker's `offset.metadata.max.bytes`. 0 = none.");

    public static final ConfigKey BASE_URL = key("juspay.base-url", "https://sandbox.juspay.in",
            "Juspay API base URL: `https://sandbox.juspay.in` or `https://api.juspay.in`.");
    public static final ConfigKey ALLOW_HTTP = key("juspay.allow-insecure-http", "false",
            "Allow a plain `http://` base URL (the local simulator only).");
    public static final ConfigKey CONNECT_TIMEOUT = key("juspay.connect-timeout-ms", "3000",
            "TCP/TLS connect timeout.");
    public static final ConfigKey RESPONSE_TIMEOUT = key("juspay.response-timeout-ms", "15000",
            "How long to wait for a `/session` response before the attempt counts as a timeout.");
    public static final ConfigKey LEASE_TIMEOUT = key("juspay.pool-lease-timeout-ms", "5000",
            "How long a call waits for a pooled connection.");
    public static final ConfigKey MAX_CONNECTIONS = key("juspay.max-connections", "0",
            "Connection pool size; 0 = `processing.max-in-flight`.");
    public static final ConfigKey MAX_RESPONSE_BYTES = key("juspay.max-response-bytes", "1048576",
            "Longest `/session` response body read, 1024 to 67108864 bytes. A longer 2xx body is cut there and counts as an "
                    + "invalid response: retried, then dead-lettered as `INVALID_RESPONSE`.");
    public static final ConfigKey TRUSTSTORE_PATH = key("juspay.truststore.path", null,
            "Truststore (PKCS12 or JKS) for the API's certificates; the JDK's default trust when unset.");
    public static final ConfigKey TRUSTSTORE_PASSWORD_ENV = key("juspay.truststore.password-env", null,
            "Name of an environment variable holding the truststore password.");
    public static final ConfigKey CREATE_MANDATE = key("juspay.options.create-mandate", "REQUIRED",
            "`options.create_mandate` sent with every session: REQUIRED or OPTIONAL.");
    public static final ConfigKey UPI_DEEP_LINKS = key("juspay.options.get-upi-deep-links", "false",
            "`options.get_upi_deep_links` sent with every session.");

    public static final ConfigKey RETRY_MAX_ATTEMPTS = key("retry.max-attempts", "6",
            "Attempts per signup for retryable errors (5xx, 404, 429, timeouts, connection failures, invalid 2xx "
                    + "bodies), first included.");
    public static final ConfigKey RETRY_INITIAL_BACKOFF = key("retry.initial-backoff-ms", "200",
            "Wait before the second attempt; grows exponentially with jitter.");
    public static final ConfigKey RETRY_MULTIPLIER = key("retry.multiplier", "2.0", "Backoff growth factor.");
    public static final ConfigKey RETRY_MAX_BACKOFF = key("retry.max-backoff-ms", "10000",
            "Longest wait between attempts, `Retry-After` included.");
    public static final ConfigKey BREAKER_FAILURE_RATE = key("breaker.failure-rate-percent", "50",
            "A merchant's circuit breaker opens when this share of recent calls failed with retryable errors.");
    public static final ConfigKey BREAKER_WINDOW = key("breaker.window-calls", "50",
            "Calls in the breaker's sliding window.");
    public static final ConfigKey BREAKER_MIN_CALLS = key("breaker.minimum-calls", "20",
            "Calls needed before the failure rate is judged.");
    public static final ConfigKey BREAKER_OPEN_WAIT = key("breaker.open-wait-ms", "30000",
            "How long an open breaker stays open before letting trial calls through.");
    public static final ConfigKey BREAKER_HALF_OPEN_CALLS = key("breaker.half-open-calls", "5",
            "Trial calls in the half-open state.");
    public static final ConfigKey RATE_LIMIT_DEFAULT = key("rate-limit.per-second", "200",
            "Calls per second per merchant unless the merchant sets its own.");
    public static final ConfigKey RATE_LIMIT_WAIT = key("rate-limit.wait-timeout-ms", "60000",
            "Longest wait for a rate-limit permit before the attempt is retried.");

    public static final ConfigKey MERCHANT_IDS = key("merchants.ids", null,
            "Comma-separated Juspay merchant ids this worker serves. Required.");
    public static final ConfigKey MERCHANT_DEFAULT = key("merchants.default", null,
            "Merchant used for signups whose `merchant_id` is null; one of `merchants.ids`. Required.");
    public static final ConfigKey MERCHANT_CLIENT_ID = key("merchants.<id>.payment-page-client-id", null,
            "`payment_page_client_id` of merchant `<id>`. Required per merchant.");
    public static final ConfigKey MERCHANT_KEY_ENV = key("merchants.<id>.api-key-env", null,
            "Name of the environment variable holding merchant `<id>`'s API key (this or `api-key-file`).");
    public static final ConfigKey MERCHANT_KEY_FILE = key("merchants.<id>.api-key-file", null,
            "File holding merchant `<id>`'s API key; must not be writable by group or others.");
    public static final ConfigKey MERCHANT_RETURN_URL = key("merchants.<id>.return-url", null,
            "Default `return_url` of merchant `<id>` for signups without one.");
    public static final ConfigKey MERCHANT_RATE_LIMIT = key("merchants.<id>.rate-limit-per-second", null,
            "Calls per second for merchant `<id>`; `rate-limit.per-second` when unset.");

    public static final ConfigKey SDK_PAYLOAD = key("outcome.sdk-payload", "full",
            "`full`: a created outcome's `sdk_payload_json` is Juspay's `sdk_payload` verbatim, as the checkout SDK "
                    + "needs it; it carries the customer's email and phone. `omit`: the field is left empty (null).");

    public static final ConfigKey OPS_PORT = key("ops.port", "9400",
            "Port of `/metrics`, `/health/live` and `/health/ready`; 0 turns the endpoint off.");
    public static final ConfigKey OPS_HOST = key("ops.host", "0.0.0.0", "Address the ops endpoint binds.");

    /** All keys, in the order of the reference. */
    public static final List<ConfigKey> ALL = List.of(
            BOOTSTRAP_SERVERS, GROUP_ID, TOPIC_INPUT, TOPIC_CREATED, TOPIC_FAILED, TOPIC_DEAD_LETTER,
            REGISTRY_URL, REGISTRY_AUTH_ENV, VALUE_DESERIALIZER, VALUE_SERIALIZER,
            GUARANTEE, MAX_IN_FLIGHT, MAX_BUFFERED, COMMIT_INTERVAL, POLL_TIMEOUT, REBALANCE_DRAIN, SHUTDOWN_GRACE,
            MAX_HOLD, OFFSET_METADATA_MAX_BYTES,
            BASE_URL, ALLOW_HTTP, CONNECT_TIMEOUT, RESPONSE_TIMEOUT, LEASE_TIMEOUT, MAX_CONNECTIONS,
            MAX_RESPONSE_BYTES, TRUSTSTORE_PATH, TRUSTSTORE_PASSWORD_ENV, CREATE_MANDATE, UPI_DEEP_LINKS,
            RETRY_MAX_ATTEMPTS, RETRY_INITIAL_BACKOFF, RETRY_MULTIPLIER, RETRY_MAX_BACKOFF,
            BREAKER_FAILURE_RATE, BREAKER_WINDOW, BREAKER_MIN_CALLS, BREAKER_OPEN_WAIT, BREAKER_HALF_OPEN_CALLS,
            RATE_LIMIT_DEFAULT, RATE_LIMIT_WAIT,
            MERCHANT_IDS, MERCHANT_DEFAULT, MERCHANT_CLIENT_ID, MERCHANT_KEY_ENV, MERCHANT_KEY_FILE,
            MERCHANT_RETURN_URL, MERCHANT_RATE_LIMIT,
            SDK_PAYLOAD,
            OPS_PORT, OPS_HOST);

    private ConfigKeys() {
    }

    private static ConfigKey key(String name, String defaultValue, String description) {
        return new ConfigKey(name, defaultValue, description);
    }

    /** The configuration reference as a Markdown table. */
    public static String markdownReference() {
        StringBuilder table = new StringBuilder();
        table.append("| key | default | environment override | meaning |\n");
        table.append("|---|---|---|---|\n");
        for (ConfigKey key : ALL) {
            table.append("| `").append(key.name()).append("` | ")
                    .append(key.defaultValue() == null ? "" : "`" + key.defaultValue() + "`").append(" | `")
                    .append(key.environmentVariable()).append("` | ")
                    .append(key.description()).append(" |\n");
        }
        return table.toString();
    }
}
