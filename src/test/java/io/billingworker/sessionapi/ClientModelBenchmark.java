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
 * Measures the two ways to keep many {@code /session} calls in flight, against the simulator on loopback:
 * the production client (Apache HttpClient 5 classic, pooled) with one virtual thread per call, and Apache
 * HttpClient 5's async client with callbacks. Prints calls/s, efficiency against concurrency / latency, and
 * CPU microseconds per call (client and simulator share the JVM: the simulator's share is the same in both).
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@client-models} (arguments: concurrency, latency ms, seconds).
 */
public final class ClientModelBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String key = "bench-key";
        try (SessionSimulator simulator = SessionSimulator.builder().merchant("m_bench", key)
                .latency(LatencyModel.fixed(Duration.ofMillis(latencyMs))).recordRequests(false).start()) {
            List<SessionRequest> requests = requests(2_000);
            System.out.printf("concurrency %d, simulator latency %d ms, %d s per model (after a %d s warm-up)%n",
                    concurrency, latencyMs, seconds, Math.max(3, seconds / 4));
            System.out.println("| model | calls/s | efficiency X/(C/L) | CPU us/call |");
            System.out.println("|---|---|---|---|");
            for (String model : List.of("virtual-threads+classic", "async-callbacks", "virtual-threads+classic",
                    "async-callbacks")) {
                run(model, simulator, requests, ApiKey.of(key), concurrency, Math.max(3, seconds / 4), false,
                        latencyMs);
                run(model, simulator, requests, ApiKey.of(key), concurrency, seconds, true, latencyMs);
            }
        }
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

    private static void run(String model, SessionSimulator simulator, List<SessionRequest> requests, ApiKey key,
            int concurrency, int seconds, boolean print, int latencyMs) throws Exception {
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        if (model.startsWith("virtual")) {
            SessionApiSettings settings = SessionApiSettings.builder().baseUrl(simulator.baseUrl())
                    .allowInsecureHttp(true).maxConnections(concurrency).build();
            try (SessionApiClient client = new SessionApiClient(settings)) {
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
                    SimpleHttpRequest post = SimpleRequestBuilder.post(simulator.sessionUri())
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
        long calls = completed.get() + failed.get();
        if (print) {
            double rate = completed.get() / elapsed;
            double ideal = concurrency * 1000.0 / latencyMs;
            System.out.printf("| %s | %.0f | %.2f | %.0f |%s%n", model, rate, rate / ideal,
                    cpu / 1000.0 / Math.max(1, calls), failed.get() == 0 ? "" : " (" + failed.get() + " failed)");
        }
    }
}
