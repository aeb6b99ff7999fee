package io.billingworker.sessionapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.billingworker.app.DemoSignups;
import io.billingworker.mapping.MappingResult;
import io.billingworker.mapping.MerchantDirectory;
import io.billingworker.mapping.MerchantProfile;
import io.billingworker.mapping.SessionRequest;
import io.billingworker.mapping.SignupMapper;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.simulator.SessionSimulator;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.util.Timeout;

/**
 * Measures ways to keep many {@code /session} calls in flight, against the simulator on loopback, side by side in one
 * run: the {@code /session} client as it was (Apache HttpClient 5 classic, pooled: {@link ClassicSessionApiClient})
 * and as it is (the async client's I/O reactor: {@link SessionApiClient}), both called from one virtual thread per
 * call, and Apache HttpClient 5's async client with callbacks and no threads at all. Prints calls/s, efficiency
 * against concurrency / latency, and CPU microseconds per call (client and simulator share the JVM: the simulator's
 * share is the same in all).
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@client-models -Dargs="1024 200 20"} (arguments: concurrency,
 * latency ms, seconds). Against a server outside this JVM instead of the simulator, add its base URL, and optionally
 * its process id to report its CPU per 10,000 requests from {@code /proc/<pid>/stat}:
 * {@code -Dargs="1024 200 20 http://127.0.0.1:29611 <pid>"} (the latency argument then only scales the efficiency).
 */
