package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.app.Worker;
import io.billingworker.simulator.Behaviour;
import io.billingworker.simulator.FaultSettings;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.testsupport.ApicurioRegistry;
import io.billingworker.testsupport.KafkaFixture;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix for the API, the schema registry and the output topic: the real worker (in this JVM, built by the
 * production composition root) on the real broker and registry, a stream of 2,000 signups over 200 keys, the fault
 * injected mid-stream, then every event id accounted for. Each scenario appends its row to
 * {@code target/fault-matrix.md}.
 *
 * <p>The total API outage lasts {@code -Dreliability.outage-seconds} (15 by default so that CI stays short; 60 is the
 * issue's full outage).
 */
class FaultMatrixIT {

    static final int EVENTS = Integer.getInteger("reliability.events", 2_000);
    private static final int KEYS = 200;
    private static final int RATE = 200;
    /** Outcomes that must have landed before the fault: the worker is mid-stream. */
    private static final int INJECT_AFTER_OUTCOMES = EVENTS / 10;
    private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("reliability.outage-seconds", 15));

    @Test
    void shouldCreateEverySessionDespiteFivePercent5xxAndOnePercentHangs() throws Exception {
        try (FaultRig rig = rig()) {
            Worker worker = rig.startWorker();
            ScenarioDriver.Fault fault = fault(() -> rig.simulator().errorRate(0.05).hangRate(0.01),
                    () -> rig.simulator().faults(FaultSettings.NONE).latency(latency()));

            ScenarioDriver.Result result = new ScenarioDriver(rig, "a5").run("API: 5% 5xx + 1% hangs (5 s)",
                    plan(Duration.ofSeconds(5)), fault, running(worker), "hang = 2 s response timeout, retried");

            MatrixAssertions.assertSurvived(result, 0);
            assertThat(result.deadLetters()).isZero();
        }
    }

    @Test
    void shouldHoldRecordsThroughATotalOutage() throws Exception {
        try (FaultRig rig = rig()) {
            Worker worker = rig.startWorker();
            ScenarioDriver.Fault fault = fault(() -> rig.simulator().outage(true), () -> rig.simulator().outage(false));

            ScenarioDriver.Result result = new ScenarioDriver(rig, "o1").run(
                    "API: total outage (" + OUTAGE.toSeconds() + " s)", plan(OUTAGE), fault, running(worker),
                    "breaker opens, records held (fetching goes on)");

            MatrixAssertions.assertSurvived(result, 0);
            assertThat(result.deadLetters()).isZero();
        }
    }

    @Test
    void shouldHonourRetryAfterThroughA429Storm() throws Exception {
        try (FaultRig rig = rig()) {
            Worker worker = rig.startWorker();
            ScenarioDriver.Fault fault = fault(() -> rig.simulator().rate429(1.0, Duration.ofSeconds(1)),
                    () -> rig.simulator().faults(FaultSettings.NONE).latency(latency()));

            ScenarioDriver.Result result = new ScenarioDriver(rig, "r4").run("API: 429 storm, Retry-After 1 s (5 s)",
                    plan(Duration.ofSeconds(5)), fault, running(worker), "every call 429 during the storm");

            MatrixAssertions.assertSurvived(result, 0);
            assertThat(result.deadLetters()).isZero();
        }
    }

    @Test
    void shouldRecoverFromConnectionRefused() throws Exception {
        try (FaultRig rig = rig(); TcpProxy api = TcpProxy.to(URI.create(rig.simulator().baseUrl()).getPort())) {
            rig.set("juspay.base-url", "http://127.0.0.1:" + api.port());
            Worker worker = rig.startWorker();
            ScenarioDriver.Fault fault = fault(api::down, api::up);

            ScenarioDriver.Result result = new ScenarioDriver(rig, "cr").run("API: connection refused (5 s)",
                    plan(Duration.ofSeconds(5)), fault, running(worker), "API port closed, open connections cut");

            MatrixAssertions.assertSurvived(result, 0);
            assertThat(result.deadLetters()).isZero();
        }
    }

    @Test
    void shouldEndA5xxAfterCreationInOneCreatedOutcome() throws Exception {
        try (FaultRig rig = rig()) {
            rig.simulator().scriptMatching(orderId -> orderId.startsWith("cf") && orderId.hashCode() % 10 == 0,
                    Behaviour.createThenFail(500), Behaviour.succeed());
            Worker worker = rig.startWorker();
            ScenarioDriver.Fault none = fault(() -> { }, () -> { });

            ScenarioDriver.Result result = new ScenarioDriver(rig, "cf").run("API: 5xx after the order was created",
                    plan(Duration.ofSeconds(1)), none, running(worker), "about 10% of orders: created, then 500");

            MatrixAssertions.assertSurvived(result, 0);
            assertThat(result.created()).isEqualTo(EVENTS);
            long scripted = ScenarioDriver.signups("cf", EVENTS, KEYS).stream()
                    .filter(signup -> signup.getOrderId().hashCode() % 10 == 0).count();
            assertThat(scripted).isGreaterThan(50);
            assertThat(rig.simulator().ordersCreated()).isEqualTo(EVENTS + 20);
            try (OutcomeLedger ledger = rig.ledger()) {
                assertThat(ledger.await(EVENTS, Duration.ofSeconds(30), Duration.ofSeconds(1)).all().stream()
                        .filter(seen -> seen.kind() == OutcomeLedger.Kind.CREATED
                                && seen.created().getOrderId().hashCode() % 10 == 0
                                && seen.created().getOrderId().startsWith("cf"))
                        .allMatch(seen -> seen.created().getAttempts() == 2))
                        .as("every created-then-500 order ends created on its second attempt").isTrue();
            }
        }
    }

    @Test
    void shouldWaitForTheRegistryWhenItIsDownAtStart() throws Exception {
        try (FaultRig rig = rig(); TcpProxy registry = TcpProxy.to(registryPort()); LogCapture logs = LogCapture.capture()) {
            rig.set("schema.registry.url", "http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
            registry.down();
            Worker worker = rig.startWorker();
            ScenarioDriver.Fault fault = fault(() -> { }, registry::up);

            ScenarioDriver.Result result = new ScenarioDriver(rig, "rs").run("Registry: unavailable at start (15 s)",
                    new ScenarioDriver.Plan(EVENTS, KEYS, RATE, 0, Duration.ofSeconds(15)), fault,
                    running(worker), "records held, decoding retried");

            MatrixAssertions.assertSurvived(result, 0);
            assertThat(result.created()).isEqualTo(EVENTS);
            assertThat(logs.lines().stream().anyMatch(line -> line.contains("schema registry unavailable while decoding")
                    && line.contains("holding the record"))).as("the worker says why it waits").isTrue();
        }
    }

    @Test
    void shouldKeepWorkingWithCachedSchemasWhenTheRegistryGoesDown() throws Exception {
        try (FaultRig rig = rig(); TcpProxy registry = TcpProxy.to(registryPort())) {
            rig.set("schema.registry.url", "http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
            Worker worker = rig.startWorker();
            AtomicReference<Instant> down = new AtomicReference<>();
            AtomicReference<Instant> up = new AtomicReference<>();
            ScenarioDriver.Fault fault = fault(() -> {
                registry.down();
                down.set(Instant.now());
            }, () -> {
                up.set(Instant.now());
                registry.up();
            });

            ScenarioDriver.Result result = new ScenarioDriver(rig, "rm").run("Registry: down mid-run (15 s)",
                    plan(Duration.ofSeconds(15)), fault, running(worker), "cached schemas keep decoding and encoding");

            MatrixAssertions.assertSurvived(result, 0);
            assertThat(result.created()).isEqualTo(EVENTS);
            assertThat(result.arrivedBetween(down.get().plusSeconds(1), up.get()))
                    .as("outcomes written while the registry was down").isGreaterThan(100);
        }
    }

    @Test
    void shouldDeadLetterOutcomesTheOutputTopicRefusesForGoodWithoutStalling() throws Exception {
        try (FaultRig rig = rig(); Admin admin = rig.admin()) {
            // One outcome per producer batch: a multi-record batch refused as too large makes the Kafka 4.1 producer
            // split and re-send it, and repeated splits overflowed its network thread's stack (StackOverflowError in
            // FutureRecordMetadata.value), killing the producer. Single-record batches are refused outright.
            rig.set("kafka.producer.batch.size", "1");
            Worker worker = rig.startWorker();
            // On one broker, min.insync.replicas above the replica count does not block writes (the broker caps the
            // effective minimum at the replica count), so the topic refuses writes by its record size limit instead:
            // a refusal for good (RecordTooLargeException), not a retriable one.
            ScenarioDriver.Fault fault = fault(() -> {
                topicConfig(admin, rig.topics().created(), "max.message.bytes", "16");
                assertThat(writeFails(rig)).as("a write to the created topic is refused").isTrue();
            }, () -> topicConfig(admin, rig.topics().created(), "max.message.bytes", null));

            ScenarioDriver.Result result = new ScenarioDriver(rig, "ow").run("Kafka: created topic refuses records (8 s)",
                    plan(Duration.ofSeconds(8)), fault, running(worker),
                    "max.message.bytes 16: created outcomes dead-lettered as OUTCOME_UNWRITABLE, no stall");

            MatrixAssertions.assertSurvived(result, 0);
            assertThat(result.deadLetters()).as("signups whose created outcome was refused").isPositive();
            assertThat(result.deadLetterReasons()).containsOnlyKeys("OUTCOME_UNWRITABLE");
            assertThat(result.arrivedBetween(result.injected().plusSeconds(2), result.cleared()))
                    .as("outcomes (dead letters) written while the topic refused created records").isPositive();
            assertThat(result.created()).as("created again once the topic accepts them").isPositive();
            assertThat(worker.intake().failure()).isNull();
        }
    }

    static ScenarioDriver.Plan plan(Duration hold) {
        return new ScenarioDriver.Plan(EVENTS, KEYS, RATE, INJECT_AFTER_OUTCOMES, hold);
    }

    static LatencyModel latency() {
        return LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(40));
    }

    static java.util.function.BooleanSupplier running(Worker worker) {
        return () -> worker.intake().isRunning() && worker.intake().failure() == null;
    }

    private static FaultRig rig() {
        return new FaultRig(KafkaFixture.shared().bootstrapServers(), ApicurioRegistry.shared().url(), 6,
                simulator -> simulator.latency(latency()));
    }

    private static int registryPort() {
        return URI.create(ApicurioRegistry.shared().url()).getPort();
    }

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    static ScenarioDriver.Fault fault(Step inject, Step clear) {
        return new ScenarioDriver.Fault() {
            @Override
            public void inject() throws Exception {
                inject.run();
            }

            @Override
            public void clear() throws Exception {
                clear.run();
            }
        };
    }

    /** Whether an acks=all write to the created topic fails now, as the worker's would. */
    private static boolean writeFails(FaultRig rig) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000, ProducerConfig.LINGER_MS_CONFIG, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            while (System.nanoTime() < deadline) {
                try {
                    producer.send(new ProducerRecord<>(rig.topics().created(), new byte[200])).get(10, TimeUnit.SECONDS);
                    Thread.sleep(200);
                } catch (ExecutionException e) {
                    return e.getCause() instanceof RecordTooLargeException;
                }
            }
            return false;
        }
    }

    /** Sets a topic config, or removes the override when {@code value} is null. */
    private static void topicConfig(Admin admin, String topic, String name, String value) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        AlterConfigOp op = value == null
                ? new AlterConfigOp(new ConfigEntry(name, ""), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(30, TimeUnit.SECONDS);
    }
}
