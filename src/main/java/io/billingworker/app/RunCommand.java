package io.billingworker.app;

import io.billingworker.config.ConfigException;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** Runs the worker until SIGTERM/SIGINT, then drains and commits. */
@Command(name = "run", description = "Run the worker. API keys come from environment variables or files named in the config.")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    private static final String MOCK_REGISTRY = "mock://";

    @Option(names = {"-c", "--config"}, description = "Config file (Java properties). Environment variables BILLING_* override it.")
    Path configFile;

    @Override
    public Integer call() throws InterruptedException {
        WorkerConfig config;
        ConfigSource source;
        try {
            source = ConfigSource.load(configFile, System.getenv(), Map.of());
            config = WorkerConfig.from(source);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        String refusal = refusal(config);
        if (refusal != null) {
            System.err.println(refusal);
            return 2;
        }
        AotCacheNotice.of(ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.version())
                .ifPresent(notice -> {
                    if (notice.warning()) {
                        log.warn(notice.message());
                    } else {
                        log.info(notice.message());
                    }
                });
        Worker worker;
        try {
            // Meters go to the ops endpoint's Prometheus registry only (none are kept when ops.port is 0).
            worker = new Worker(config, source, new CompositeMeterRegistry(), Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            worker.close();
            closed.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopOnSignal("TERM", worker);
        stopOnSignal("INT", worker);
        try {
            worker.start();
        } catch (UncheckedIOException e) {
            System.err.println(e.getMessage() + ": " + e.getCause().getMessage() + " (ops.host / ops.port)");
            Runtime.getRuntime().removeShutdownHook(hook);
            worker.close();
            return 2;
        }
        worker.awaitStopped(Duration.ofDays(3650));
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Another signal started the JVM's shutdown: the hook closes the worker and the JVM picks the status.
            closed.await();
            return 0;
        }
        worker.close();
        return worker.intake().failure() == null ? 0 : 1;
    }

    /**
     * Why {@code run} will not start with this config, or null. An in-memory ({@code mock://}) registry loses every
     * schema id when the process ends: records written before a restart could no longer be decoded, so it is for
     * {@code demo} and the tests, which build their worker without this command.
     */
    static String refusal(WorkerConfig config) {
        String url = config.registry().url().strip();
        if (url.regionMatches(true, 0, MOCK_REGISTRY, 0, MOCK_REGISTRY.length())) {
            return new ConfigException(List.of("schema.registry.url: an in-memory registry loses every schema on"
                    + " restart and is for demo and tests only; run needs a Confluent-compatible registry such as"
                    + " http://schema-registry:8081 (was '" + url + "')")).getMessage();
        }
        return null;
    }

    /**
     * Handles the signal by stopping the worker, so that this command closes it and exits 0 after a clean drain.
     * Left to the JVM, SIGTERM starts the shutdown hooks and the process exits with 143 however clean the drain
     * was, which process supervisors report as a failure. The shutdown hook stays for any other way the JVM ends.
     */
    private static void stopOnSignal(String name, Worker worker) {
        try {
            Signal.handle(new Signal(name), signal -> worker.intake().stop());
        } catch (IllegalArgumentException e) {
            log.warn("cannot handle SIG{} ({}); it stops the worker through the shutdown hook", name, e.getMessage());
        }
    }
}
