package io.billingworker.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: measures how close the worker gets to the limit of a slow API (C / L), side by side with the naive
 * one-call-per-partition design, on a real broker process and the {@code /session} simulator. Exits 0 when every
 * signup of every run got an outcome, 1 when any was lost; goals are reported, not enforced.
 *
 * <p>The benchmark itself (simulator, load generator, outcome reader) runs in a JVM of its own started with
 * {@link #BENCH_JVM_OPTIONS}, whatever JVM the command was started in: with the default collector, this JVM's young
 * collections paused the simulator and the open-loop producer for up to 180 ms, which showed up as end-to-end latency
 * of the worker it measures. {@code BENCH_JFR=1} records a JFR profile of that JVM to {@code bench.jfr} in the output
 * directory ({@code BENCH_WORKER_JFR=1} does the same for each worker process).
 */
@Command(name = "bench", description = "Benchmark the worker against the limit of a slow API and the naive design.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "A short smoke run (well under a minute) instead of the full sweep "
            + "(about 16 minutes on 2 cores).")
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

    @Option(names = "--versus", arity = "0..1", fallbackValue = Versus.DEFAULT_ROWS, paramLabel = "C=..,N=..",
            description = "Run "
            + "the worker side by side with Confluent Parallel Consumer (repeatable), e.g. --versus C=256,N=25600 "
            + "--versus C=1024,N=102400 (the two rows it runs with no value; with --quick: C=64,N=3000). Writes "
            + "versus.md and versus.json.")
    List<String> versus;

    @Option(names = "--peer-bench", paramLabel = "DIR", description = "With --versus: the peer harness to use "
            + "(default: src/peer-bench of this project); built when its jar is missing or older than its sources.")
    Path peerBench;

    @Option(names = "--versus-timeout", defaultValue = "300", paramLabel = "SECONDS", description = "With --versus: "
            + "longest wait for one design's outcomes; a run that takes longer is reported incomplete and the exit "
            + "status is 1 (default: ${DEFAULT-VALUE}).")
    long versusTimeout;

    @Option(names = "--aot-cache", description = "With --versus: also run the worker with an ahead-of-time cache "
            + "(-XX:AOTCache, JDK 25), made first by a training run of the worker on its own backlog; each row gets a "
            + "third run, \"" + Versus.WORKER_AOT_DESIGN + "\", and its own ratios and goals.")
    boolean aotCache;

    @Option(names = "--baseline-jar", paramLabel = "JAR", description = "With --versus: also run the worker packaged "
            + "in this jar (another build, e.g. the last release; its lib/ beside it) in each row, as \""
            + Versus.BASELINE_DESIGN + "\", the two builds taking turns going first; the ratios then compare them on "
            + "the same broker and stub.")
    Path baselineJar;

    /** System properties of this JVM that the benchmark JVM gets too (set by the build for integration tests). */
    private static final List<String> PASSED_PROPERTIES = List.of("apicurio.dir", "packaged.jar");

    /** The benchmark JVM: a concurrent collector, so the API stand-in and the load generator do not pause. */
    static final List<String> BENCH_JVM_OPTIONS = List.of("-XX:+UseZGC", "-Xmx2g");
    private static final String IN_BENCH_JVM = "billing.bench.jvm";

    private final PrintStream console;

    public BenchCommand() {
        this(System.out);
    }

    BenchCommand(PrintStream console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!Boolean.getBoolean(IN_BENCH_JVM)) {
            return inBenchJvm();
        }
        if (versus != null) {
            return new Versus(Versus.rows(versus, quick), Path.of("").toAbsolutePath(), peerBench, out,
                    Duration.ofSeconds(versusTimeout), aotCache, baselineJar, console).run();
        }
        Profile profile = points != null && !points.isEmpty() ? Profile.custom(points, seconds)
                : quick ? Profile.quick() : Profile.full();
        Results.Report report = new Bench(profile, out, console).run();
        return report.allOutcomes().lost() == 0 && report.allOutcomes().events() > 0 ? 0 : 1;
    }

    /** Runs this command again in a JVM with {@link #BENCH_JVM_OPTIONS}, its output copied to the console. */
    private int inBenchJvm() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(BENCH_JVM_OPTIONS);
        String jfr = System.getenv("BENCH_JFR");
        if (jfr != null && !jfr.isBlank() && !jfr.equals("0")) {
            Files.createDirectories(out);
            command.add("-XX:StartFlightRecording=settings=profile,filename="
                    + out.resolve("bench.jfr").toAbsolutePath() + ",dumponexit=true");
        }
        command.add("-D" + IN_BENCH_JVM + "=true");
        for (String property : PASSED_PROPERTIES) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchMain.class.getName());
        if (quick) {
            command.add("--quick");
        }
        command.add("--out");
        command.add(out.toString());
        for (String point : points == null ? List.<String>of() : points) {
            command.add("--point");
            command.add(point);
        }
        command.add("--seconds");
        command.add(Double.toString(seconds));
        if (versus != null) {
            for (String row : versus) {
                command.add("--versus=" + row);
            }
            if (peerBench != null) {
                command.add("--peer-bench");
                command.add(peerBench.toString());
            }
            command.add("--versus-timeout");
            command.add(Long.toString(versusTimeout));
            if (aotCache) {
                command.add("--aot-cache");
            }
            if (baselineJar != null) {
                command.add("--baseline-jar");
                command.add(baselineJar.toAbsolutePath().toString());
            }
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread stopChild = new Thread(process::destroy, "bench-jvm-stop");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                console.println(line);
            }
        }
        int exitCode = process.waitFor();
        Runtime.getRuntime().removeShutdownHook(stopChild);
        return exitCode;
    }
}
