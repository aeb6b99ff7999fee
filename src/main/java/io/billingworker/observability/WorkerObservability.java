package io.billingworker.observability;

import io.billingworker.intake.IntakeListener;
import io.billingworker.intake.IntakeWorker;
import io.billingworker.intake.RecordProcessor;
import io.billingworker.sessionapi.SessionGateway;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the worker is observed through, built once by the composition root: the meter registry (the caller's,
 * plus a Prometheus registry when the ops endpoint is on), JVM and process binders, the Kafka consumer's client
 * metrics, the worker's own meters ({@link IntakeMetrics}), the log context of each record ({@link LogContext},
 * {@link ObservedSignupDeserializer}), and the ops endpoint ({@link OpsServer}) with liveness and readiness.
 *
 * <p>Liveness fails only when the consumer loop has ended with an error: an open breaker that pauses fetching
 * keeps the worker live (a restart would not help). Readiness says whether the worker is consuming and its
 * dependencies answer: the consumer loop runs, the consumer is in its group (assigned partitions, or joined
 * recently) with recent heartbeats, no merchant's breaker is open (fetching would be paused), and the schema
 * registry answers (cached probe).
 */
public final class WorkerObservability implements AutoCloseable {

    /** How often the Kafka client metrics binder picks up new client metrics (e.g. lag of newly assigned partitions). */
    static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(10);
    static final Duration HEARTBEAT_MAX_AGE = Duration.ofSeconds(30);
    static final Duration JOINED_WINDOW = Duration.ofMinutes(5);
    static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REGISTRY_CACHE = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(WorkerObservability.class);

    private final Settings settings;
    private final Clock clock;
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ScheduledExecutorService kafkaMetricsScheduler;
    private final ObservedSignupDeserializer deserializer;
    private final IntakeMetrics intakeMetrics;
    private KafkaClientMetrics consumerMetrics;
    private KafkaGroupCheck groupCheck;
    private OpsServer opsServer;

    /**
     * What the observability needs from the configuration.
     *
     * @param opsHost          address of the ops endpoint
     * @param opsPort          its port; 0 = no ops endpoint (and no Prometheus registry)
     * @param merchants        configured merchant ids (the only merchant tag values besides {@code unknown})
     * @param defaultMerchant  merchant of signups without {@code merchant_id}
     * @param registryUrls     schema registry URL(s) as configured
     * @param registryUserInfo {@code user:password} of the registry, when configured
     */
    public record Settings(String opsHost, int opsPort, Set<String> merchants, String defaultMerchant,
            String registryUrls, Optional<String> registryUserInfo) {
        public Settings {
            Objects.requireNonNull(opsHost, "opsHost");
            merchants = Set.copyOf(merchants);
            Objects.requireNonNull(defaultMerchant, "defaultMerchant");
            Objects.requireNonNull(registryUrls, "registryUrls");
            Objects.requireNonNull(registryUserInfo, "registryUserInfo");
        }

        @Override
        public String toString() {
            return "Settings[opsHost=" + opsHost + ", opsPort=" + opsPort + ", merchants=" + merchants
                    + ", defaultMerchant=" + defaultMerchant + "]";
        }
    }

