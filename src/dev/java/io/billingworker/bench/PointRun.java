package io.billingworker.bench;

import io.billingworker.config.WorkerConfig;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.simulator.SessionSimulator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Measures one {@link Profile.Point}: fresh topics and consumer group, a fresh worker process, a warm-up, then a
 * backlog of pre-serialized signups drained and timed, then the point's extra measurements on the same warm worker.
 * Every event of every batch is accounted for by id before the point ends.
 */
final class PointRun {

    static final String MERCHANT = "bench_merchant";
    static final String API_KEY_ENV = "BENCH_MERCHANT_API_KEY";

    private static final AtomicInteger BATCH_IDS = new AtomicInteger();

    private final BrokerProcess broker;
    private final SessionSimulator simulator;
    private final String apiKey;
    private final Profile profile;
    private final Path workDir;
    private final PrintStream out;
    private final List<Results.Latency> latencies = new ArrayList<>();
    private final List<Results.Memory> memories = new ArrayList<>();
    private final List<Results.Outage> outages = new ArrayList<>();
    private final List<Batch> batches = new ArrayList<>();
    private Results.Throughput throughput;
    private long foreign;
    private String name;

    PointRun(BrokerProcess broker, SessionSimulator simulator, String apiKey, Profile profile, Path workDir,
            PrintStream out) {
        this.broker = broker;
        this.simulator = simulator;
        this.apiKey = apiKey;
        this.profile = profile;
        this.workDir = workDir;
        this.out = out;
    }

    Results.Throughput throughput() {
        return throughput;
    }

    List<Results.Latency> latencies() {
        return latencies;
    }

    List<Results.Memory> memories() {
        return memories;
    }

    List<Results.Outage> outages() {
        return outages;
    }

    /** Outcomes read that belonged to no batch of this point. */
    long foreign() {
        return foreign;
    }

    /** Outcomes of every batch of this point, and outcomes that belonged to none (foreign). */
    Batch.Tally tally() {
        Batch.Tally total = Batch.Tally.empty();
        for (Batch batch : batches) {
            total = total.plus(batch.tally(batch.produced()));
        }
        return total;
    }

    /** Runs the point; {@code index} names its topics, group and files. */
    void run(int index, Profile.Point point) {
        Scenario scenario = point.scenario();
        name = String.format("p%02d-%s", index, scenario.label().replace(' ', '-').replace("=", ""));
        WorkerConfig.Topics topics = new WorkerConfig.Topics("in-" + index, "created-" + index, "failed-" + index,
                "dlt-" + index);
        broker.createTopics(scenario.partitions(), topics.input());
        broker.createTopics(1, topics.created(), topics.failed(), topics.deadLetter());
        simulator.reset();
        simulator.recording(false);
        simulator.latency(LatencyModel.fixed(Duration.ofMillis(scenario.latencyMs())));
        int events = profile.events(scenario);
        Batch warmup = newBatch(profile.warmupEvents(scenario), false);
        Batch measured = newBatch(events, false);
        out.printf("%s: warm-up %d, measured %d events%n", scenario.label(), warmup.size(), events);
        try (SignupWriter writer = new SignupWriter(broker.bootstrapServers(), topics.input(), scenario.keys());
                OutcomeReader reader = new OutcomeReader(broker.bootstrapServers(), topics)) {
            int schemaId = writer.schemaId();
            byte[][] warmupValues = writer.prepare(warmup);
            byte[][] measuredValues = writer.prepare(measured);
            reader.track(warmup);
            reader.track(measured);
            try (WorkerLauncher.Child child = WorkerLauncher.launch(scenario.mode(), workerConfig(index, scenario,
                    topics), API_KEY_ENV, apiKey, workDir, name, schemaId)) {
                writer.sendAll(warmup, warmupValues);
                awaitAll(warmup, scenario);
                BrokerProcess.sleep(Duration.ofSeconds(1));
                measure(scenario, child, writer, measured, measuredValues);
                extras(point, scenario, child, writer, reader);
                child.stop();
            }
            BrokerProcess.sleep(Duration.ofSeconds(1));
            foreign = reader.foreign();
        } finally {
            broker.deleteTopics(List.of(topics.input(), topics.created(), topics.failed(), topics.deadLetter()));
        }
        Batch.Tally tally = measured.tally(events);
        throughput = withOutcomes(throughput, tally);
        Batch.Tally all = tally();
        out.printf("  X %.0f ev/s, L at simulator %.1f ms, eta %.3f, worker %.0f us/event, lost %d, duplicates %d%n",
                throughput.eventsPerSecond(), throughput.simulatorLatencyMs(), throughput.efficiency(),
                throughput.workerCpuMicrosPerEvent(), all.lost(), all.duplicates());
    }

