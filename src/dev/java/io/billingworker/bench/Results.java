package io.billingworker.bench;

import java.util.List;

/** The figures a benchmark run produces; written as JSON as they are and printed as tables by {@link ReportWriter}. */
final class Results {

    private Results() {
    }

    /**
     * One throughput measurement: a backlog of {@code events} drained by a warm worker.
     *
     * @param eventsPerSecond          X: sustained rate between the 10th and the 90th percentile outcome by the
     *                                 outcome's decision time (leaves out the start-up ramp and the drain tail), as the
     *                                 slope of the outcome count over that window ({@link SustainedRate})
     * @param firstToLastPerSecond     events / (last outcome - first outcome), for comparison
     * @param simulatorLatencyMs       L measured at the simulator over the same window (Little's law)
     * @param simulatorMeanInFlight    mean requests held by the simulator over that window
     * @param limitPerSecond           min(C, K) / L measured: the ceiling X is compared with
     * @param efficiency               eta = X / limit
     * @param nominalEfficiency        X / (min(C, K) / L configured)
     * @param workerCpuMicrosPerEvent  CPU time of the worker process (or baseline) per event
     * @param benchCpuMicrosPerEvent   CPU time of the benchmark process (simulator, producer, outcome reader) per event
     * @param brokerCpuMicrosPerEvent  CPU time of the broker process per event
     * @param machineBusyPercent       CPU busy share of the whole machine (all processes, every core) meanwhile
     * @param cpuLimitPerSecond        the machine's cores divided by the CPU time all three processes spent per
     *                                 event: the rate at which they alone would fill every core
     * @param workerRssBytes           RSS of the worker process at the end of the measurement
     */
    record Throughput(String label, Scenario scenario, int events, double seconds, double eventsPerSecond,
            double firstToLastPerSecond, double simulatorLatencyMs, double simulatorMeanInFlight, double limitPerSecond,
            double efficiency, double nominalEfficiency, double workerCpuMicrosPerEvent, double benchCpuMicrosPerEvent,
            double brokerCpuMicrosPerEvent, double machineBusyPercent, double cpuLimitPerSecond, long workerRssBytes,
            Batch.Tally outcomes) {
    }

    /**
     * End-to-end latency under open-loop input: from each signup's {@code occurred_at} (its scheduled send time) to
     * its outcome being readable by a {@code read_committed} consumer, in milliseconds (HdrHistogram).
     *
     * @param overheadP99Ms      p99 minus the configured API latency L
     * @param ownCpuPercent      CPU used by the worker, benchmark and broker processes, as a share of all cores
     * @param machineBusyPercent CPU used by every process on the machine, as a share of all cores
     */
    record Latency(String label, double fractionOfMax, double ratePerSecond, int events, double p50Ms, double p99Ms,
            double p999Ms, double maxMs, double overheadP99Ms, double ownCpuPercent, double machineBusyPercent,
            Batch.Tally outcomes) {
    }

    /** Heap after a full GC and RSS of the worker process with {@code inFlight} records being processed. */
    record Memory(String label, int inFlight, int buffered, long heapAfterGcBytes, long heapCommittedBytes,
            long rssBytes, Batch.Tally outcomes) {
    }

    /**
     * Recovery after a simulated outage (every call answered 503) with open-loop input continuing throughout.
     *
     * @param backlog           records without an outcome at the end of the outage beyond the steady state
     * @param drainSeconds      from the end of the outage until the lag is back to its steady level
     * @param idealDrainSeconds backlog / (X - input rate)
     */
    record Outage(String label, int outageSeconds, double inputPerSecond, double maxPerSecond, long steadyLag,
            long backlog, double drainSeconds, double idealDrainSeconds, Batch.Tally outcomes) {
    }

    /** One of the goals, judged from this run's figures. */
    record Goal(String goal, String measured, String status) {
    }

    /** Where the run happened. */
    record Machine(int cores, String cpuModel, long memoryBytes, String os, String jdk, String workerJvmOptions,
            String benchJvmOptions, double loadAverageAtStart) {
    }

    /** A whole run. */
    record Report(String profile, String startedAt, double durationSeconds, Machine machine,
            List<Throughput> throughput, List<Latency> latency, List<Memory> memory, List<Outage> outages,
            List<Goal> goals, Batch.Tally allOutcomes, long foreignOutcomes) {
    }
}
