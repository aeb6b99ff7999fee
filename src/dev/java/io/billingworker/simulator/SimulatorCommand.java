package io.billingworker.simulator;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs the {@link SessionSimulator} on its own, on 127.0.0.1, until SIGTERM or Ctrl-C: for the demo, for
 * benchmarks against a separate process, and for trying a worker by hand. Merchants and API keys come only
 * from the {@value #KEYS_ENV} environment variable ({@code merchant1:key1,merchant2:key2}), never from the
 * command line, where other users could read them.
 */
@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = {"Runs a Juspay POST /session simulator on 127.0.0.1 until stopped (SIGTERM or Ctrl-C).",
                "Merchants and API keys are read from the environment variable " + SimulatorCommand.KEYS_ENV
                        + ", e.g. merchant1:key1,merchant2:key2."})
public final class SimulatorCommand implements Callable<Integer> {

    /** The environment variable holding {@code merchant:apiKey} pairs, comma separated. */
    public static final String KEYS_ENV = "SIMULATOR_MERCHANT_KEYS";

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", defaultValue = "0", description = "Port on 127.0.0.1; 0 picks a free one (default).")
    private int port;

    @Option(names = "--latency-ms", defaultValue = "0",
            description = "Fixed latency; the minimum with --latency-max-ms, the median with --latency-p99-ms.")
    private long latencyMs;

    @Option(names = "--latency-max-ms", description = "Uniform latency between --latency-ms and this.")
    private Long latencyMaxMs;

    @Option(names = "--latency-p99-ms", description = "Log-normal latency with median --latency-ms and this p99.")
    private Long latencyP99Ms;

    @Option(names = "--error-rate", defaultValue = "0", description = "Share of requests answered 500/502/503.")
    private double errorRate;

    @Option(names = "--rate-429", defaultValue = "0", description = "Share of requests answered 429.")
    private double rate429;

    @Option(names = "--retry-after-s", defaultValue = "1", description = "Retry-After seconds of those 429s.")
    private long retryAfterSeconds;

    @Option(names = "--hang-rate", defaultValue = "0", description = "Share of requests never answered.")
    private double hangRate;

    @Option(names = "--max-hang-s", defaultValue = "120",
            description = "A hanging request's connection is dropped after this many seconds.")
    private long maxHangSeconds;

    @Option(names = "--reset-rate", defaultValue = "0",
            description = "Share of requests whose connection is dropped without a response.")
    private double resetRate;

    @Option(names = "--shape", defaultValue = "COMBINED",
            description = "200 body shape: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    private ResponseShape shape;

    @Option(names = "--seed", description = "Seed for the random faults and latency (reproducible runs).")
    private Long seed;

    @Option(names = "--record-requests", defaultValue = "false",
            description = "Keep the last 100,000 requests in memory (off by default: nothing reads them here).")
    private boolean recordRequests;

    private final Map<String, String> env;
    private final PrintStream out;
    private final CountDownLatch stopRequested;

    /** Reads {@value #KEYS_ENV} from the process environment, prints to stdout, stops on JVM shutdown. */
    public SimulatorCommand() {
        this(System.getenv(), System.out, null);
    }

    /**
     * For tests and embedding.
     *
     * @param env           where {@value #KEYS_ENV} is read
     * @param out           where the listening URL is printed
     * @param stopRequested counted down to stop; null to stop on JVM shutdown (SIGTERM, Ctrl-C)
     */
    public SimulatorCommand(Map<String, String> env, PrintStream out, CountDownLatch stopRequested) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.out = Objects.requireNonNull(out, "out");
        this.stopRequested = stopRequested;
    }

    /** Runs the simulator standalone: {@code java -cp ... io.billingworker.simulator.SimulatorCommand --port 8080}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        SessionSimulator.Builder builder = builder();
        CountDownLatch stop = stopRequested == null ? new CountDownLatch(1) : stopRequested;
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = stopRequested == null ? new Thread(() -> {
            stop.countDown();
            awaitQuietly(stopped);
        }, "simulator-shutdown") : null;
        try {
            try (SessionSimulator simulator = builder.start()) {
                if (hook != null) {
                    Runtime.getRuntime().addShutdownHook(hook);
                }
                out.println("Session simulator listening on " + simulator.baseUrl() + " (POST /session), merchants: "
                        + String.join(", ", merchants().keySet()) + ". Stop with Ctrl-C.");
                out.flush();
                stop.await();
            } catch (UncheckedIOException e) {
                spec.commandLine().getErr().println(e.getMessage() + ": " + e.getCause().getMessage());
                return 1;
            }
            out.println("Session simulator stopped.");
            out.flush();
        } finally {
            stopped.countDown();
            removeQuietly(hook);
        }
        return 0;
    }

    /** The simulator these options and the environment describe. */
    SessionSimulator.Builder builder() {
        SessionSimulator.Builder builder = SessionSimulator.builder().merchants(merchants()).port(port)
                .responseShape(shape).recordRequests(recordRequests);
        try {
            builder.latency(latency())
                    .errorRate(errorRate)
                    .rate429(rate429, Duration.ofSeconds(retryAfterSeconds))
                    .hangRate(hangRate)
                    .resetRate(resetRate)
                    .maxHang(Duration.ofSeconds(maxHangSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (seed != null) {
            builder.seed(seed);
        }
        return builder;
    }

    private LatencyModel latency() {
        if (latencyMaxMs != null && latencyP99Ms != null) {
            throw new IllegalArgumentException("--latency-max-ms and --latency-p99-ms cannot be used together");
        }
        if (latencyMaxMs != null) {
            return LatencyModel.uniform(Duration.ofMillis(latencyMs), Duration.ofMillis(latencyMaxMs));
        }
        if (latencyP99Ms != null) {
            return LatencyModel.logNormal(Duration.ofMillis(latencyMs), Duration.ofMillis(latencyP99Ms));
        }
        return LatencyModel.fixed(Duration.ofMillis(latencyMs));
    }

    /** Merchants and keys from {@value #KEYS_ENV}; error messages never contain a key. */
    private Map<String, String> merchants() {
        String value = env.get(KEYS_ENV);
        if (value == null || value.isBlank()) {
            throw new ParameterException(spec.commandLine(),
                    KEYS_ENV + " must be set to merchant:apiKey pairs, e.g. merchant1:key1,merchant2:key2");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        String[] entries = value.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1 || entry.indexOf(':', colon + 1) >= 0) {
                throw new ParameterException(spec.commandLine(),
                        KEYS_ENV + " entry " + (i + 1) + " must be merchant:apiKey");
            }
            String merchant = entry.substring(0, colon).trim();
            if (keys.put(merchant, entry.substring(colon + 1).trim()) != null) {
                throw new ParameterException(spec.commandLine(),
                        KEYS_ENV + " names merchant " + merchant + " twice");
            }
        }
        return keys;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook) {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running and will end on its own.
        }
    }
}