public final class ClientModelBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String externalBaseUrl = args.length > 3 ? args[3] : null;
        long serverPid = args.length > 4 ? Long.parseLong(args[4]) : -1;
        String key = "bench-key";
        List<String> models = List.of(CLASSIC, REACTOR, CALLBACKS, CLASSIC, REACTOR, CALLBACKS);
        List<SessionRequest> requests = requests(2_000);
        if (externalBaseUrl != null) {
            System.out.printf("concurrency %d, server %s (latency %d ms assumed), %d s per model (after a %d s"
                    + " warm-up)%n", concurrency, externalBaseUrl, latencyMs, seconds, Math.max(3, seconds / 4));
            header(serverPid);
            for (String model : models) {
                run(model, externalBaseUrl, requests, ApiKey.of(key), concurrency, Math.max(3, seconds / 4), false,
                        latencyMs, serverPid);
                run(model, externalBaseUrl, requests, ApiKey.of(key), concurrency, seconds, true, latencyMs,
                        serverPid);
            }
            return;
        }
        try (SessionSimulator simulator = SessionSimulator.builder().merchant("m_bench", key)
                .latency(LatencyModel.fixed(Duration.ofMillis(latencyMs))).recordRequests(false).start()) {
            System.out.printf("concurrency %d, simulator latency %d ms, %d s per model (after a %d s warm-up)%n",
                    concurrency, latencyMs, seconds, Math.max(3, seconds / 4));
            header(-1);
            for (String model : models) {
                run(model, simulator.baseUrl(), requests, ApiKey.of(key), concurrency, Math.max(3, seconds / 4),
                        false, latencyMs, -1);
                run(model, simulator.baseUrl(), requests, ApiKey.of(key), concurrency, seconds, true, latencyMs, -1);
            }
        }
    }

    private static final String CLASSIC = "virtual-threads+SessionApiClient-before (classic, blocking sockets)";
    private static final String REACTOR = "virtual-threads+SessionApiClient (async I/O reactor)";
    private static final String CALLBACKS = "async-callbacks (no threads)";

    private static void header(long serverPid) {
        if (serverPid > 0) {
            System.out.println("| model | calls/s | efficiency X/(C/L) | CPU us/call | server CPU s per 10,000 requests |");
            System.out.println("|---|---|---|---|---|");
        } else {
            System.out.println("| model | calls/s | efficiency X/(C/L) | CPU us/call |");
            System.out.println("|---|---|---|---|");
        }
    }

    /** CPU seconds (user + system) a process has used so far, from {@code /proc/<pid>/stat}. */
    private static double processCpuSeconds(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name (which may hold spaces) start after the last ')': state is field 3.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime (14), stime (15)
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    private static List<SessionRequest> requests(int count) {
        SignupMapper mapper = new SignupMapper(Clock.systemUTC());
        MerchantDirectory merchants = MerchantDirectory.of(
                new MerchantProfile("m_bench", "client", null, "REQUIRED", false), List.of());
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> DemoSignups.seedShape("sub_" + i, "evt_bench_" + i, "20.0", 1, Instant.now()))
                .map(signup -> ((MappingResult.Mapped) mapper.map(signup, merchants)).request())
                .toList();
    }

    private static void run(String model, String baseUrl, List<SessionRequest> requests, ApiKey key,
            int concurrency, int seconds, boolean print, int latencyMs, long serverPid) throws Exception {
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.net.URI sessionUri = java.net.URI.create(baseUrl + "/session");
        SessionApiSettings settings = SessionApiSettings.builder().baseUrl(baseUrl)
                .allowInsecureHttp(true).maxConnections(concurrency).build();
        // Built before the clock starts: construction is not per call.
        AutoCloseable built = model.equals(CLASSIC) ? new ClassicSessionApiClient(settings)
                : model.equals(REACTOR) ? new SessionApiClient(settings) : null;
        double serverCpuBefore = serverPid > 0 ? processCpuSeconds(serverPid) : 0;
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        if (built != null) {
            try (AutoCloseable closing = built) {
                SessionApi client = (SessionApi) built;
                CountDownLatch done = new CountDownLatch(concurrency);
                for (int i = 0; i < concurrency; i++) {
                    int offset = i;
                    Thread.ofVirtual().start(() -> {
                        int n = offset;
                        while (running.get()) {
                            HttpResult result = client.send(requests.get(n++ % requests.size()), key);
                            (result instanceof HttpResult.Success ? completed : failed).incrementAndGet();
                        }
                        done.countDown();
                    });
                }
                Thread.sleep(seconds * 1000L);
                running.set(false);
                done.await();
            }
        } else {
            try (CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                    .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                            .setMaxConnTotal(concurrency).setMaxConnPerRoute(concurrency).build())
                    .setDefaultRequestConfig(RequestConfig.custom()
                            .setResponseTimeout(Timeout.ofSeconds(15)).build())
                    .build()) {
                client.start();
                Semaphore permits = new Semaphore(concurrency);
                ResponseClassifier classifier = new ResponseClassifier(new ResponseParser(JSON), Clock.systemUTC());
                int n = 0;
                long deadline = System.nanoTime() + seconds * 1_000_000_000L;
                while (System.nanoTime() < deadline) {
                    if (!permits.tryAcquire(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    SessionRequest request = requests.get(n++ % requests.size());
                    SimpleHttpRequest post = SimpleRequestBuilder.post(sessionUri)
                            .setHeader("Authorization", key.basicAuthorization())
                            .setHeader("x-merchantid", request.merchantId())
                            .setHeader("x-routing-id", request.routingId())
                            .setBody(request.bodyBytes(), ContentType.APPLICATION_JSON)
                            .build();
                    client.execute(post, new FutureCallback<SimpleHttpResponse>() {
                        @Override
                        public void completed(SimpleHttpResponse response) {
                            HttpResult result = classifier.classify(response.getCode(), response.getBodyBytes(),
                                    false, null);
                            (result instanceof HttpResult.Success ? completed : failed).incrementAndGet();
                            permits.release();
                        }

                        @Override
                        public void failed(Exception e) {
                            failed.incrementAndGet();
                            permits.release();
                        }

                        @Override
                        public void cancelled() {
                            failed.incrementAndGet();
                            permits.release();
                        }
                    });
                }
                permits.acquire(concurrency);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        double serverCpu = serverPid > 0 ? processCpuSeconds(serverPid) - serverCpuBefore : 0;
        long calls = completed.get() + failed.get();
        if (print) {
            double rate = completed.get() / elapsed;
            double ideal = concurrency * 1000.0 / latencyMs;
            String server = serverPid > 0 ? String.format(" %.2f |", serverCpu * 10_000 / Math.max(1, calls)) : "";
            System.out.printf("| %s | %.0f | %.2f | %.0f |%s%s%n", model, rate, rate / ideal,
                    cpu / 1000.0 / Math.max(1, calls), server,
                    failed.get() == 0 ? "" : " (" + failed.get() + " failed)");
        }
    }
}
