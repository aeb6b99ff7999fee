package io.billingworker.app;

import io.billingworker.bench.BenchCommand;
import io.billingworker.simulator.SimulatorCommand;
import picocli.CommandLine;

/**
 * The developer's command line: every production command of {@link Main} plus the tools that never ship,
 * {@code demo}, {@code simulator}, {@code produce-samples} and {@code bench}. It runs on the dev class path
 * ({@code classpathScope=test}: {@code src/dev/java}, the embedded broker, HdrHistogram), e.g.
 * {@code ./mvnw -q compile exec:exec@demo}.
 */
public final class DevMain {

    private DevMain() {
    }

    public static void main(String[] args) {
        Main.configureHttpServer();
        System.exit(commandLine().execute(args));
    }

    /** {@link Main#commandLine()} with the developer tools added. */
    public static CommandLine commandLine() {
        return Main.commandLine()
                .addSubcommand(new DemoCommand())
                .addSubcommand(new SimulatorCommand())
                .addSubcommand(new SampleSignupsCommand())
                .addSubcommand(new BenchCommand());
    }
}
