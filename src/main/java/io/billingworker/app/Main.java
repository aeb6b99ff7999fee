package io.billingworker.app;

import io.billingworker.bench.BenchCommand;
import io.billingworker.simulator.SimulatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code run}, {@code demo}, {@code simulator}, {@code config-reference}, {@code bench}. */
@Command(name = "billing-session-worker", mixinStandardHelpOptions = true,
        description = "Turns subscription signup events into Juspay billing-creation sessions.",
        subcommands = {RunCommand.class, DemoCommand.class, SimulatorCommand.class, ConfigReferenceCommand.class,
                BenchCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int exitCode = new CommandLine(new Main()).execute(args);
        System.exit(exitCode);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
