package io.billingworker.simulator;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures how many {@code /session} calls per second the simulator answers with many concurrent callers,
 * each a virtual thread calling in a loop, every call a new billing order, client and simulator in one JVM
 * on the same cores. Two callers: {@link Caller#RAW} (a lean keep-alive socket, measuring the simulator)
 * and {@link Caller#JDK} ({@link HttpClient}, whose own cost then dominates). Run:
 * {@code java -cp <test classpath> io.billingworker.simulator.SimulatorThroughput [callers] [seconds]
 * [latencyMs] [RAW|JDK]}.
 */
final class SimulatorThroughput {

    /** Which client makes the calls. */
    enum Caller { RAW, JDK }

    /** What one run measured. */
    record Result(Caller caller, int callers, long latencyMs, long requests, double seconds,
            Map<Integer, Long> statuses, long failures, int peakInFlight, long ordersCreated) {

        double requestsPerSecond() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return String.format("%,.0f requests/s: %,d requests in %.1f s, %d %s callers, latency %d ms, "
                            + "statuses %s, client failures %d, peak in flight %d, orders created %,d",
                    requestsPerSecond(), requests, seconds, callers, caller, latencyMs, statuses, failures,
                    peakInFlight, ordersCreated);
        }
    }

    /** One call; returns the status code. */
    @FunctionalInterface
    private interface Call {
        int post(String orderId) throws IOException, InterruptedException;
    }

    private SimulatorThroughput() {
    }

    public static void main(String[] args) throws InterruptedException {
        int callers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        long latencyMs = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Caller caller = args.length > 3 ? Caller.valueOf(args[3]) : Caller.RAW;
        System.out.println(run(caller, callers, Duration.ofSeconds(2), duration, latencyMs));
    }

    /** Warms up for {@code warmUp}, then counts the answers received during {@code measure}. */
    static Result run(Caller caller, int callers, Duration warmUp, Duration measure, long latencyMs)
            throws InterruptedException {
        try (SessionSimulator simulator = SessionSimulator.builder()
                .merchant(SimulatorClient.MERCHANT, SimulatorClient.API_KEY)
                .latency(LatencyModel.fixed(Duration.ofMillis(latencyMs)))
                .recordRequests(false)
                .backlog(4096)
                .start();
             ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient http = HttpClient.newBuilder().executor(clientThreads).build()) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean measuring = new AtomicBoolean(false);
            AtomicLong sequence = new AtomicLong();
            LongAdder failures = new LongAdder();
            Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try (RawHttpCaller raw = new RawHttpCaller(simulator.port())) {
                        Call call = caller == Caller.RAW
                                ? orderId -> raw.post("/session", SimulatorClient.goodHeaders(),
                                        SeedRequests.billingText(orderId))
                                : orderId -> http.send(SimulatorClient.request(simulator.sessionUri(),
                                        SeedRequests.billingText(orderId), SimulatorClient.goodHeaders(),
                                        Duration.ofSeconds(30)), HttpResponse.BodyHandlers.discarding()).statusCode();
                        while (running.get()) {
                            try {
                                int status = call.post("tp-" + sequence.incrementAndGet());
                                if (measuring.get()) {
                                    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                                }
                            } catch (IOException e) {
                                failures.increment();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    }
                }));
            }
            Thread.sleep(warmUp.toMillis());
            simulator.reset();
            measuring.set(true);
            long started = System.nanoTime();
            Thread.sleep(measure.toMillis());
            measuring.set(false);
            double seconds = (System.nanoTime() - started) / 1e9;
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            Map<Integer, Long> statusCounts = new TreeMap<>();
            statuses.forEach((status, count) -> statusCounts.put(status, count.sum()));
            long requests = statusCounts.values().stream().mapToLong(Long::longValue).sum();
            return new Result(caller, callers, latencyMs, requests, seconds, statusCounts, failures.sum(),
                    simulator.peakInFlight(), simulator.ordersCreated());
        }
    }
}
