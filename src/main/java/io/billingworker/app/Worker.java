package io.billingworker.app;

import io.billingworker.config.ConfigSource;
import io.billingworker.config.MerchantSecrets;
import io.billingworker.config.WorkerConfig;
import io.billingworker.intake.IntakeSettings;
import io.billingworker.intake.IntakeWorker;
import io.billingworker.intake.RecordProcessor;
import io.billingworker.intake.SignupProcessor;
import io.billingworker.mapping.MerchantDirectory;
import io.billingworker.mapping.MerchantProfile;
import io.billingworker.mapping.SignupMapper;
import io.billingworker.observability.HealthCheck;
import io.billingworker.observability.WorkerObservability;
import io.billingworker.outcome.KafkaOutcomePublisher;
import io.billingworker.outcome.OutcomeTopics;
import io.billingworker.outcome.SdkPayload;
import io.billingworker.sessionapi.MerchantCredentials;
import io.billingworker.sessionapi.ResilienceSettings;
import io.billingworker.sessionapi.SessionApiClient;
import io.billingworker.sessionapi.SessionApiSettings;
import io.billingworker.sessionapi.SessionGateway;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the worker's parts by hand from a validated {@link WorkerConfig}, runs the
 * consumer loop on its own thread, and closes everything in order.
 */
