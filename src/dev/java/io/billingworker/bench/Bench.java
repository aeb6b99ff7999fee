package io.billingworker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.billingworker.simulator.SessionSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark: starts a real Kafka broker as a separate process and warms it up, starts the {@code /session}
 * simulator in this process, then measures each point of a {@link Profile} with a fresh worker process, and writes
 * the figures as {@code bench.json} and Markdown tables ({@code bench.md}) into the output directory.
 *
 * <p>Processes: the broker and the worker (or the naive baseline) each run in their own JVM; this JVM holds the
 * simulator, the signup producer and the outcome reader. The worker's CPU time and RSS are therefore its own, and
 * the three share the machine's cores as the issue asks.
 */
public final class Bench {

    private final Profile profile;
    private final Path outDir;
    private final PrintStream out;

    Bench(Profile profile, Path outDir, PrintStream out) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.outDir = Objects.requireNonNull(outDir, "outDir");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Runs every point and writes the report; returns it. */
    Results.Report run() {
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        Results.Machine machine = machine();
        createDirectories(outDir);
        List<Results.Throughput> throughput = new ArrayList<>();
        List<Results.Latency> latency = new ArrayList<>();
        List<Results.Memory> memory = new ArrayList<>();
        List<Results.Outage> outages = new ArrayList<>();
        Batch.Tally all = Batch.Tally.empty();
        long foreign = 0;
        String apiKey = "bench_" + UUID.randomUUID().toString().replace("-", "");
        out.println("Starting the Kafka broker process...");
        try (BrokerProcess broker = BrokerProcess.start();
                SessionSimulator simulator = SessionSimulator.builder()
                        .merchant(PointRun.MERCHANT, apiKey)
                        .recordRequests(false)
                        .start()) {
            warmUp(broker, profile.name().equals("quick") ? 20_000 : 200_000, out);
            List<Profile.Point> points = profile.points();
            for (int i = 0; i < points.size(); i++) {
                PointRun run = new PointRun(broker, simulator, apiKey, profile, outDir.resolve("logs"), out);
                run.run(i + 1, points.get(i));
                throughput.add(run.throughput());
                latency.addAll(run.latencies());
                memory.addAll(run.memories());
                outages.addAll(run.outages());
                all = all.plus(run.tally());
                foreign += run.foreign();
            }
        }
        List<Results.Goal> goals = Goals.judge(throughput, latency, memory, all);
        Results.Report report = new Results.Report(profile.name(), startedAt.toString(),
                (System.nanoTime() - started) / 1e9, machine, throughput, latency, memory, outages, goals, all, foreign);
        write(report);
        return report;
    }

    private void write(Results.Report report) {
        String table = ReportWriter.render(report);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(outDir.resolve("bench.json").toFile(), report);
            Files.writeString(outDir.resolve("bench.md"), table, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + outDir, e);
        }
        out.println();
        out.print(table);
        out.println("Written: " + outDir.resolve("bench.json") + " and " + outDir.resolve("bench.md"));
    }

    /** Produces and consumes {@code records} 300-byte records so the broker's JIT and page cache are warm. */
    static void warmUp(BrokerProcess broker, int records, PrintStream out) {
        long started = System.nanoTime();
        broker.createTopics(12, "bench-warmup");
        Map<String, Object> producerProps = new HashMap<>();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Not idempotent: a new partition's first batch can meet NOT_LEADER_OR_FOLLOWER, and an idempotent producer
        // then retries it out of sequence for ever (OUT_OF_ORDER_SEQUENCE_NUMBER); warm-up records need no order.
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "1");
        byte[] value = new byte[300];
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("bench-warmup", Integer.toString(i).getBytes(StandardCharsets.UTF_8),
                        value));
            }
            producer.flush();
        }
        Map<String, Object> consumerProps = new HashMap<>();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-warmup");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        int read = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("bench-warmup"));
            while (read < records && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        broker.deleteTopics(List.of("bench-warmup"));
        out.printf("Broker warmed up: %d records produced and consumed in %.1f s%n", read,
                (System.nanoTime() - started) / 1e9);
    }

    private static Results.Machine machine() {
        String cpu = "unknown";
        long memory = -1;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse(cpu);
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(line -> line.startsWith("MemTotal:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
                    .findFirst().orElse(memory);
        } catch (IOException | RuntimeException e) {
            // not Linux: leave unknown
        }
        return new Results.Machine(Runtime.getRuntime().availableProcessors(), cpu, memory,
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.runtime.version"), String.join(" ", WorkerLauncher.JVM_OPTIONS),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(option -> option.startsWith("-X")).toList()),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