    private void measure(Scenario scenario, WorkerLauncher.Child child, SignupWriter writer, Batch batch,
            byte[][] values) {
        try (SimulatorProbe probe = new SimulatorProbe(simulator)) {
            CpuSnapshot before = CpuSnapshot.take(child, broker);
            long started = System.nanoTime();
            writer.sendAll(batch, values);
            awaitAll(batch, scenario);
            double seconds = (System.nanoTime() - started) / 1e9;
            CpuSnapshot after = CpuSnapshot.take(child, broker);
            int n = batch.size();
            writeTimeline(batch, "throughput", n);
            long[] published = batch.sortedPublishTimes(n);
            int low = (int) Math.floor(0.1 * (n - 1));
            int high = (int) Math.ceil(0.9 * (n - 1));
            double x = SustainedRate.perSecond(published, low, high);
            double firstToLast = rate(n - 1, published[n - 1] - published[0]);
            double[] window = probe.window(published[low], published[high]);
            double simulatorLatency = window[2];
            double limit = scenario.effectiveConcurrency() * 1000.0 / simulatorLatency;
            double workerCpu = perEvent(before.worker(), after.worker(), n);
            double benchCpu = perEvent(before.bench(), after.bench(), n);
            double brokerCpu = perEvent(before.broker(), after.broker(), n);
            double busy = before.machineBusyPercent(after);
            double cpuLimit = Runtime.getRuntime().availableProcessors() * 1e6 / (workerCpu + benchCpu + brokerCpu);
            throughput = new Results.Throughput(scenario.label(), scenario, n, seconds, x, firstToLast,
                    simulatorLatency, window[0], limit, x / limit, x / scenario.nominalLimit(), workerCpu, benchCpu,
                    brokerCpu, busy, cpuLimit, after.workerRss(), null);
        }
    }

    private void extras(Profile.Point point, Scenario scenario, WorkerLauncher.Child child, SignupWriter writer,
            OutcomeReader reader) {
        if (point.extras().contains(Profile.Extra.MEMORY)) {
            memory(scenario, child, writer, reader);
        }
        reader.lowLatency(true);
        if (point.extras().contains(Profile.Extra.LATENCY)) {
            openLoopWarmup(scenario, writer, reader);
            for (double fraction : new double[] {0.5, 0.8}) {
                latency(scenario, fraction, child, writer, reader);
            }
        }
        if (point.extras().contains(Profile.Extra.OUTAGE)) {
            outage(scenario, writer, reader);
        }
    }

    private void memory(Scenario scenario, WorkerLauncher.Child child, SignupWriter writer, OutcomeReader reader) {
        int target = Math.min(1_000, scenario.effectiveConcurrency());
        Batch batch = newBatch(Math.max(2_000, 4 * scenario.concurrency()), false);
        byte[][] values = writer.prepare(batch);
        reader.track(batch);
        writer.sendAll(batch, values);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        WorkerLauncher.Stats stats = child.stats();
        while (stats.inFlight() < target && System.nanoTime() < deadline && batch.distinct() < batch.size() / 2) {
            BrokerProcess.sleep(Duration.ofMillis(10));
            stats = child.stats();
        }
        WorkerLauncher.Stats gc = child.gc();
        awaitAll(batch, scenario);
        Results.Memory memory = new Results.Memory(scenario.label(), gc.inFlightBeforeGc(), gc.buffered(),
                gc.heapUsed(), gc.heapCommitted(), gc.rss(), batch.tally(batch.size()));
        memories.add(memory);
        out.printf("  heap after GC %.1f MB, RSS %.1f MB with %d in flight%n", memory.heapAfterGcBytes() / 1e6,
                memory.rssBytes() / 1e6, memory.inFlight());
    }

    /**
     * An unmeasured open-loop run at 50% before the latency measurements: the benchmark JVM's open-loop producer and
     * low-latency reader paths are compiled here rather than during the first measurement (where their start-up
     * showed as the worker's latency, since each event's occurred_at is its scheduled send time).
     */
    private void openLoopWarmup(Scenario scenario, SignupWriter writer, OutcomeReader reader) {
        double rate = 0.5 * throughput.eventsPerSecond();
        Batch batch = newBatch((int) Math.max(100, Math.round(rate * Math.min(5, profile.latencySeconds() / 3))),
                true);
        reader.track(batch);
        writer.openLoop(batch, rate, () -> false);
        awaitAll(batch, scenario);
    }

