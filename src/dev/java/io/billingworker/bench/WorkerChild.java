package io.billingworker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.app.Worker;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.MerchantSecrets;
import io.billingworker.config.WorkerConfig;
import io.billingworker.intake.SignupProcessor;
import io.billingworker.mapping.SignupMapper;
import io.billingworker.outcome.KafkaOutcomePublisher;
import io.billingworker.outcome.OutcomeTopics;
import io.billingworker.serde.ConfluentAvroDeserializer;
import io.billingworker.serde.ConfluentAvroSerializer;
import io.billingworker.serde.MockSchemaRegistry;
import io.billingworker.sessionapi.MerchantCredentials;
import io.billingworker.sessionapi.ResilienceSettings;
import io.billingworker.sessionapi.SessionApiClient;
import io.billingworker.sessionapi.SessionGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The worker under test, in its own JVM so that its CPU time, heap and RSS are its own: either the real worker
 * ({@code worker}: {@link Worker}, the production composition root, built from the config file) or the naive
 * baseline ({@code naive}: {@link NaiveWorker}, built from the same config and parts).
 *
 * <p>Driven over standard input by the benchmark, one command per line: {@code stats}, {@code gc} (full GC, then
 * stats: heap after GC) and {@code stop}. Each answer is one line {@value #PREFIX} + JSON on standard output; logs go
 * to standard error.
 *
 * <p>Arguments: {@code worker|naive <config file> <signup schema id>}. The worker reads schemas from the
 * in-memory registry {@code mock://bench}, which is per JVM: the signup schema is registered here first and must get
 * the id the benchmark's producer wrote, which is checked. The registry is asked once per schema id and cached by
 * the deserializer, so it is not on the measured path either way.
 */
public final class WorkerChild {

    static final String PREFIX = "@@bench ";

    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: WorkerChild worker|naive <config file> <signup schema id>");
            System.exit(2);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        ConfigSource source = ConfigSource.load(Path.of(args[1]), System.getenv(), Map.of());
        WorkerConfig config = WorkerConfig.from(source);
        int schemaId = MockSchemaRegistry.forScope(WorkerLauncher.REGISTRY_SCOPE)
                .register(config.topics().input() + "-value", SubscriptionSignup.getClassSchema());
        if (schemaId != Integer.parseInt(args[2])) {
            throw new IllegalStateException("the signup schema got id " + schemaId + " here but the producer wrote "
                    + args[2]);
        }
        Engine engine = args[0].equals("naive") ? naive(config, source) : worker(config, source);
        engine.start();
        reply(out, "ready", engine);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.strip()) {
                    case "stats" -> reply(out, "stats", engine);
                    case "gc" -> {
                        int inFlight = engine.inFlight().getAsInt();
                        System.gc();
                        System.gc();
                        ObjectNode answer = stats("gc", engine);
                        answer.put("inFlightBeforeGc", inFlight);
                        out.println(PREFIX + answer);
                    }
                    case "stop" -> {
                        engine.close();
                        reply(out, "stopped", engine);
                        System.exit(0);
                    }
                    default -> System.err.println("unknown command: " + line);
                }
            }
        }
        engine.close();
        System.exit(0);
    }

    private static void reply(PrintStream out, String type, Engine engine) {
        out.println(PREFIX + stats(type, engine));
    }

    private static ObjectNode stats(String type, Engine engine) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        node.put("cpuNanos", processCpuNanos());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        node.put("heapUsed", heap.getUsed());
        node.put("heapCommitted", heap.getCommitted());
        node.put("rss", residentBytes());
        node.put("inFlight", engine.inFlight().getAsInt());
        node.put("buffered", engine.buffered().getAsInt());
        return node;
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Resident set size from {@code /proc/self/status}, or -1 where there is none. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** What the child runs and can be asked about. */
    private record Engine(Runnable starter, Runnable closer, IntSupplier inFlight, IntSupplier buffered) {
        void start() {
            starter.run();
        }

        void close() {
            closer.run();
        }
    }

    private static Engine worker(WorkerConfig config, ConfigSource source) {
        Worker worker = new Worker(config, source, new SimpleMeterRegistry(), Clock.systemUTC());
        return new Engine(worker::start, worker::close, () -> worker.intake().inFlight(),
                () -> worker.intake().buffered());
    }

    /** The baseline, wired from the same config the way the composition root wires the worker. */
    private static Engine naive(WorkerConfig config, ConfigSource source) {
        Map<String, MerchantCredentials> credentials = MerchantSecrets.load(config, source);
        Map<String, Object> serde = Map.of("schema.registry.url", config.registry().url(),
                "specific.avro.reader", "true");
        ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(serde, false);
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(serde, false);
        SessionApiClient client = new SessionApiClient(Worker.apiSettings(config.api(), source));
        SessionGateway gateway = SessionGateway.builder(client, ResilienceSettings.builder()
                .maxAttempts(config.retry().maxAttempts())
                .initialBackoff(config.retry().initialBackoff())
                .maxBackoff(config.retry().maxBackoff())
                .rateLimitPerPeriod(config.rateLimit().perSecond())
                .maxInFlight(config.processing().maxInFlight())
                .build()).build();
        Clock clock = Clock.systemUTC();
        SignupProcessor processor = new SignupProcessor(deserializer, new SignupMapper(clock),
                Worker.directory(config), credentials, gateway, clock, orderId -> { });
        KafkaOutcomePublisher publisher = new KafkaOutcomePublisher(new KafkaProducer<>(producerProps(config)),
                serializer, new OutcomeTopics(config.topics().created(), config.topics().failed(),
                config.topics().deadLetter()), clock, false);
        NaiveWorker naive = new NaiveWorker(new KafkaConsumer<>(consumerProps(config)), processor, publisher,
                config.topics().input());
        Thread thread = new Thread(naive, "naive-poll");
        return new Engine(thread::start, () -> {
            naive.stop();
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            publisher.close();
            client.close();
        }, naive::inFlight, naive::buffered);
    }

    private static Map<String, Object> consumerProps(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().groupId());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "naive-consumer-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    private static Map<String, Object> producerProps(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "naive-producer-" + UUID.randomUUID());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }
}
