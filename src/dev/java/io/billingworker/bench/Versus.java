package io.billingworker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.billingworker.app.LoopbackPorts;
import io.billingworker.testsupport.ApicurioRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code bench --versus}: the worker and Confluent Parallel Consumer (the peer harness's {@code pc}) side by side on
 * one machine, as a user starts them: each a cold JVM ({@code java -jar ...}, no JVM options; with {@code --aot-cache}
 * the worker once more with the ahead-of-time cache of a training run), the same Kafka broker
 * process, the same {@code /session} stub process (the harness's {@code stub}, fixed latency L), P partitions and K
 * keys, one run per design per row. A row's figures are taken the moment the last of its N events has an outcome on
 * the design's output topic(s).
 */
final class Versus {

    static final int PARTITIONS = 12;
    static final int KEYS = 10_000;
    static final int LATENCY_MS = 200;
    static final String PC_DESIGN = "Parallel Consumer 0.5.3.3";
    static final String WORKER_DESIGN = "this worker";
    /** The worker started with the ahead-of-time cache of a training run ({@code --aot-cache}). */
    static final String WORKER_AOT_DESIGN = "this worker, AOT cache";
    /** The worker of another build ({@code --baseline-jar}), run beside this build's in each row. */
    static final String BASELINE_DESIGN = "baseline worker";
    /**
     * Requests sent to the stub before the first row, so that its JIT compiling is not billed to the first design
     * (as the broker is warmed up first for the same reason).
     */
    static final int STUB_WARM_UP_REQUESTS = 12_000;
    /** Events of the {@code --aot-cache} training run (fewer when every row has fewer). */
    static final int TRAINING_EVENTS = 20_480;
    static final List<Row> FULL = List.of(new Row(256, 25_600), new Row(1_024, 102_400));
    static final List<Row> QUICK = List.of(new Row(64, 3_000));
    /** The value of a {@code --versus} given without one: the default rows (or, with --quick, the quick one). */
    static final String DEFAULT_ROWS = "default";

    private static final String MERCHANT = "versus_merchant";
    private static final String API_KEY_ENV = "VERSUS_MERCHANT_API_KEY";
    private static final Pattern ROW = Pattern.compile("\\s*C=(\\d+)\\s*,\\s*N=(\\d+)\\s*");
    private static final Pattern RESULT = Pattern.compile("RESULT .*rss_peak_mb=(\\d+) cpu_s=([0-9.]+)");

    /** One row pair of the table: concurrency C and backlog N. */
    record Row(int concurrency, int events) {

        static Row parse(String spec) {
            Matcher matcher = ROW.matcher(spec);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("--versus takes C=<concurrency>,N=<events>, was '" + spec + "'");
            }
            Row row = new Row(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
            if (row.concurrency < 1 || row.events < 10) {
                throw new IllegalArgumentException("--versus needs C >= 1 and N >= 10, was '" + spec + "'");
            }
            return row;
        }
    }

    /** The rows of {@code --versus} values: none (or empty values) means the full pair, or the quick one. */
    static List<Row> rows(List<String> specs, boolean quick) {
        List<Row> rows = new ArrayList<>();
        for (String spec : specs) {
            if (!spec.isBlank() && !spec.equals(DEFAULT_ROWS)) {
                rows.add(Row.parse(spec));
            }
        }
        return rows.isEmpty() ? (quick ? QUICK : FULL) : rows;
    }

    /** One design's run at one row. */
    record Run(int concurrency, int events, String design, boolean complete, int distinct, long records,
            long duplicates, long lost, long foreign, Map<String, Long> perTopic, double x, double xMiddle, double eta,
            double cpuSeconds, double rssMb, double stubCpuSeconds, double brokerCpuSeconds,
            double secondsToLastOutcome, double cpuSecondsToFirstOutcome, double secondsToFirstOutcome,
            double jitCpuSeconds, double gcCpuSeconds, double selfReportedCpuSeconds, double selfReportedRssMb,
            boolean exitedClean, String command, String log, String note) {

        /** CPU seconds without the JIT compiler's and the garbage collector's threads; -1 if unknown. */
        double cpuSecondsWithoutJitAndGc() {
            return jitCpuSeconds < 0 || gcCpuSeconds < 0 ? -1 : cpuSeconds - jitCpuSeconds - gcCpuSeconds;
        }

        double stubCpuPerEventMicros() {
            return distinct == 0 ? -1 : stubCpuSeconds * 1e6 / distinct;
        }

        double brokerCpuPerEventMicros() {
            return distinct == 0 ? -1 : brokerCpuSeconds * 1e6 / distinct;
        }
    }

    /** A goal of the issue, judged on one run. */
    record Goal(String goal, boolean pass, String measured) {
    }

    /** Everything a versus run measured. */
    record Report(String startedAt, double seconds, String machine, int partitions, int keys, int latencyMs,
            String workerLaunch, List<Run> runs, List<String> ratios, List<Goal> goals) {
    }

    private final List<Row> rows;
    private final Path projectDir;
    private final Path harnessDir;
    private final Path outDir;
    private final Path logDir;
    private final Duration runTimeout;
    private final boolean aotCache;
    private final Path baselineJar;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    Versus(List<Row> rows, Path projectDir, Path harnessDir, Path outDir, Duration runTimeout, boolean aotCache,
            PrintStream out) {
        this(rows, projectDir, harnessDir, outDir, runTimeout, aotCache, null, out);
    }

    /** @param baselineJar the packaged jar of another build to run beside this one in each row, or null */
    Versus(List<Row> rows, Path projectDir, Path harnessDir, Path outDir, Duration runTimeout, boolean aotCache,
            Path baselineJar, PrintStream out) {
        if (baselineJar != null && !Files.isRegularFile(baselineJar)) {
            throw new IllegalArgumentException("--baseline-jar: no such file: " + baselineJar);
        }
        this.rows = List.copyOf(rows);
        this.projectDir = projectDir.toAbsolutePath();
        this.harnessDir = harnessDir;
        this.outDir = outDir;
        this.logDir = outDir.resolve("logs").resolve("versus");
        this.runTimeout = runTimeout;
        this.aotCache = aotCache;
        this.baselineJar = baselineJar == null ? null : baselineJar.toAbsolutePath();
        this.out = out;
    }

    /** Runs every row pair, prints and writes the report; exit status 0 when every run is complete and exact. */
    int run() {
        long started = System.nanoTime();
        String startedAt = Instant.now().toString();
        String machine = machine();
        createDirectories(logDir);
        out.println(machine);
        Path peerJar = PeerBench.jar(projectDir, harnessDir, logDir, out);
        WorkerCommand workerCommand = workerCommand();
        out.println("Peer harness: " + peerJar);
        out.println("Worker: " + workerCommand.describe());
        WorkerCommand baselineCommand = baselineJar == null ? null : new WorkerCommand(baselineJar, null);
        if (baselineCommand != null) {
            out.println("Baseline worker: " + baselineCommand.describe());
        }
        List<Run> runs = new ArrayList<>();
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try (ProcSampler sampler = new ProcSampler()) {
            out.println("Starting the Kafka broker process...");
            BrokerProcess broker = push(resources, BrokerProcess.start());
            Bench.warmUp(broker, rows.stream().mapToInt(Row::events).max().orElse(0) < 10_000 ? 20_000 : 200_000,
                    out);
            out.println("Starting Apicurio Registry...");
            if (System.getProperty("apicurio.dir") == null) {
                System.setProperty("apicurio.dir", projectDir.resolve("target/apicurio").toString());
            }
            ApicurioRegistry registry = startRegistry();
            Thread stopRegistry = new Thread(registry::close, "bench-registry-stop");
            Runtime.getRuntime().addShutdownHook(stopRegistry);
            push(resources, () -> {
                registry.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopRegistry);
                } catch (IllegalStateException e) {
                    // shutting down already
                }
            });
            Admin admin = push(resources, Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    AdminClientConfig.CLIENT_ID_CONFIG, "bench-versus-admin")));
            int stubPort = LoopbackPorts.pickFree(1).getFirst();
            ChildProcess stub = push(resources, ChildProcess.start("stub", List.of(ChildProcess.java(), "-jar",
                    peerJar.toString(), "stub", "--port", Integer.toString(stubPort), "--latency-ms",
                    Integer.toString(LATENCY_MS)), Map.of(), logDir.resolve("stub.log")));
            awaitPort(stub, stubPort);
            out.printf("Stub on 127.0.0.1:%d (L = %d ms), registry at %s%n", stubPort, LATENCY_MS, registry.url());
            warmUpStub(stubPort, STUB_WARM_UP_REQUESTS, out);
            Context context = new Context(broker, admin, registry, stub, stubPort, peerJar, workerCommand, sampler);
            Path cache = aotCache ? trainAotCache(context) : null;
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                String suffix = row.concurrency() + (i == firstIndexOf(row.concurrency()) ? "" : "-" + (i + 1));
                runs.add(runPc(context, row, suffix));
                out.println(line(runs.getLast()));
                // With a baseline, the two builds take turns going first, row by row: the broker and the stub
                // warm up as a run goes on, which favours whichever runs later.
                boolean baselineFirst = baselineCommand != null && i % 2 == 1;
                if (baselineFirst) {
                    runs.add(runWorker(context, baselineCommand, row, BASELINE_DESIGN, "baseline-" + suffix,
                            200 + i + 1, List.of()));
                    out.println(line(runs.getLast()));
                }
                runs.add(runWorker(context, workerCommand, row, WORKER_DESIGN, suffix, i + 1, List.of()));
                out.println(line(runs.getLast()));
                if (baselineCommand != null && !baselineFirst) {
                    runs.add(runWorker(context, baselineCommand, row, BASELINE_DESIGN, "baseline-" + suffix,
                            200 + i + 1, List.of()));
                    out.println(line(runs.getLast()));
                }
                if (cache != null) {
                    runs.add(runWorker(context, workerCommand, row, WORKER_AOT_DESIGN, "aot-" + suffix,
                            100 + i + 1,
                            List.of("-XX:AOTCache=" + cache)));
                    out.println(line(runs.getLast()));
                }
            }
        } finally {
            closeAll(resources);
        }
        List<String> ratios = ratios(runs);
        List<Goal> goals = goals(runs);
        Report report = new Report(startedAt, (System.nanoTime() - started) / 1e9, machine, PARTITIONS, KEYS,
                LATENCY_MS, workerCommand.describe(), runs, ratios, goals);
        String markdown = render(report);
        try {
            json.writeValue(outDir.resolve("versus.json").toFile(), report);
            Files.writeString(outDir.resolve("versus.md"), markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + outDir, e);
        }
        out.println();
        out.print(markdown);
        out.println("Written: " + outDir.resolve("versus.json") + " and " + outDir.resolve("versus.md"));
        boolean exact = runs.stream().allMatch(Run::complete) && runs.stream()
                .filter(run -> !run.design().equals(PC_DESIGN))
                .allMatch(run -> run.lost() == 0 && run.duplicates() == 0);
        return exact ? 0 : 1;
    }

    /** Posts {@code requests} session requests to the stub, 512 at a time, and waits for the answers (60 s at most). */
    static void warmUpStub(int port, int requests, PrintStream out) {
        long started = System.nanoTime();
        Semaphore inFlight = new Semaphore(512);
        AtomicInteger answered = new AtomicInteger();
        URI uri = URI.create("http://127.0.0.1:" + port + "/session");
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < requests; i++) {
                if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
                    break;
                }
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"order_id\":\"warmup_" + i + "\",\"amount\":\"1.00\"}"))
                        .build();
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .whenComplete((response, failure) -> {
                            if (failure == null && response.statusCode() == 200) {
                                answered.incrementAndGet();
                            }
                            inFlight.release();
                        });
            }
            inFlight.tryAcquire(512, 60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.printf("Stub warmed up: %d of %d requests answered in %.1f s%n", answered.get(), requests,
                (System.nanoTime() - started) / 1e9);
    }

    private int firstIndexOf(int concurrency) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).concurrency() == concurrency) {
                return i;
            }
        }
        return -1;
    }

    private record Context(BrokerProcess broker, Admin admin, ApicurioRegistry registry, ChildProcess stub,
            int stubPort, Path peerJar, WorkerCommand workerCommand, ProcSampler sampler) {
    }

    /** What a design's run saw the moment its last outcome was read. */
    private record AtCompletion(double cpuSeconds, double rssMb, double stubCpuSeconds, double brokerCpuSeconds,
            double secondsSinceStart, double jitCpuSeconds, double gcCpuSeconds) {

        static AtCompletion of(ProcSampler.Watched process, double stubCpuSeconds, double brokerCpuSeconds,
                double secondsSinceStart) {
            long[] jitAndGc = CpuClock.jitAndGcNanos(process.pid());
            double jit = jitAndGc[0] < 0 ? -1 : jitAndGc[0] / 1e9;
            double gc = jitAndGc[1] < 0 ? -1 : jitAndGc[1] / 1e9;
            return new AtCompletion(process.cpuSeconds(), process.peakRssMb(), stubCpuSeconds, brokerCpuSeconds,
                    secondsSinceStart, jit, gc);
        }
    }

    // ---------------------------------------------------------------------------------------------- Parallel Consumer

    private Run runPc(Context context, Row row, String suffix) {
        String in = "in-pc-" + suffix;
        String outTopic = "out-pc-" + suffix;
        String bootstrap = context.broker().bootstrapServers();
        out.printf("%n%s, C=%d, N=%d: loading %s...%n", PC_DESIGN, row.concurrency(), row.events(), in);
        List<String> load = List.of(ChildProcess.java(), "-jar", context.peerJar().toString(), "load", "--topic", in,
                "--out", outTopic, "--partitions", Integer.toString(PARTITIONS), "--n",
                Integer.toString(row.events()), "--keys", Integer.toString(KEYS), "--bootstrap", bootstrap);
        try (ChildProcess loader = ChildProcess.start("load-pc-" + suffix, load, Map.of(),
                logDir.resolve("load-pc-" + suffix + ".log"))) {
            if (!loader.awaitExit(runTimeout) || loader.exitValue() != 0) {
                throw new IllegalStateException("loading " + in + " failed or timed out:\n" + loader.logTail(30));
            }
        }
        List<String> command = List.of(ChildProcess.java(), "-jar", context.peerJar().toString(), "pc", "--in", in,
                "--out", outTopic, "--group", "g-pc-" + suffix, "--url",
                "http://127.0.0.1:" + context.stubPort() + "/session", "--concurrency",
                Integer.toString(row.concurrency()), "--partitions", Integer.toString(PARTITIONS), "--ordering", "KEY",
                "--expect", Integer.toString(row.events()), "--timeout-s", Long.toString(runTimeout.toSeconds()),
                "--bootstrap", bootstrap);
        Run run = measure(context, row, PC_DESIGN, "pc-" + suffix, command, Map.of(), List.of(outTopic),
                DistinctReader::jsonInId, true);
        context.broker().deleteTopics(List.of(in, outTopic));
        return run;
    }

    // ------------------------------------------------------------------------------------------------------ the worker

    /**
     * The {@code --aot-cache} training run: the worker on a backlog of its own at the largest row's concurrency,
     * started with {@code -XX:AOTCacheOutput}; its JVM writes the cache as it exits. Returns the cache file.
     */
    private Path trainAotCache(Context context) {
        Path cache = outDir.resolve("worker.aot").toAbsolutePath();
        try {
            Files.deleteIfExists(cache);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + cache, e);
        }
        int concurrency = rows.stream().mapToInt(Row::concurrency).max().orElseThrow();
        int events = Math.min(TRAINING_EVENTS, rows.stream().mapToInt(Row::events).max().orElseThrow());
        Run training = runWorker(context, context.workerCommand(), new Row(concurrency, events),
                "AOT cache training run", "aot-training", 99,
                List.of("-XX:AOTCacheOutput=" + cache));
        out.println(line(training));
        if (!training.complete() || !Files.isRegularFile(cache)) {
            throw new IllegalStateException("the AOT cache training run did not write " + cache + " (see "
                    + training.log() + ")");
        }
        out.printf("AOT cache: %s (%.0f MB)%n", cache, cache.toFile().length() / 1e6);
        return cache;
    }

    private Run runWorker(Context context, WorkerCommand workerCommand, Row row, String design, String suffix,
            int batchId, List<String> jvmOptions) {
        String in = "in-worker-" + suffix;
        List<String> outcomes = List.of("created-worker-" + suffix, "failed-worker-" + suffix,
                "dlt-worker-" + suffix);
        out.printf("%n%s, C=%d, N=%d: loading %s...%n", design, row.concurrency(), row.events(), in);
        createTopics(context.admin(), in, outcomes);
        Batch batch = new Batch(batchId, row.events(), false);
        try (SignupWriter writer = new SignupWriter(context.broker().bootstrapServers(), in, KEYS,
                context.registry().url())) {
            writer.sendAll(batch, writer.prepare(batch));
        }
        long written = inputRecords(context.admin(), in);
        if (written != row.events()) {
            throw new IllegalStateException(in + " holds " + written + " records, not " + row.events());
        }
        String apiKey = "versus_" + UUID.randomUUID().toString().replace("-", "");
        Path config = writeWorkerConfig(context, row, suffix, in, outcomes);
        List<String> command = workerCommand.command(jvmOptions, config);
        ToLongFunction<byte[]> idOf = value -> {
            long id = EventIds.parse(value);
            return id < 0 || (id >>> 32) != batchId ? -1 : (int) id;
        };
        Run run = measure(context, row, design, "worker-" + suffix, command, Map.of(API_KEY_ENV, apiKey),
                outcomes, idOf, false);
        List<String> topics = new ArrayList<>(outcomes);
        topics.add(in);
        context.broker().deleteTopics(topics);
        return run;
    }

    private Path writeWorkerConfig(Context context, Row row, String suffix, String in, List<String> outcomes) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", context.broker().bootstrapServers());
        config.put("kafka.group.id", "g-worker-" + suffix);
        config.put("topics.input", in);
        config.put("topics.created", outcomes.get(0));
        config.put("topics.failed", outcomes.get(1));
        config.put("topics.dead-letter", outcomes.get(2));
        config.put("schema.registry.url", context.registry().url());
        config.put("juspay.base-url", "http://127.0.0.1:" + context.stubPort());
        config.put("juspay.allow-insecure-http", "true");
        config.put("merchants.ids", MERCHANT);
        config.put("merchants.default", MERCHANT);
        config.put("merchants." + MERCHANT + ".payment-page-client-id", "versus_client");
        config.put("merchants." + MERCHANT + ".api-key-env", API_KEY_ENV);
        config.put("processing.max-in-flight", Integer.toString(row.concurrency()));
        // the default of 200 calls/s per merchant would cap every row
        config.put("rate-limit.per-second", "1000000");
        // loopback only (the default binds 0.0.0.0:9400)
        config.put("ops.host", "127.0.0.1");
        config.put("ops.port", Integer.toString(LoopbackPorts.pickFree(1).getFirst()));
        Path file = logDir.resolve("worker-" + suffix + ".properties");
        Properties properties = new Properties();
        properties.putAll(config);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "bench --versus: the worker at C=" + row.concurrency());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static void createTopics(Admin admin, String input, List<String> outcomes) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(input, PARTITIONS, (short) 1));
        for (String outcome : outcomes) {
            topics.add(new NewTopic(outcome, PARTITIONS, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")));
        }
        List<String> names = topics.stream().map(NewTopic::name).toList();
        try {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!haveLeaders(admin, names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + names + " have no leaders after 30 s");
                }
                BrokerProcess.sleep(Duration.ofMillis(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + names + ": " + e.getMessage(), e);
        }
    }

    /** How many records the topic holds (the sum of its partitions' end offsets). */
    private static long inputRecords(Admin admin, String topic) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var partition : admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions()) {
                latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Whether every partition of the topics has a leader (false while the broker does not know them yet). */
    private static boolean haveLeaders(Admin admin, List<String> names) throws InterruptedException,
            TimeoutException {
        try {
            return admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                    .allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null));
        } catch (ExecutionException e) {
            return false;
        }
    }

    // ----------------------------------------------------------------------------------------------- one measurement

    private Run measure(Context context, Row row, String design, String name, List<String> command,
            Map<String, String> environment, List<String> topics, ToLongFunction<byte[]> idOf, boolean exitsItself) {
        AtomicReference<AtCompletion> atCompletion = new AtomicReference<>();
        AtomicReference<ProcSampler.Watched> designProcess = new AtomicReference<>();
        ProcSampler.Watched broker = context.sampler().watch(context.broker().pid());
        ProcSampler.Watched stub = context.sampler().watch(context.stub().pid());
        double[] baseline = new double[3];
        long[] startedNanos = new long[1];
        boolean exitedClean = false;
        out.printf("Starting: %s%n", String.join(" ", command));
        double[] atFirst = {-1, -1};
        DistinctReader reader = new DistinctReader(context.broker().bootstrapServers(), topics, row.events(), idOf,
                () -> {
                    ProcSampler.Watched process = designProcess.get();
                    process.sample();
                    atFirst[0] = process.cpuSeconds();
                    atFirst[1] = (System.nanoTime() - startedNanos[0]) / 1e9;
                },
                () -> {
                    ProcSampler.Watched process = designProcess.get();
                    process.sample();
                    broker.sample();
                    stub.sample();
                    atCompletion.set(AtCompletion.of(process, stub.cpuSeconds() - baseline[1],
                            broker.cpuSeconds() - baseline[2], (System.nanoTime() - startedNanos[0]) / 1e9));
                });
        ChildProcess child = null;
        boolean complete;
        try {
            broker.sample();
            stub.sample();
            baseline[1] = stub.cpuSeconds();
            baseline[2] = broker.cpuSeconds();
            startedNanos[0] = System.nanoTime();
            child = ChildProcess.start(name, command, environment, logDir.resolve(name + ".log"));
            designProcess.set(context.sampler().watch(child.pid()));
            complete = awaitOutcomes(reader, child, exitsItself);
            if (exitsItself) {
                exitedClean = child.awaitExit(Duration.ofSeconds(60)) && child.exitValue() == 0;
            }
            // the worker: SIGTERM, as an orchestrator stops it; it drains, commits and exits 0
            exitedClean = child.stop(Duration.ofSeconds(60)) && (exitsItself ? exitedClean : child.exitValue() == 0);
            drain(context.admin(), reader);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            reader.close();
            if (child != null) {
                child.close();
            }
            context.sampler().unwatch(broker);
            context.sampler().unwatch(stub);
            if (designProcess.get() != null) {
                context.sampler().unwatch(designProcess.get());
            }
        }
        AtCompletion figures = atCompletion.get();
        if (figures == null) {
            // incomplete: the figures at the end of the wait
            ProcSampler.Watched process = designProcess.get();
            figures = new AtCompletion(process.cpuSeconds(), process.peakRssMb(), stub.cpuSeconds() - baseline[1],
                    broker.cpuSeconds() - baseline[2], (System.nanoTime() - startedNanos[0]) / 1e9, -1, -1);
        }
        long[] timestamps = reader.sortedTimestamps();
        int distinct = timestamps.length;
        double span = distinct > 1 ? (timestamps[distinct - 1] - timestamps[0]) / 1000.0 : 0;
        double x = span > 0 ? distinct / span : 0;
        int p10 = (int) (distinct * 0.1);
        int p90 = (int) (distinct * 0.9);
        double middle = distinct > 10 ? (timestamps[p90] - timestamps[p10]) / 1000.0 : 0;
        double xMiddle = middle > 0 ? (p90 - p10) / middle : 0;
        double limit = Math.min(row.concurrency(), KEYS) / (LATENCY_MS / 1000.0);
        double selfCpu = -1;
        double selfRss = -1;
        for (String line : child.logLines()) {
            Matcher matcher = RESULT.matcher(line);
            if (matcher.find()) {
                selfRss = Double.parseDouble(matcher.group(1));
                selfCpu = Double.parseDouble(matcher.group(2));
            }
        }
        String note = "";
        if (!complete) {
            note = "incomplete: " + distinct + " of " + row.events() + " events had an outcome within "
                    + runTimeout.toSeconds() + " s";
        } else if (!exitedClean) {
            note = "the process did not exit cleanly (see " + child.log() + ")";
        }
        Map<String, Long> perTopic = reader.perTopic();
        if (!design.equals(PC_DESIGN) && perTopic.getOrDefault(topics.getFirst(), 0L) < distinct) {
            note = (note.isEmpty() ? "" : note + "; ") + "not every outcome is a created session: " + perTopic;
        }
        return new Run(row.concurrency(), row.events(), design, complete, distinct, reader.records(),
                reader.duplicates(), row.events() - distinct, reader.foreign(), perTopic, x, xMiddle, x / limit,
                figures.cpuSeconds(), figures.rssMb(), figures.stubCpuSeconds(), figures.brokerCpuSeconds(),
                figures.secondsSinceStart(), atFirst[0], atFirst[1], figures.jitCpuSeconds(), figures.gcCpuSeconds(),
                selfCpu, selfRss, exitedClean,
                String.join(" ", command),
                child.log().toString(), note);
    }

    /** Waits for every outcome, at most the run timeout, and not past the process's own end (plus 10 s). */
    private boolean awaitOutcomes(DistinctReader reader, ChildProcess child, boolean exitsItself)
            throws InterruptedException {
        long deadline = System.nanoTime() + runTimeout.toNanos();
        long exitedAt = -1;
        while (System.nanoTime() < deadline) {
            if (reader.awaitComplete(Duration.ofMillis(200))) {
                return true;
            }
            if (!child.isAlive()) {
                if (exitedAt < 0) {
                    exitedAt = System.nanoTime();
                    out.printf("%s exited with status %d before all outcomes were read%s%n", child.name(),
                            child.exitValue(), exitsItself ? "" : " (see " + child.log() + ")");
                }
                if (System.nanoTime() - exitedAt > Duration.ofSeconds(10).toNanos()) {
                    return reader.isComplete();
                }
            }
        }
        out.printf("%s: %d of the events had an outcome after %d s; giving up%n", child.name(), reader.distinct(),
                runTimeout.toSeconds());
        return reader.isComplete();
    }

    /** Reads the output topics to their end, so late duplicates are counted too. */
    private void drain(Admin admin, DistinctReader reader) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        try {
            for (var description : admin.describeTopics(reader.topics()).allTopicNames().get(30, TimeUnit.SECONDS)
                    .values()) {
                for (var partition : description.partitions()) {
                    latest.put(new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            if (!reader.drainTo(ends, Duration.ofSeconds(60))) {
                out.println("the output topics were not read to their end within 60 s");
            }
        } catch (ExecutionException | TimeoutException e) {
            out.println("cannot read the output topics' end offsets: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------- processes, machine

    /** How the worker is started: the packaged jar as a user runs it, or (without it) Main on the class path. */
    record WorkerCommand(Path jar, String classPath) {

        List<String> command(List<String> jvmOptions, Path config) {
            List<String> command = new ArrayList<>();
            command.add(ChildProcess.java());
            command.addAll(jvmOptions);
            if (jar != null) {
                command.add("-jar");
                command.add(jar.toString());
            } else {
                command.add("-cp");
                command.add(classPath);
                command.add("io.billingworker.app.Main");
            }
            command.add("run");
            command.add("--config");
            command.add(config.toString());
            return command;
        }

        String describe() {
            return jar != null ? "java -jar " + jar + " run --config <file>"
                    : "java -cp <classes + dependencies> io.billingworker.app.Main run --config <file> (no packaged "
                            + "jar: run ./mvnw package to start it with java -jar)";
        }
    }

    private WorkerCommand workerCommand() {
        String configured = System.getProperty("packaged.jar");
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return new WorkerCommand(Path.of(configured).toAbsolutePath(), null);
        }
        Path target = projectDir.resolve("target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "billing-session-worker-*.jar")) {
                for (Path jar : jars) {
                    String file = jar.getFileName().toString();
                    if (!file.endsWith("-sources.jar") && !file.endsWith("-javadoc.jar")
                            && !file.endsWith("-tests.jar")) {
                        return new WorkerCommand(jar.toAbsolutePath(), null);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + target, e);
            }
        }
        Path lib = target.resolve("lib");
        String classPath = Files.isDirectory(lib)
                ? target.resolve("classes") + java.io.File.pathSeparator + lib + "/*"
                : System.getProperty("java.class.path");
        return new WorkerCommand(null, classPath);
    }

    private ApicurioRegistry startRegistry() {
        Path dir = Path.of(System.getProperty("apicurio.dir"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("Apicurio Registry is not unpacked at " + dir + "; run ./mvnw "
                    + "pre-integration-test -DskipTests once (it unpacks it there and packages the worker)");
        }
        return ApicurioRegistry.start();
    }

    private static void awaitPort(ChildProcess process, int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(process.name() + " did not open port " + port + " within 60 s:\n"
                            + process.logTail(20));
                }
                BrokerProcess.sleep(Duration.ofMillis(100));
            }
        }
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> resources, T resource) {
        resources.push(resource);
        return resource;
    }

    private void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                out.println("stopping failed: " + e);
            }
        }
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return String.format(java.util.Locale.ROOT, "Machine: %d cores, %s, %s %s, JDK %s (%s), load average %.2f at "
                + "start", Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    // ------------------------------------------------------------------------------------------------------- report

    private static Run find(List<Run> runs, int concurrency, String design) {
        return runs.stream().filter(run -> run.concurrency() == concurrency && run.design().equals(design))
                .findFirst().orElse(null);
    }

    private static double ratio(double a, double b) {
        return b > 0 && a >= 0 ? a / b : Double.NaN;
    }

    static List<String> ratios(List<Run> runs) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Run worker = runs.get(i);
            if (!worker.design().equals(WORKER_DESIGN) && !worker.design().equals(WORKER_AOT_DESIGN)) {
                continue;
            }
            Run pc = inRowOf(runs, i, PC_DESIGN);
            if (pc != null) {
                lines.add(ratioLine(worker.design().equals(WORKER_DESIGN) ? "worker / PC"
                        : "worker with AOT cache / PC", worker, pc));
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            Run worker = runs.get(i);
            Run baseline = worker.design().equals(WORKER_DESIGN) ? inRowOf(runs, i, BASELINE_DESIGN) : null;
            if (baseline != null) {
                lines.add(ratioLine("worker / baseline worker", worker, baseline));
            }
        }
        return lines;
    }

    /**
     * The run of {@code design} in the same row as {@code runs[index]}: each row starts with its Parallel Consumer
     * run, so the row is the stretch from the last PC run at or before {@code index} to the next one.
     */
    private static Run inRowOf(List<Run> runs, int index, String design) {
        int start = index;
        while (start > 0 && !runs.get(start).design().equals(PC_DESIGN)) {
            start--;
        }
        int end = index + 1;
        while (end < runs.size() && !runs.get(end).design().equals(PC_DESIGN)) {
            end++;
        }
        Run of = runs.get(index);
        for (int j = start; j < end; j++) {
            Run run = runs.get(j);
            if (run.design().equals(design) && run.concurrency() == of.concurrency() && run.events() == of.events()) {
                return run;
            }
        }
        return null;
    }

    private static String ratioLine(String label, Run worker, Run other) {
        return String.format(java.util.Locale.ROOT, "C=%d N=%d, %s: X %.3f (%.0f / %.0f ev/s); "
                + "X p10-p90 %.3f (%.0f / %.0f ev/s); eta %.3f / %.3f; worker CPU s %.3f (%.1f / %.1f s); "
                + "worker CPU s without JIT and GC threads %.3f (%.1f / %.1f s); "
                + "RSS %.3f (%.0f / %.0f MB); stub CPU per event %.3f (%.0f / %.0f us); broker CPU per event "
                + "%.3f (%.0f / %.0f us)", worker.concurrency(), worker.events(), label,
                ratio(worker.x(), other.x()), worker.x(), other.x(),
                ratio(worker.xMiddle(), other.xMiddle()), worker.xMiddle(), other.xMiddle(),
                worker.eta(), other.eta(),
                ratio(worker.cpuSeconds(), other.cpuSeconds()), worker.cpuSeconds(), other.cpuSeconds(),
                ratio(worker.cpuSecondsWithoutJitAndGc(), other.cpuSecondsWithoutJitAndGc()),
                worker.cpuSecondsWithoutJitAndGc(), other.cpuSecondsWithoutJitAndGc(),
                ratio(worker.rssMb(), other.rssMb()), worker.rssMb(), other.rssMb(),
                ratio(worker.stubCpuPerEventMicros(), other.stubCpuPerEventMicros()),
                worker.stubCpuPerEventMicros(), other.stubCpuPerEventMicros(),
                ratio(worker.brokerCpuPerEventMicros(), other.brokerCpuPerEventMicros()),
                worker.brokerCpuPerEventMicros(), other.brokerCpuPerEventMicros());
    }

    static List<Goal> goals(List<Run> runs) {
        List<Goal> goals = new ArrayList<>(goals(runs, WORKER_DESIGN, ""));
        if (runs.stream().anyMatch(run -> run.design().equals(WORKER_AOT_DESIGN))) {
            goals.addAll(goals(runs, WORKER_AOT_DESIGN, " (worker with AOT cache)"));
        }
        return goals;
    }

    /** The goals judged on one worker design's runs; {@code label} follows each goal's text. */
    private static List<Goal> goals(List<Run> runs, String design, String label) {
        List<Goal> goals = new ArrayList<>();
        Run worker = find(runs, 1_024, design);
        Run pc = find(runs, 1_024, PC_DESIGN);
        if (worker != null && pc != null) {
            boolean both = worker.complete() && pc.complete();
            goals.add(goal("at C=1024: X(worker) >= 1.2 x X(PC)" + label, both, ratio(worker.x(), pc.x()), 1.2, true,
                    "X(worker) / X(PC)"));
            goals.add(goal("at C=1024: worker CPU s <= 0.6 x PC's" + label, both,
                    ratio(worker.cpuSeconds(), pc.cpuSeconds()), 0.6, false, "worker CPU s / PC CPU s"));
            goals.add(goal("at C=1024: broker CPU per event no higher than with PC" + label, both,
                    ratio(worker.brokerCpuPerEventMicros(), pc.brokerCpuPerEventMicros()), 1.0, false,
                    "broker CPU per event, worker / PC"));
            goals.add(goal("at C=1024: stub (API server) CPU per event no higher than with PC" + label, both,
                    ratio(worker.stubCpuPerEventMicros(), pc.stubCpuPerEventMicros()), 1.0, false,
                    "stub CPU per event, worker / PC"));
            goals.add(goal("at C=1024: worker RSS <= PC RSS" + label, both, ratio(worker.rssMb(), pc.rssMb()), 1.0,
                    false, "RSS worker / PC"));
        } else {
            goals.add(new Goal("at C=1024: the five goals" + label, false, "not run (no C=1024 row pair)"));
        }
        worker = find(runs, 256, design);
        pc = find(runs, 256, PC_DESIGN);
        if (worker != null && pc != null) {
            boolean both = worker.complete() && pc.complete();
            goals.add(goal("at C=256: X(worker) >= X(PC)" + label, both, ratio(worker.x(), pc.x()), 1.0, true,
                    "X(worker) / X(PC)"));
            goals.add(goal("at C=256: eta(worker) >= 0.95" + label, worker.complete(), worker.eta(), 0.95, true,
                    "eta(worker)"));
        } else {
            goals.add(new Goal("at C=256: the two goals" + label, false, "not run (no C=256 row pair)"));
        }
        return goals;
    }

    private static Goal goal(String goal, boolean complete, double value, double bound, boolean atLeast,
            String what) {
        boolean pass = complete && !Double.isNaN(value) && (atLeast ? value >= bound : value <= bound);
        return new Goal(goal, pass, String.format(java.util.Locale.ROOT, "%s = %.3f%s", what, value,
                complete ? "" : " (incomplete run)"));
    }

    static String render(Report report) {
        StringBuilder md = new StringBuilder();
        md.append("Side by side with Parallel Consumer: ").append(report.machine()).append(". ")
                .append(String.format(java.util.Locale.ROOT, "L = %d ms (stub), P = %d, K = %d; cold JVMs, "
                        + "one run per row. Worker: %s.%n%n", report.latencyMs(), report.partitions(), report.keys(),
                        report.workerLaunch()));
        md.append("| C | N | design | X ev/s | eta | worker CPU s | RSS MB | stub CPU s | broker CPU s |\n");
        md.append("|--:|--:|---|--:|--:|--:|--:|--:|--:|\n");
        for (Run run : report.runs()) {
            md.append(String.format(java.util.Locale.ROOT, "| %,d | %,d | %s | %.0f | %.3f | %.1f | %.0f | %.1f | "
                    + "%.1f |%n", run.concurrency(), run.events(), run.design() + (run.complete() ? "" : " "
                    + "(incomplete)"), run.x(), run.eta(), run.cpuSeconds(), run.rssMb(), run.stubCpuSeconds(),
                    run.brokerCpuSeconds()));
        }
        md.append("\nX = distinct outcomes / (last - first outcome timestamp, LogAppendTime); "
                + "eta = X / (min(C, K) / L); CPU = process CPU seconds from the design's start to its last outcome "
                + "being read (stub and broker: their CPU over the same interval); RSS = peak (VmHWM). JIT / GC CPU s: "
                + "the part of the design's CPU spent by its JVM's compiler and garbage-collector threads, read at the "
                + "same moment.\n\n");
        md.append("| C | N | design | X p10-p90 ev/s | outcomes | lost | dup | s to first / last outcome | CPU s to "
                + "first outcome | JIT / GC CPU s | self-reported CPU s / RSS MB | note |\n");
        md.append("|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (Run run : report.runs()) {
            md.append(String.format(java.util.Locale.ROOT, "| %,d | %,d | %s | %.0f | %d | %d | %d | %.1f / %.1f | "
                    + "%.1f | %s | %s | %s |%n",
                    run.concurrency(), run.events(), run.design(), run.xMiddle(), run.records(), run.lost(),
                    run.duplicates(), run.secondsToFirstOutcome(), run.secondsToLastOutcome(),
                    run.cpuSecondsToFirstOutcome(), run.jitCpuSeconds() < 0 ? "-"
                            : String.format(java.util.Locale.ROOT, "%.1f / %.1f", run.jitCpuSeconds(),
                                    run.gcCpuSeconds()), run.selfReportedCpuSeconds() < 0 ? "-"
                            : String.format(java.util.Locale.ROOT, "%.1f / %.0f", run.selfReportedCpuSeconds(),
                                    run.selfReportedRssMb()), run.note().isEmpty() ? "" : run.note()));
        }
        md.append("\nRatios (worker / Parallel Consumer):\n\n");
        for (String ratio : report.ratios()) {
            md.append("- ").append(ratio).append('\n');
        }
        md.append("\nGoals:\n\n");
        for (Goal goal : report.goals()) {
            md.append("- ").append(goal.measured().startsWith("not run") ? "NOT RUN" : goal.pass() ? "PASS" : "FAIL")
                    .append(' ').append(goal.goal()).append(": ").append(goal.measured()).append('\n');
        }
        return md.toString();
    }

    private static String line(Run run) {
        return String.format(java.util.Locale.ROOT, "%s C=%d N=%d: %d distinct outcomes (%d records), X %.0f ev/s, "
                + "eta %.3f, CPU %.1f s, RSS %.0f MB, stub CPU %.1f s, broker CPU %.1f s%s", run.design(),
                run.concurrency(), run.events(), run.distinct(), run.records(), run.x(), run.eta(), run.cpuSeconds(),
                run.rssMb(), run.stubCpuSeconds(), run.brokerCpuSeconds(), run.note().isEmpty() ? "" : "; "
                        + run.note());
    }
}