    /**
     * @param settings     what to observe and where to serve it
     * @param meters       the caller's registry (kept: everything is also recorded there)
     * @param deserializer the configured signup value deserializer, wrapped by {@link #deserializer()}
     */
    public WorkerObservability(Settings settings, MeterRegistry meters, Deserializer<?> deserializer, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(meters, "meters");
        if (settings.opsPort() != 0) {
            this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.registry = new CompositeMeterRegistry(io.micrometer.core.instrument.Clock.SYSTEM,
                    List.of(meters, prometheus));
        } else {
            this.prometheus = null;
            this.registry = meters;
        }
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        this.kafkaMetricsScheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kafka-metrics");
            thread.setDaemon(true);
            return thread;
        });
        this.deserializer = new ObservedSignupDeserializer(deserializer, settings.defaultMerchant());
        this.intakeMetrics = new IntakeMetrics(registry, clock, settings.merchants(), this.deserializer);
    }

    /** Where every component registers its meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The signup deserializer to give the processor: it feeds the end-to-end latency and the log context. */
    public Deserializer<Object> deserializer() {
        return deserializer;
    }

    /**
     * Where the signup processor hands the order id it derived for a signup without one: the record's log context,
     * so the {@code /session} call and everything after it is logged with the order id of the request.
     */
    public java.util.function.Consumer<String> derivedOrderIds() {
        return LogContext::putOrderId;
    }

    /** The processor wrapped so its log lines carry the record's ids. */
    public RecordProcessor processor(RecordProcessor processor) {
        return LogContext.around(processor);
    }

    /** The consumer loop's listener: events consumed, outcomes, latency, fetch pauses. */
    public IntakeListener listener() {
        return intakeMetrics;
    }

    /** Binds the consumer's client metrics (lag, assignment, rebalances) and uses them for readiness. */
    public void bindConsumer(Consumer<?, ?> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        this.consumerMetrics = new KafkaClientMetrics(consumer, List.of(), kafkaMetricsScheduler,
                KAFKA_METRICS_REFRESH);
        consumerMetrics.bindTo(registry);
        this.groupCheck = new KafkaGroupCheck(consumer::metrics, HEARTBEAT_MAX_AGE, JOINED_WINDOW);
    }

    /**
     * Binds the consumer loop's gauges and, when configured, starts the ops endpoint.
     *
     * @param outcomeProducer liveness of the outcome producer: down while sends wait on it past its delivery timeout
     * @throws java.io.UncheckedIOException when the ops port cannot be bound
     */
    public void start(IntakeWorker intake, SessionGateway gateway, HealthCheck outcomeProducer) {
        Objects.requireNonNull(intake, "intake");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(outcomeProducer, "outcomeProducer");
        intakeMetrics.bindGauges(intake, IntakeWorker::inFlight, IntakeWorker::buffered, IntakeWorker::activeKeys,
                IntakeWorker::pausedPartitions);
        intakeMetrics.bindHoldGauges(intake, IntakeWorker::held,
                worker -> worker.oldestUnfinishedAge().toNanos() / 1e9);
        if (prometheus == null) {
            return;
        }
        Map<String, HealthCheck> liveness = new LinkedHashMap<>();
        liveness.put("consumer-loop", () -> intake.failure() == null
                ? HealthCheck.Status.up("no fatal error")
                : HealthCheck.Status.down("consumer loop stopped by " + intake.failure().getClass().getName()));
        liveness.put("outcome-producer", outcomeProducer);
        Map<String, HealthCheck> readiness = new LinkedHashMap<>();
        readiness.put("consumer-loop", () -> intake.isRunning() ? HealthCheck.Status.up("running")
                : HealthCheck.Status.down(intake.failure() == null ? "not running"
                        : "stopped by " + intake.failure().getClass().getName()));
        if (groupCheck != null) {
            readiness.put("kafka", groupCheck);
        }
        readiness.put("circuit-breakers", () -> breakers(gateway.breakerStates(), settings.merchants()));
        readiness.put("schema-registry", new RegistryCheck(settings.registryUrls(), settings.registryUserInfo(),
                REGISTRY_TIMEOUT, REGISTRY_CACHE, clock));
        this.opsServer = OpsServer.start(settings.opsHost(), settings.opsPort(), prometheus::scrape, liveness,
                readiness);
    }

    /** The ops endpoint's bound port, or 0 when it is off. */
    public int opsPort() {
        return opsServer == null ? 0 : opsServer.port();
    }

    @Override
    public void close() {
        if (opsServer != null) {
            opsServer.close();
        }
        if (consumerMetrics != null) {
            consumerMetrics.close();
        }
        kafkaMetricsScheduler.shutdownNow();
        gcMetrics.close();
        if (prometheus != null) {
            prometheus.close();
        }
        log.debug("observability closed");
    }

    /**
     * Down only when the breaker of every configured merchant is open, so that no signup can make progress; one
     * merchant's open breaker holds only that merchant's records, and the worker still serves the others.
     */
    static HealthCheck.Status breakers(Map<String, CircuitBreaker.State> states, Set<String> merchants) {
        List<String> open = states.entrySet().stream()
                .filter(entry -> entry.getValue() == CircuitBreaker.State.OPEN
                        || entry.getValue() == CircuitBreaker.State.FORCED_OPEN)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        if (open.isEmpty()) {
            return HealthCheck.Status.up("no breaker open");
        }
        String names = String.join(", ", open);
        return open.containsAll(merchants)
                ? HealthCheck.Status.down("circuit breaker open for every merchant: " + names)
                : HealthCheck.Status.up("circuit breaker open for merchant(s) " + names
                        + "; their signups are held, the other merchants' are served");
    }
}
