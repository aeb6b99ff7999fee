package io.billingworker.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: measures how close the worker gets to the limit of a slow API (C / L), side by side with the naive
 * one-call-per-partition design, on a real broker process and the {@code /session} simulator. Exits 0 when every
 * signup of every run got an outcome, 1 when any was lost; goals are reported, not enforced.
 */
@Command(name = "bench", description = "Benchmark the worker against the limit of a slow API and the naive design.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "A short smoke run (well under a minute) instead of the full sweep "
            + "(about 20 minutes on 2 cores).")
    boolean quick;

    @Option(names = "--out", defaultValue = "target/bench", description = "Directory for bench.json, bench.md and "
            + "the worker processes' logs (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--point", paramLabel = "SPEC", description = "Measure only this point (repeatable), e.g. "
            + "C=256,L=200,P=12,K=10000 or C=256,L=200,EOS,latency or naive,L=200,P=12 (extras: latency, outage, "
            + "memory).")
    List<String> points;

    @Option(names = "--seconds", defaultValue = "20", description = "With --point: target length of each "
            + "throughput and latency measurement (default: ${DEFAULT-VALUE}).")
    double seconds;

    private final PrintStream console;

    public BenchCommand() {
        this(System.out);
    }

    BenchCommand(PrintStream console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Profile profile = points != null && !points.isEmpty() ? Profile.custom(points, seconds)
                : quick ? Profile.quick() : Profile.full();
        Results.Report report = new Bench(profile, out, console).run();
        return report.allOutcomes().lost() == 0 && report.allOutcomes().events() > 0 ? 0 : 1;
    }
}
