package io.billingworker.app;

import io.billingworker.replay.DltCommand;
import io.billingworker.replay.ReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of the shipped worker: {@code run}, {@code config-reference}, {@code config-dump},
 * {@code replay}, {@code dlt}, {@code metrics-reference}. The developer tools ({@code demo}, {@code simulator},
 * {@code produce-samples}, {@code bench}) live in the dev source set and join these in {@code DevMain}.
 */
@Command(name = "billing-session-worker", mixinStandardHelpOptions = true,
        description = "Turns subscription signup events into Juspay billing-creation sessions.",
        subcommands = {RunCommand.class, ConfigReferenceCommand.class, ConfigDumpCommand.class, ReplayCommand.class,
                DltCommand.class, MetricsReferenceCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        configureHttpServer();
        System.exit(commandLine().execute(args));
    }

    /** The command line with the production commands; callers may add their own subcommands. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /**
     * The JDK HTTP server (ops endpoint, simulator) reads these once per JVM: keep-alive connections must not be
     * dropped under load, and small responses must not wait for Nagle's algorithm.
     */
    public static void configureHttpServer() {
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "16384");
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
