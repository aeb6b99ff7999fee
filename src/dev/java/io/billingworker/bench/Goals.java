package io.billingworker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The performance issue's goals, judged from one run's figures. A goal whose configuration the run did not
 * measure (the quick profile measures few) is judged on the nearest measured one and says which, or is {@code n/a}.
 */
final class Goals {

    static final String PASS = "PASS";
    static final String MISS = "MISS";
    static final String NOT_MEASURED = "n/a";

    private final List<Results.Throughput> throughput;

    private Goals(List<Results.Throughput> throughput) {
        this.throughput = throughput;
    }

    static List<Results.Goal> judge(List<Results.Throughput> throughput, List<Results.Latency> latency,
            List<Results.Memory> memory, Batch.Tally all) {
        Goals goals = new Goals(throughput);
        List<Results.Goal> judged = new ArrayList<>();
        judged.add(goals.efficiency(256, 0.90));
        judged.add(goals.efficiency(1024, 0.80));
        judged.add(goals.partitionIndependence());
        judged.add(goals.baselineRatio());
        judged.add(latencyOverhead(latency));
        judged.add(heap(memory));
        judged.add(goals.exactlyOnceCost());
        judged.add(new Results.Goal("zero lost outcomes in every run",
                String.format(Locale.ROOT, "%d events, %d lost, %d duplicates", all.events(), all.lost(),
                        all.duplicates()),
                all.lost() == 0 && all.events() > 0 ? PASS : MISS));
        return judged;
    }

    private Results.Goal efficiency(int concurrency, double target) {
        String goal = String.format(Locale.ROOT, "eta >= %.2f at C = %d, L = 200 ms", target, concurrency);
        Optional<Results.Throughput> point = find(s -> !s.isNaive() && !s.exactlyOnce()
                && s.concurrency() == concurrency && s.latencyMs() == 200 && s.partitions() == 12
                && s.keys() >= 10_000);
        return point.map(t -> new Results.Goal(goal, String.format(Locale.ROOT,
                        "eta %.3f (X %.0f ev/s, L at simulator %.1f ms)", t.efficiency(), t.eventsPerSecond(),
                        t.simulatorLatencyMs()), t.efficiency() >= target ? PASS : MISS))
                .orElse(new Results.Goal(goal, "not measured in this profile", NOT_MEASURED));
    }

    private Results.Goal partitionIndependence() {
        String goal = "P = 1 and P = 12 within 10% with K = 10,000";
        Optional<Results.Throughput> one = find(s -> !s.isNaive() && !s.exactlyOnce() && s.partitions() == 1
                && s.keys() >= 10_000);
        if (one.isEmpty()) {
            return new Results.Goal(goal, "not measured in this profile", NOT_MEASURED);
        }
        Scenario single = one.get().scenario();
        Optional<Results.Throughput> twelve = find(s -> !s.isNaive() && !s.exactlyOnce() && s.partitions() == 12
                && s.keys() == single.keys() && s.concurrency() == single.concurrency()
                && s.latencyMs() == single.latencyMs());
        if (twelve.isEmpty()) {
            return new Results.Goal(goal, "no P = 12 point to compare with", NOT_MEASURED);
        }
        double ratio = one.get().eventsPerSecond() / twelve.get().eventsPerSecond();
        return new Results.Goal(goal, String.format(Locale.ROOT, "X(P=1) / X(P=12) = %.3f (%.0f / %.0f ev/s)", ratio,
                one.get().eventsPerSecond(), twelve.get().eventsPerSecond()),
                Math.abs(ratio - 1) <= 0.10 ? PASS : MISS);
    }