    private void latency(Scenario scenario, double fraction, WorkerLauncher.Child child, SignupWriter writer,
            OutcomeReader reader) {
        double rate = fraction * throughput.eventsPerSecond();
        Batch batch = newBatch((int) Math.max(100, Math.round(rate * profile.latencySeconds())), true);
        reader.track(batch);
        CpuSnapshot before = CpuSnapshot.take(child, broker);
        int sent = writer.openLoop(batch, rate, () -> false);
        CpuSnapshot after = CpuSnapshot.take(child, broker);
        awaitAll(batch, scenario);
        writeTimeline(batch, String.format("latency-%.0f", fraction * 100), sent);
        Histogram histogram = batch.endToEnd();
        Results.Latency latency = new Results.Latency(scenario.label(), fraction, rate, sent,
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9), histogram.getMaxValue(),
                histogram.getValueAtPercentile(99) - scenario.latencyMs(), before.ownCpuPercent(after),
                before.machineBusyPercent(after), batch.tally(sent));
        latencies.add(latency);
        out.printf("  open loop at %.0f%% (%.0f ev/s): p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms%n", fraction * 100,
                rate, latency.p50Ms(), latency.p99Ms(), latency.p999Ms());
    }

    private void outage(Scenario scenario, SignupWriter writer, OutcomeReader reader) {
        double max = throughput.eventsPerSecond();
        double rate = 0.5 * max;
        double maxDrainSeconds = 4.0 * profile.outageSeconds() * rate / (max - rate) + 60;
        Batch batch = newBatch((int) Math.ceil(rate * (profile.outageLeadSeconds() + profile.outageSeconds()
                + maxDrainSeconds)), true);
        reader.track(batch);
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> writer.openLoop(batch, rate, stop::get), "bench-outage-producer");
        producer.start();
        long leadNanos = Math.round(profile.outageLeadSeconds() * 1e9);
        long started = System.nanoTime();
        long lagSum = 0;
        int lagSamples = 0;
        while (System.nanoTime() - started < leadNanos) {
            BrokerProcess.sleep(Duration.ofMillis(50));
            if (System.nanoTime() - started > leadNanos / 2) {
                lagSum += lag(batch);
                lagSamples++;
            }
        }
        long steadyLag = lagSamples == 0 ? 0 : (lagSum + lagSamples - 1) / lagSamples;
        simulator.outage(true);
        BrokerProcess.sleep(Duration.ofSeconds(profile.outageSeconds()));
        simulator.outage(false);
        long ended = System.nanoTime();
        long lagAtEnd = lag(batch);
        long threshold = Math.max(Math.round(steadyLag * 1.5), steadyLag + Math.round(rate * 0.05)) + 5;
        double drainSeconds = Double.NaN;
        while ((System.nanoTime() - ended) / 1e9 < maxDrainSeconds && batch.produced() < batch.size()) {
            if (lag(batch) <= threshold) {
                drainSeconds = (System.nanoTime() - ended) / 1e9;
                break;
            }
            BrokerProcess.sleep(Duration.ofMillis(20));
        }
        BrokerProcess.sleep(Duration.ofSeconds(1));
        stop.set(true);
        try {
            producer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        awaitAll(batch, scenario);
        writeTimeline(batch, "outage", batch.produced());
        long backlog = Math.max(0, lagAtEnd - steadyLag);
        Results.Outage outage = new Results.Outage(scenario.label(), profile.outageSeconds(), rate, max, steadyLag,
                backlog, drainSeconds, backlog / (max - rate), batch.tally(batch.produced()));
        outages.add(outage);
        out.printf("  outage %d s at %.0f ev/s input: backlog %d, drained in %.1f s (ideal %.1f s)%n",
                outage.outageSeconds(), rate, backlog, drainSeconds, outage.idealDrainSeconds());
    }

    private void writeTimeline(Batch batch, String what, int count) {
        try {
            batch.writeTimeline(workDir.resolve(name + "-" + what + ".csv"), count);
        } catch (java.io.IOException e) {
            out.printf("  (cannot write the %s timeline: %s)%n", what, e.getMessage());
        }
    }

    private static long lag(Batch batch) {
        return batch.produced() - batch.distinct();
    }

    private Batch newBatch(int size, boolean trackLatency) {
        Batch batch = new Batch(BATCH_IDS.incrementAndGet(), size, trackLatency);
        batches.add(batch);
        return batch;
    }

    /** Waits for an outcome of every event sent in the batch, allowing for a worker far below its limit. */
    private void awaitAll(Batch batch, Scenario scenario) {
        int expected = batch.produced();
        double seconds = 60 + 5.0 * expected / scenario.nominalLimit();
        if (!batch.awaitOutcomes(expected, Duration.ofMillis(Math.round(seconds * 1000)))) {
            out.printf("  WARNING: only %d of %d events of batch %d got an outcome within %.0f s%n", batch.distinct(),
                    expected, batch.id(), seconds);
        }
    }

    private Map<String, String> workerConfig(int index, Scenario scenario, WorkerConfig.Topics topics) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("kafka.group.id", "bench-" + index);
        config.put("topics.input", topics.input());
        config.put("topics.created", topics.created());
        config.put("topics.failed", topics.failed());
        config.put("topics.dead-letter", topics.deadLetter());
        config.put("schema.registry.url", SignupWriter.REGISTRY_URL);
        config.put("juspay.base-url", simulator.baseUrl());
        config.put("juspay.allow-insecure-http", "true");
        config.put("merchants.ids", MERCHANT);
        config.put("merchants.default", MERCHANT);
        config.put("merchants." + MERCHANT + ".payment-page-client-id", "bench_client");
        config.put("merchants." + MERCHANT + ".api-key-env", API_KEY_ENV);
        config.put("processing.max-in-flight", Integer.toString(scenario.concurrency()));
        config.put("processing.guarantee", scenario.exactlyOnce() ? "exactly-once" : "at-least-once");
        config.put("processing.commit-interval-ms", "1000");
        config.put("processing.shutdown-grace-ms", "10000");
        // The benchmark measures the API's limit, not our own rate limit (200/s per merchant by default).
        config.put("rate-limit.per-second", "1000000");
        // After an outage, let trial calls through after 2 s instead of the default 30 s.
        config.put("breaker.open-wait-ms", "2000");
        config.put("ops.port", "0");
        return config;
    }

    private static double rate(long events, long millis) {
        return millis <= 0 ? Double.NaN : events * 1000.0 / millis;
    }

    private static double perEvent(long beforeNanos, long afterNanos, int events) {
        return beforeNanos < 0 || afterNanos < 0 ? Double.NaN : (afterNanos - beforeNanos) / 1000.0 / events;
    }

    private static Results.Throughput withOutcomes(Results.Throughput t, Batch.Tally tally) {
        return new Results.Throughput(t.label(), t.scenario(), t.events(), t.seconds(), t.eventsPerSecond(),
                t.firstToLastPerSecond(), t.simulatorLatencyMs(), t.simulatorMeanInFlight(), t.limitPerSecond(),
                t.efficiency(), t.nominalEfficiency(), t.workerCpuMicrosPerEvent(), t.benchCpuMicrosPerEvent(),
                t.brokerCpuMicrosPerEvent(), t.machineBusyPercent(), t.cpuLimitPerSecond(), t.workerRssBytes(), tally);
    }

    /** CPU clocks of the worker, broker and benchmark processes and of the machine at one moment. */
    private record CpuSnapshot(long worker, long workerRss, long broker, long bench, long busy, long total,
            long wallNanos) {
        static CpuSnapshot take(WorkerLauncher.Child child, BrokerProcess broker) {
            WorkerLauncher.Stats stats = child.stats();
            long[] machine = CpuClock.machineNanos();
            return new CpuSnapshot(stats.cpuNanos(), stats.rss(), CpuClock.processNanos(broker.pid()),
                    CpuClock.selfNanos(), machine[0], machine[1], System.nanoTime());
        }

        /** CPU of the three processes from this snapshot to {@code later}, as a share of all cores. */
        double ownCpuPercent(CpuSnapshot later) {
            if (worker < 0 || broker < 0 || bench < 0) {
                return Double.NaN;
            }
            long used = later.worker - worker + later.broker - broker + later.bench - bench;
            return 100.0 * used / ((later.wallNanos - wallNanos) * (double) Runtime.getRuntime().availableProcessors());
        }

        /** CPU of the whole machine from this snapshot to {@code later}, as a share of all cores. */
        double machineBusyPercent(CpuSnapshot later) {
            return total < 0 ? Double.NaN : 100.0 * (later.busy - busy) / Math.max(1, later.total - total);
        }
    }
}
