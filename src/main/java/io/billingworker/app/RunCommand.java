package io.billingworker.app;

import io.billingworker.config.ConfigException;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the worker until SIGTERM/SIGINT, then drains and commits. */
@Command(name = "run", description = "Run the worker. API keys come from environment variables or files named in the config.")
final class RunCommand implements Callable<Integer> {

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
        Worker worker;
        try {
            // Meters go to the ops endpoint's Prometheus registry only (none are kept when ops.port is 0).
            worker = new Worker(config, source, new CompositeMeterRegistry(), Clock.systemUTC());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try {
            worker.start();
        } catch (UncheckedIOException e) {
            System.err.println(e.getMessage() + ": " + e.getCause().getMessage() + " (ops.host / ops.port)");
            worker.close();
            return 2;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            worker.close();
            closed.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        worker.awaitStopped(Duration.ofDays(3650));
        if (worker.intake().failure() != null) {
            Runtime.getRuntime().removeShutdownHook(hook);
            worker.close();
            return 1;
        }
        closed.await();
        return 0;
    }
}
