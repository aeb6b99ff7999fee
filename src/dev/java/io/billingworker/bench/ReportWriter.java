package io.billingworker.bench;

import java.util.List;
import java.util.Locale;

/** Renders a {@link Results.Report} as Markdown tables, ready to paste into docs/performance.md. */
final class ReportWriter {

    private ReportWriter() {
    }

    static String render(Results.Report report) {
        StringBuilder text = new StringBuilder();
        Results.Machine machine = report.machine();
        text.append(String.format(Locale.ROOT, "Benchmark (%s profile), %s, %.0f s%n", report.profile(),
                report.startedAt(), report.durationSeconds()));
        text.append(String.format(Locale.ROOT,
                "Machine: %d cores (%s), %.1f GB RAM, %s, JDK %s; worker JVM %s; benchmark JVM %s; load average at "
                        + "start %.2f%n%n",
                machine.cores(), machine.cpuModel(), machine.memoryBytes() / 1e9, machine.os(), machine.jdk(),
                machine.workerJvmOptions(), machine.benchJvmOptions(), machine.loadAverageAtStart()));
        throughput(text, report.throughput());
        latency(text, report.latency());
        memory(text, report.memory());
        outages(text, report.outages());
        goals(text, report.goals());
        Batch.Tally all = report.allOutcomes();
        text.append(String.format(Locale.ROOT,
                "Outcomes over the whole run: %d events, %d with an outcome, %d lost, %d duplicates "
                        + "(%d created, %d failed, %d dead letters); %d outcomes not from this run%n",
                all.events(), all.withOutcome(), all.lost(), all.duplicates(), all.created(), all.failed(),
                all.deadLetters(), report.foreignOutcomes()));
        return text.toString();
    }

    private static void throughput(StringBuilder text, List<Results.Throughput> rows) {
        text.append("Throughput: a backlog of N signups drained by a warm worker. X = slope of the outcome count "
                + "from the 10th to the 90th percentile outcome; limit = min(C, K) / L measured at the simulator; eta = X / limit; CPU per event "
                + "of each process; CPU limit = cores / (the three processes' CPU per event).\n\n");
        text.append("| run | N | X ev/s | L sim ms | limit ev/s | eta | worker us/ev | sim+bench us/ev "
                + "| broker us/ev | CPU limit ev/s | machine busy | worker RSS MB | lost | dup |\n");
        text.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Results.Throughput t : rows) {
            text.append(String.format(Locale.ROOT,
                    "| %s | %d | %.0f | %.1f | %.0f | %.3f | %.0f | %.0f | %.0f | %.0f | %.0f%% | %.0f | %d | %d |%n",
                    t.label(), t.events(), t.eventsPerSecond(), t.simulatorLatencyMs(), t.limitPerSecond(),
                    t.efficiency(), t.workerCpuMicrosPerEvent(), t.benchCpuMicrosPerEvent(),
                    t.brokerCpuMicrosPerEvent(), t.cpuLimitPerSecond(), t.machineBusyPercent(),
                    t.workerRssBytes() / 1e6, t.outcomes().lost(), t.outcomes().duplicates()));
        }
        text.append('\n');
    }

    private static void latency(StringBuilder text, List<Results.Latency> rows) {
        if (rows.isEmpty()) {
            return;
        }
        text.append("End-to-end latency, occurred_at to outcome readable (read_committed), open-loop input at a "
                + "share of the measured X; our CPU = worker + benchmark + broker processes, machine busy = every "
                + "process, both as a share of all cores:\n\n");
        text.append("| run | load | input ev/s | events | p50 ms | p99 ms | p99.9 ms | max ms | p99 - L ms "
                + "| our CPU | machine busy | lost | dup |\n");
        text.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Results.Latency l : rows) {
            text.append(String.format(Locale.ROOT,
                    "| %s | %.0f%% | %.0f | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f%% | %.0f%% | %d | %d |%n",
                    l.label(), l.fractionOfMax() * 100, l.ratePerSecond(), l.events(), l.p50Ms(), l.p99Ms(),
                    l.p999Ms(), l.maxMs(), l.overheadP99Ms(), l.ownCpuPercent(), l.machineBusyPercent(),
                    l.outcomes().lost(), l.outcomes().duplicates()));
        }
        text.append('\n');
    }

    private static void memory(StringBuilder text, List<Results.Memory> rows) {
        if (rows.isEmpty()) {
            return;
        }
        text.append("Worker process memory (full GC requested while records were in flight):\n\n");
        text.append("| run | in flight | buffered | heap after GC MB | heap committed MB | RSS MB |\n");
        text.append("|---|--:|--:|--:|--:|--:|\n");
        for (Results.Memory m : rows) {
            text.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.0f | %.0f |%n", m.label(), m.inFlight(),
                    m.buffered(), m.heapAfterGcBytes() / 1e6, m.heapCommittedBytes() / 1e6, m.rssBytes() / 1e6));
        }
        text.append('\n');
    }

    private static void outages(StringBuilder text, List<Results.Outage> rows) {
        if (rows.isEmpty()) {
            return;
        }
        text.append("Recovery after a simulated outage (every call answered 503), open-loop input at 50% of X "
                + "throughout; ideal drain = backlog / (X - input):\n\n");
        text.append("| run | outage s | input ev/s | X ev/s | steady lag | backlog | drain s | ideal s | lost | dup |\n");
        text.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Results.Outage o : rows) {
            text.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %d | %d | %.1f | %.1f | %d | %d |%n",
                    o.label(), o.outageSeconds(), o.inputPerSecond(), o.maxPerSecond(), o.steadyLag(), o.backlog(),
                    o.drainSeconds(), o.idealDrainSeconds(), o.outcomes().lost(), o.outcomes().duplicates()));
        }
        text.append('\n');
    }

    private static void goals(StringBuilder text, List<Results.Goal> rows) {
        text.append("| goal | measured | status |\n|---|---|---|\n");
        for (Results.Goal g : rows) {
            text.append("| ").append(g.goal()).append(" | ").append(g.measured()).append(" | ").append(g.status())
                    .append(" |\n");
        }
        text.append('\n');
    }
}
