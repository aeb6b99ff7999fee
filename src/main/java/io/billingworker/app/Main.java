package io.billingworker.app;

import io.billingworker.bench.BenchCommand;
import io.billingworker.replay.DltCommand;
import io.billingworker.replay.ReplayCommand;
import io.billingworker.simulator.SimulatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code run}, {@code demo}, {@code simulator}, {@code config-reference}, {@code config-dump},
 * {@code replay}, {@code dlt}, {@code metrics-reference}, {@code produce-samples}, {@code bench}.
 */
@Command(name = "billing-session-worker", mixinStandardHelpOptions = true,
        description = "Turns subscription signup events into Juspay billing-creation sessions.",
        subcommands = {RunCommand.class, DemoCommand.class, SimulatorCommand.class, ConfigReferenceCommand.class,
                ConfigDumpCommand.class, ReplayCommand.class, DltCommand.class, MetricsReferenceCommand.class,
                SampleSignupsCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        // The JDK HTTP server (simulator, ops endpoint) reads these once per JVM: keep-alive connections must
        // not be dropped under load, and small responses must not wait for Nagle's algorithm.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "16384");
        int exitCode = new CommandLine(new Main()).execute(args);
        System.exit(exitCode);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
