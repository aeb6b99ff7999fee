package io.billingworker.app;

import io.billingworker.config.ConfigException;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
            worker = new Worker(config, source, new SimpleMeterRegistry(), Clock.systemUTC());
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
        worker.start();
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