    private Results.Goal baselineRatio() {
        String goal = "at least 15x the naive baseline at P = 12, L = 200 ms";
        Optional<Results.Throughput> naive = find(s -> s.isNaive() && s.partitions() == 12 && s.latencyMs() == 200);
        if (naive.isEmpty()) {
            naive = find(s -> s.isNaive() && s.partitions() == 12);
        }
        if (naive.isEmpty()) {
            return new Results.Goal(goal, "not measured in this profile", NOT_MEASURED);
        }
        Scenario base = naive.get().scenario();
        Optional<Results.Throughput> worker = find(s -> !s.isNaive() && !s.exactlyOnce() && s.concurrency() == 256
                && s.partitions() == 12 && s.latencyMs() == base.latencyMs() && s.keys() == base.keys());
        if (worker.isEmpty()) {
            worker = find(s -> !s.isNaive() && !s.exactlyOnce() && s.partitions() == 12
                    && s.latencyMs() == base.latencyMs() && s.keys() == base.keys());
        }
        if (worker.isEmpty()) {
            return new Results.Goal(goal, "no worker point to compare with", NOT_MEASURED);
        }
        double ratio = worker.get().eventsPerSecond() / naive.get().eventsPerSecond();
        return new Results.Goal(goal, String.format(Locale.ROOT, "%.1fx (worker C=%d %.0f ev/s / naive %.1f ev/s, L = %d ms)",
                ratio, worker.get().scenario().concurrency(), worker.get().eventsPerSecond(),
                naive.get().eventsPerSecond(), base.latencyMs()),
                base.latencyMs() != 200 ? NOT_MEASURED : ratio >= 15 ? PASS : MISS);
    }

    private static Results.Goal latencyOverhead(List<Results.Latency> latency) {
        String goal = "end-to-end overhead beyond L: p99 <= 50 ms at 50% of the maximum rate";
        return latency.stream().filter(l -> l.fractionOfMax() == 0.5).findFirst()
                .map(l -> new Results.Goal(goal, String.format(Locale.ROOT, "p99 %.0f ms - L = %.0f ms (%s, %.0f ev/s)",
                        l.p99Ms(), l.overheadP99Ms(), l.label(), l.ratePerSecond()),
                        l.overheadP99Ms() <= 50 ? PASS : MISS))
                .orElse(new Results.Goal(goal, "not measured in this profile", NOT_MEASURED));
    }

    private static Results.Goal heap(List<Results.Memory> memory) {
        String goal = "heap after GC <= 256 MB with 1,000 in flight";
        return memory.stream().findFirst()
                .map(m -> new Results.Goal(goal, String.format(Locale.ROOT, "%.1f MB with %d in flight (RSS %.0f MB)",
                        m.heapAfterGcBytes() / 1e6, m.inFlight(), m.rssBytes() / 1e6),
                        m.inFlight() < 1_000 ? NOT_MEASURED : m.heapAfterGcBytes() <= 256_000_000L ? PASS : MISS))
                .orElse(new Results.Goal(goal, "not measured in this profile", NOT_MEASURED));
    }

    private Results.Goal exactlyOnceCost() {
        String goal = "exactly-once costs at most 10% throughput (commit interval 1 s)";
        StringBuilder measured = new StringBuilder();
        double worst = Double.NaN;
        for (Results.Throughput eos : throughput) {
            Scenario s = eos.scenario();
            if (!s.exactlyOnce()) {
                continue;
            }
            Optional<Results.Throughput> alo = find(a -> !a.isNaive() && !a.exactlyOnce()
                    && a.concurrency() == s.concurrency() && a.latencyMs() == s.latencyMs()
                    && a.partitions() == s.partitions() && a.keys() == s.keys());
            if (alo.isPresent()) {
                double ratio = eos.eventsPerSecond() / alo.get().eventsPerSecond();
                worst = Double.isNaN(worst) ? ratio : Math.min(worst, ratio);
                measured.append(measured.isEmpty() ? "EOS/ALO X: " : ", ")
                        .append(String.format(Locale.ROOT, "C=%d L=%d %.3f", s.concurrency(), s.latencyMs(), ratio));
            }
        }
        if (Double.isNaN(worst)) {
            return new Results.Goal(goal, "not measured in this profile", NOT_MEASURED);
        }
        return new Results.Goal(goal, measured.toString(), worst >= 0.90 ? PASS : MISS);
    }

    private Optional<Results.Throughput> find(Predicate<Scenario> matches) {
        return throughput.stream().filter(t -> matches.test(t.scenario())).findFirst();
    }
}
