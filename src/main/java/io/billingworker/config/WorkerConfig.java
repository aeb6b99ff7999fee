package io.billingworker.config;

import static io.billingworker.config.ConfigKeys.*;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The worker's typed, immutable configuration, validated once at start-up. Every problem is reported at
 * once, each naming the key and the bad value. Secrets are not held here: merchants name where their keys
 * are ({@link KeySource}), and {@link MerchantSecrets} reads them.
 */
public record WorkerConfig(
        Kafka kafka,
        Topics topics,
        Registry registry,
        Processing processing,
        Api api,
        Retry retry,
        Breaker breaker,
        RateLimit rateLimit,
        List<Merchant> merchants,
        String defaultMerchant,
        Ops ops,
        Outcomes outcomes) {

    /** Kafka connection and pass-through client properties. */
    public record Kafka(String bootstrapServers, String groupId, Map<String, String> common,
            Map<String, String> consumer, Map<String, String> producer) {
    }

    public record Topics(String input, String created, String failed, String deadLetter) {
    }

    /** Schema registry and serde classes; {@code serdeProperties} pass through to both. */
    public record Registry(String url, String basicAuthEnv, String valueDeserializer, String valueSerializer,
            Map<String, String> serdeProperties) {
    }

    public record Processing(boolean exactlyOnce, int maxInFlight, int maxBuffered, Duration commitInterval,
            Duration pollTimeout, Duration rebalanceDrain, Duration shutdownGrace, Duration maxHold,
            int offsetMetadataMaxBytes) {
    }

    public record Api(URI baseUrl, boolean allowInsecureHttp, Duration connectTimeout, Duration responseTimeout,
            Duration leaseTimeout, int maxConnections, int maxResponseBytes, Path truststorePath,
            String truststorePasswordEnv, String createMandate, boolean upiDeepLinks) {
    }

    public record Retry(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
    }

    public record Breaker(int failureRatePercent, int windowCalls, int minimumCalls, Duration openWait,
            int halfOpenCalls) {
    }

    public record RateLimit(int perSecond, Duration waitTimeout) {
    }

    /** Where a merchant's API key is: an environment variable or a file. Never the key itself. */
    public record KeySource(String environmentVariable, Path file) {
        @Override
        public String toString() {
            return environmentVariable != null ? "env:" + environmentVariable : "file:" + file;
        }
    }

    public record Merchant(String id, String paymentPageClientId, String returnUrl, int rateLimitPerSecond,
            KeySource keySource) {
    }

    public record Ops(String host, int port) {
    }

    /** What the outcome records carry: {@code omitSdkPayload} leaves {@code sdk_payload_json} out of created ones. */
    public record Outcomes(boolean omitSdkPayload) {
    }

    /** Reads and validates everything; throws {@link ConfigException} listing every problem. */
    public static WorkerConfig from(ConfigSource source) {
        Parser parser = new Parser(source);
        WorkerConfig config = parser.parse();
        parser.problems.addAll(UnknownKeys.forMerchants(config.merchants().stream().map(Merchant::id).toList())
                .problems(source.fileKeys(), parser.problems));
        parser.throwIfProblems();
        return config;
    }

    private static final class Parser {
        private final ConfigSource source;
        private final List<String> problems = new ArrayList<>();

        Parser(ConfigSource source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        WorkerConfig parse() {
            Map<String, String> common = new LinkedHashMap<>(source.withPrefix("kafka."));
            common.keySet().removeIf(name -> name.startsWith("consumer.") || name.startsWith("producer.")
                    || name.equals("bootstrap.servers") || name.equals("group.id"));
            Kafka kafka = new Kafka(required(BOOTSTRAP_SERVERS), required(GROUP_ID), common,
                    source.withPrefix("kafka.consumer."), source.withPrefix("kafka.producer."));
            Topics topics = new Topics(required(TOPIC_INPUT), required(TOPIC_CREATED), required(TOPIC_FAILED),
                    required(TOPIC_DEAD_LETTER));
            Map<String, String> serde = new LinkedHashMap<>(source.withPrefix("serde."));
            serde.remove("value.deserializer");
            serde.remove("value.serializer");
            Registry registry = new Registry(required(REGISTRY_URL), source.get(REGISTRY_AUTH_ENV),
                    required(VALUE_DESERIALIZER), required(VALUE_SERIALIZER), serde);

            String guarantee = required(GUARANTEE);
            if (guarantee != null && !guarantee.equals("at-least-once") && !guarantee.equals("exactly-once")) {
                problem(GUARANTEE, guarantee, "must be at-least-once or exactly-once");
            }
            int maxInFlight = integer(MAX_IN_FLIGHT, 1, 100_000);
            int maxBuffered = integer(MAX_BUFFERED, 1, 10_000_000);
            if (maxBuffered < maxInFlight) {
                problem(MAX_BUFFERED, Integer.toString(maxBuffered),
                        "must be at least processing.max-in-flight (" + maxInFlight + ")");
            }
            Processing processing = new Processing("exactly-once".equals(guarantee), maxInFlight, maxBuffered,
                    millis(COMMIT_INTERVAL, 10), millis(POLL_TIMEOUT, 1), millis(REBALANCE_DRAIN, 0),
                    millis(SHUTDOWN_GRACE, 0), millis(MAX_HOLD, 0),
                    integer(OFFSET_METADATA_MAX_BYTES, 0, 1_048_576));

            Api api = parseApi(maxInFlight);
            Retry retry = new Retry(integer(RETRY_MAX_ATTEMPTS, 1, 100), millis(RETRY_INITIAL_BACKOFF, 1),
                    decimal(RETRY_MULTIPLIER, 1.0, 10.0), millis(RETRY_MAX_BACKOFF, 1));
            Breaker breaker = new Breaker(integer(BREAKER_FAILURE_RATE, 1, 100), integer(BREAKER_WINDOW, 1, 10_000),
                    integer(BREAKER_MIN_CALLS, 1, 10_000), millis(BREAKER_OPEN_WAIT, 1),
                    integer(BREAKER_HALF_OPEN_CALLS, 1, 1_000));
            RateLimit rateLimit = new RateLimit(integer(RATE_LIMIT_DEFAULT, 1, 1_000_000), millis(RATE_LIMIT_WAIT, 0));
            List<Merchant> merchants = parseMerchants(rateLimit.perSecond());
            String defaultMerchant = required(MERCHANT_DEFAULT);
            if (defaultMerchant != null && merchants.stream().noneMatch(m -> m.id().equals(defaultMerchant))) {
                problem(MERCHANT_DEFAULT, defaultMerchant, "must be one of merchants.ids");
            }
            Ops ops = new Ops(required(OPS_HOST), integer(OPS_PORT, 0, 65_535));
            String sdkPayload = required(SDK_PAYLOAD);
            if (sdkPayload != null && !sdkPayload.equals("full") && !sdkPayload.equals("omit")) {
                problem(SDK_PAYLOAD, sdkPayload, "must be full or omit");
            }
            return new WorkerConfig(kafka, topics, registry, processing, api, retry, breaker, rateLimit, merchants,
                    defaultMerchant, ops, new Outcomes("omit".equals(sdkPayload)));
        }

        private Api parseApi(int maxInFlight) {
            URI baseUrl = null;
            String rawUrl = required(BASE_URL);
            boolean allowHttp = bool(ALLOW_HTTP);
            if (rawUrl != null) {
                try {
                    baseUrl = URI.create(rawUrl);
                    if (baseUrl.getHost() == null) {
                        problem(BASE_URL, rawUrl, "must be an absolute URL with a host");
                    } else if ("http".equals(baseUrl.getScheme()) && !allowHttp) {
                        problem(BASE_URL, rawUrl,
                                "plain http is refused; use https, or set juspay.allow-insecure-http=true for the local simulator");
                    } else if (!"https".equals(baseUrl.getScheme()) && !"http".equals(baseUrl.getScheme())) {
                        problem(BASE_URL, rawUrl, "must be an https URL");
                    }
                } catch (IllegalArgumentException e) {
                    problem(BASE_URL, rawUrl, "is not a URL");
                }
            }
            int maxConnections = integer(MAX_CONNECTIONS, 0, 100_000);
            int maxResponseBytes = integer(MAX_RESPONSE_BYTES, 1024, 64 * 1024 * 1024);
            String truststore = source.get(TRUSTSTORE_PATH);
            String createMandate = required(CREATE_MANDATE);
            if (createMandate != null && !createMandate.equals("REQUIRED") && !createMandate.equals("OPTIONAL")) {
                problem(CREATE_MANDATE, createMandate, "must be REQUIRED or OPTIONAL");
            }
            return new Api(baseUrl, allowHttp, millis(CONNECT_TIMEOUT, 1), millis(RESPONSE_TIMEOUT, 1),
                    millis(LEASE_TIMEOUT, 1), maxConnections == 0 ? maxInFlight : maxConnections, maxResponseBytes,
                    truststore == null ? null : Path.of(truststore), source.get(TRUSTSTORE_PASSWORD_ENV),
                    createMandate, bool(UPI_DEEP_LINKS));
        }

        private List<Merchant> parseMerchants(int defaultRate) {
            String ids = required(MERCHANT_IDS);
            List<Merchant> merchants = new ArrayList<>();
            if (ids == null) {
                return merchants;
            }
            for (String raw : ids.split(",")) {
                String id = raw.trim();
                if (id.isEmpty()) {
                    continue;
                }
                if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
                    problem(MERCHANT_IDS, ids, "merchant id '" + id + "' may only hold letters, digits and _ . -");
                    continue;
                }
                String prefix = "merchants." + id + ".";
                String clientId = source.find(prefix + "payment-page-client-id").orElse(null);
                if (clientId == null) {
                    problems.add(prefix + "payment-page-client-id: required for merchant " + id);
                }
                String returnUrl = source.find(prefix + "return-url").orElse(null);
                int rate = source.find(prefix + "rate-limit-per-second")
                        .map(value -> parseInt(prefix + "rate-limit-per-second", value, 1, 1_000_000))
                        .orElse(defaultRate);
                if (source.find(prefix + "api-key").isPresent()) {
                    problems.add(prefix + "api-key: API keys are never put in config; use " + prefix
                            + "api-key-env or " + prefix + "api-key-file");
                }
                String env = source.find(prefix + "api-key-env").orElse(null);
                String file = source.find(prefix + "api-key-file").orElse(null);
                KeySource keySource = null;
                if ((env == null) == (file == null)) {
                    problems.add(prefix + "api-key-env / " + prefix + "api-key-file: exactly one is required for merchant "
                            + id);
                } else {
                    keySource = new KeySource(env, file == null ? null : Path.of(file));
                }
                merchants.add(new Merchant(id, clientId, returnUrl, rate, keySource));
            }
            if (merchants.isEmpty() && problems.stream().noneMatch(p -> p.startsWith(MERCHANT_IDS.name()))) {
                problem(MERCHANT_IDS, ids, "must name at least one merchant");
            }
            return List.copyOf(merchants);
        }

        private String required(ConfigKey key) {
            String value = source.get(key);
            if (value == null) {
                problems.add(key.name() + ": required (set it in the config file or " + key.environmentVariable() + ")");
            }
            return value;
        }

        private int integer(ConfigKey key, int min, int max) {
            String value = source.get(key);
            return value == null ? min : parseInt(key.name(), value, min, max);
        }

        private int parseInt(String name, String value, int min, int max) {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    problems.add(name + ": must be between " + min + " and " + max + " (was '" + value + "')");
                }
                return parsed;
            } catch (NumberFormatException e) {
                problems.add(name + ": must be a whole number (was '" + value + "')");
                return min;
            }
        }

        private double decimal(ConfigKey key, double min, double max) {
            String value = source.get(key);
            try {
                double parsed = Double.parseDouble(value);
                if (!(parsed >= min && parsed <= max)) {
                    problem(key, value, "must be between " + min + " and " + max);
                }
                return parsed;
            } catch (NumberFormatException | NullPointerException e) {
                problem(key, value, "must be a number");
                return min;
            }
        }

        private Duration millis(ConfigKey key, int min) {
            return Duration.ofMillis(integer(key, min, Integer.MAX_VALUE));
        }

        private boolean bool(ConfigKey key) {
            String value = source.get(key);
            if ("true".equalsIgnoreCase(value)) {
                return true;
            }
            if (value != null && !"false".equalsIgnoreCase(value)) {
                problem(key, value, "must be true or false");
            }
            return false;
        }

        private void problem(ConfigKey key, String value, String what) {
            problems.add(key.name() + ": " + what + " (was '" + value + "')");
        }

        void throwIfProblems() {
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
        }
    }
}