public final class Worker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final WorkerConfig config;
    private final SessionApiClient apiClient;
    private final SessionGateway gateway;
    private final KafkaOutcomePublisher publisher;
    private final Deserializer<?> deserializer;
    private final Serializer<Object> serializer;
    private final IntakeWorker intake;
    private final Thread intakeThread;
    private final WorkerObservability observability;
    private final KafkaConsumer<byte[], byte[]> consumer;

    public Worker(WorkerConfig config, ConfigSource source, MeterRegistry meters, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        Map<String, MerchantCredentials> credentials = MerchantSecrets.load(config, source);
        this.serializer = Serdes.valueSerializer(config.registry(), source);
        this.observability = new WorkerObservability(observabilitySettings(config, source, credentials.keySet()), meters,
                Serdes.valueDeserializer(config.registry(), source), clock);
        this.deserializer = observability.deserializer();
        this.apiClient = new SessionApiClient(apiSettings(config.api(), source), clock);
        this.gateway = SessionGateway.builder(apiClient, resilience(config)).meterRegistry(observability.registry())
                .clock(clock).build();
        Map<String, Object> producerProps = producerProps(config);
        this.publisher = new KafkaOutcomePublisher(new KafkaProducer<>(producerProps), serializer,
                new OutcomeTopics(config.topics().created(), config.topics().failed(), config.topics().deadLetter()),
                clock, config.processing().exactlyOnce(), stallAfter(producerProps));
        SignupProcessor processor = new SignupProcessor(deserializer, new SignupMapper(clock), directory(config),
                credentials, gateway, clock, observability.derivedOrderIds());
        WorkerConfig.Processing processing = config.processing();
        IntakeSettings intakeSettings = new IntakeSettings(config.topics().input(), processing.maxInFlight(),
                processing.maxBuffered(), processing.commitInterval(), processing.pollTimeout(),
                processing.rebalanceDrain(), processing.shutdownGrace(), processing.maxHold(),
                processing.offsetMetadataMaxBytes());
        this.consumer = new KafkaConsumer<>(consumerProps(config));
        observability.bindConsumer(consumer);
        SdkPayload sdkPayload = config.outcomes().omitSdkPayload() ? SdkPayload.OMIT : SdkPayload.FULL;
        RecordProcessor shaped = (record, hold) -> sdkPayload.apply(processor.process(record, hold));
        this.intake = new IntakeWorker(consumer, observability.processor(shaped), publisher,
                intakeSettings, observability.listener());
        this.intakeThread = new Thread(intake, "intake");
    }

    /** Starts consuming. */
    public void start() {
        log.info("worker starting: input {}, {} in flight at most, {}", config.topics().input(),
                config.processing().maxInFlight(), config.processing().exactlyOnce() ? "exactly-once" : "at-least-once");
        observability.start(intake, gateway, () -> {
            int stalled = publisher.stalledSends();
            return stalled == 0 ? HealthCheck.Status.up("answering")
                    : HealthCheck.Status.down(stalled + " outcome sends unanswered for more than "
                            + publisher.stallAfter().toSeconds() + " s");
        });
        intakeThread.start();
    }

    /** The bound port of the ops endpoint ({@code /metrics}, {@code /health/*}), or 0 when it is off. */
    public int opsPort() {
        return observability.opsPort();
    }

    public IntakeWorker intake() {
        return intake;
    }

    public SessionGateway gateway() {
        return gateway;
    }

    /** Waits for the consumer loop to end on its own (fatal error) or after {@link #close()}. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return intake.awaitStopped(timeout);
    }

    /** Stops fetching, lets calls in flight finish within the grace period, commits and closes. */
    @Override
    public void close() {
        intake.stop();
        if (intakeThread.getState() == Thread.State.NEW) {
            // Never started (e.g. the ops port could not be bound): the consumer loop did not open the consumer.
            consumer.close(Duration.ZERO);
            closeClients();
            return;
        }
        try {
            Duration wait = config.processing().shutdownGrace().plus(config.processing().rebalanceDrain())
                    .plusSeconds(20);
            if (!intake.awaitStopped(wait)) {
                log.warn("consumer loop did not stop within {} ms", wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeClients();
    }

    private void closeClients() {
        publisher.close();
        apiClient.close();
        deserializer.close();
        serializer.close();
        observability.close();
        log.info("worker stopped");
    }

    static WorkerObservability.Settings observabilitySettings(WorkerConfig config, ConfigSource source,
            Set<String> merchants) {
        return new WorkerObservability.Settings(config.ops().host(), config.ops().port(), merchants,
                config.defaultMerchant(), config.registry().url(), Serdes.registryUserInfo(config.registry(), source));
    }

    /** The /session client settings of a config (also the benchmark's naive baseline's). */
    public static SessionApiSettings apiSettings(WorkerConfig.Api api, ConfigSource source) {
        SessionApiSettings.Builder builder = SessionApiSettings.builder()
                .baseUrl(api.baseUrl())
                .allowInsecureHttp(api.allowInsecureHttp())
                .connectTimeout(api.connectTimeout())
                .responseTimeout(api.responseTimeout())
                .connectionRequestTimeout(api.leaseTimeout())
                .maxConnections(api.maxConnections())
                .maxResponseBytes(api.maxResponseBytes());
        if (api.truststorePath() != null) {
            // Through the config source like the merchants' API keys, so that the environment it was built with
            // (the process's, or a test's) is the one that counts.
            String password = api.truststorePasswordEnv() == null ? null
                    : source.environmentVariable(api.truststorePasswordEnv()).orElse(null);
            String name = api.truststorePath().getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            String type = name.endsWith(".jks") ? "JKS" : "PKCS12";
            builder.truststore(new SessionApiSettings.Truststore(api.truststorePath(), type, password));
        }
        return builder.build();
    }

    static ResilienceSettings resilience(WorkerConfig config) {
        Map<String, Integer> rates = new HashMap<>();
        config.merchants().forEach(merchant -> rates.put(merchant.id(), merchant.rateLimitPerSecond()));
        return ResilienceSettings.builder()
                .maxAttempts(config.retry().maxAttempts())
                .initialBackoff(config.retry().initialBackoff())
                .backoffMultiplier(config.retry().multiplier())
                .maxBackoff(config.retry().maxBackoff())
                .maxRetryAfter(config.retry().maxBackoff())
                .breakerFailureRateThreshold(config.breaker().failureRatePercent())
                .breakerSlidingWindowSize(config.breaker().windowCalls())
                .breakerMinimumCalls(Math.min(config.breaker().minimumCalls(), config.breaker().windowCalls()))
                .breakerWaitInOpen(config.breaker().openWait())
                .breakerHalfOpenCalls(config.breaker().halfOpenCalls())
                .breakerSlowCallDuration(config.api().responseTimeout())
                .rateLimitPerPeriod(config.rateLimit().perSecond())
                .merchantRateLimits(rates)
                .rateLimitWait(config.rateLimit().waitTimeout())
                .maxInFlight(config.processing().maxInFlight())
                .build();
    }

    /** The merchants of a config (also the benchmark's naive baseline's). */
    public static MerchantDirectory directory(WorkerConfig config) {
        List<MerchantProfile> profiles = config.merchants().stream()
                .map(merchant -> new MerchantProfile(merchant.id(), merchant.paymentPageClientId(),
                        merchant.returnUrl(), config.api().createMandate(), config.api().upiDeepLinks()))
                .toList();
        MerchantProfile defaultProfile = profiles.stream()
                .filter(profile -> profile.merchantId().equals(config.defaultMerchant()))
                .findFirst()
                .orElseThrow();
        return MerchantDirectory.of(defaultProfile, profiles);
    }

    static Map<String, Object> consumerProps(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafka().common());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().groupId());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        // Signups published in an aborted upstream transaction are never processed; in exactly-once mode offset
        // fetches also wait for a pending transactional commit.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "billing-worker-consumer-" + UUID.randomUUID());
        props.putAll(config.kafka().consumer());
        // Not overridable: offsets are committed by the worker only after outcomes are published.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    /**
     * How long an outcome send may wait before the producer counts as stalled: its {@code delivery.timeout.ms}
     * (by which a working producer has answered, with an error if need be) plus a minute.
     */
    static Duration stallAfter(Map<String, Object> producerProps) {
        Object configured = producerProps.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        if (configured == null) {
            return KafkaOutcomePublisher.DEFAULT_STALL_AFTER;
        }
        // The producer, built from the same properties first, has already refused a value that is not a number.
        return Duration.ofMillis(Long.parseLong(String.valueOf(configured).strip())).plusMinutes(1);
    }

    static Map<String, Object> producerProps(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafka().common());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "billing-worker-producer-" + UUID.randomUUID());
        props.putAll(config.kafka().producer());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        if (config.processing().exactlyOnce()) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.kafka().groupId() + "-" + UUID.randomUUID());
            // A crashed worker's open transaction blocks read_committed readers until it times out: keep that
            // short (a transaction only spans one commit interval), unless configured otherwise.
            long timeout = Math.max(10_000, 3 * config.processing().commitInterval().toMillis());
            props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.min(timeout, 900_000));
        }
        return props;
    }
}
