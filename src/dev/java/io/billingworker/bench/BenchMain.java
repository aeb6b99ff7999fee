package io.billingworker.bench;

import picocli.CommandLine;

/** Entry point of the benchmark's own JVM, started by {@link BenchCommand} with the benchmark's JVM options. */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
