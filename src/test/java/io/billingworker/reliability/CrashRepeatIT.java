package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.simulator.Behaviour;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.simulator.ReceivedRequest;
import io.billingworker.testsupport.ApicurioRegistry;
import io.billingworker.testsupport.KafkaFixture;
import io.billingworker.testsupport.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a crash, a rebalance and a rolling restart repeat when one slow record stays open early in each partition and
 * thousands of records behind it have finished. The committed position cannot pass the open record, but the commit's
 * metadata names the records finished above it, and the next owner skips them: after a {@code kill -9} only what was
 * in flight and what finished within the last commit interval runs again; a rebalance whose drain bound runs out
 * repeats only the interrupted calls; a rolling restart repeats nothing. Each test prints its figures
 * ({@code CRASH-REPEATS ...}, {@code ROLLING-RESTART ...}) for docs/reliability.md.
 *
 * <p>The worker runs as separate {@code Main run} processes. The rolling restart runs two group set-ups by default
 * (classic protocol with the cooperative-sticky assignor, and {@code group.protocol=consumer}); all five with
 * {@code -Dreliability.rolling=all}.
 */
class CrashRepeatIT {

    private static final int PARTITIONS = 6;
    private static final int FAST = 2_994;
    private static final int FAST_KEYS = 500;
    private static final int MAX_IN_FLIGHT = 64;
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    /** Time for the commit request itself to reach the broker, on top of the interval. */
    private static final Duration COMMIT_SLACK = Duration.ofMillis(500);
    private static final Duration SLOW = Duration.ofSeconds(60);
    private static final Pattern SKIPPED = Pattern.compile("; (\\d+) records above their committed positions");

    @TempDir
    Path directory;

    @Test
    void shouldRepeatOnlyWhatWasInFlightOrFinishedInTheLastCommitIntervalWhenKilled() throws Exception {
        try (FaultRig rig = rig("at-least-once")) {

            Repeats repeats = killAndRestart(rig, "al");

            repeats.print("kill -9, at-least-once");
            assertThat(repeats.lost()).isEmpty();
            assertThat(repeats.calls()).as("the slow records' calls were in flight: called again")
                    .isGreaterThanOrEqualTo(PARTITIONS);
            assertThat(repeats.calls()).as("repeated /session calls").isLessThanOrEqualTo(repeats.bound());
            assertThat(repeats.outcomes()).as("repeated outcomes").isLessThanOrEqualTo(repeats.bound());
            assertThat(repeats.skipped()).as("finished records the restarted worker skipped")
                    .isGreaterThanOrEqualTo(FAST - repeats.bound());
        }
    }

    @Test
    void shouldShowEachOutcomeOnceAndRepeatFewCallsWhenAnExactlyOnceWorkerIsKilled() throws Exception {
        try (FaultRig rig = rig("exactly-once")) {
            // The killed producer's open transaction holds read_committed consumers back until the broker aborts it.
            rig.set("kafka.producer.transaction.timeout.ms", "3000");

            Repeats repeats = killAndRestart(rig, "eo");

            repeats.print("kill -9, exactly-once");
            assertThat(repeats.lost()).isEmpty();
            assertThat(repeats.outcomes()).as("outcomes a read_committed consumer saw twice").isZero();
            assertThat(repeats.calls()).as("the slow records' calls were in flight: called again")
                    .isGreaterThanOrEqualTo(PARTITIONS);
            assertThat(repeats.calls()).as("repeated /session calls").isLessThanOrEqualTo(repeats.bound());
        }
    }

    @Test
    void shouldRepeatOnlyTheInterruptedCallsWhenARebalanceDrainRunsOut() throws Exception {
        try (FaultRig rig = rig("at-least-once")) {
            rig.set("processing.rebalance-drain-ms", "1000");
            List<String> events = publishSlowThenFast(rig, "rb");
            WorkerProcess first = rig.startProcess(directory);
            first.awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
            awaitOutcomes(rig, events.subList(PARTITIONS, events.size()), Duration.ofMinutes(2));

            Instant joined = Instant.now();
            int inFlight = rig.simulator().inFlight();
            WorkerProcess second = rig.startProcess(directory);
            second.awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
            OutcomeLedger.Snapshot snapshot = awaitOutcomes(rig, events, Duration.ofMinutes(2));

            Repeats repeats = repeats(rig, events, snapshot, joined, inFlight, skipped(second) + skipped(first));
            repeats.print("second worker joins, drain bound 1 s runs out");
            assertThat(first.output()).contains("interrupting them");
            assertThat(repeats.lost()).isEmpty();
            assertThat(repeats.calls()).as("repeated /session calls").isLessThanOrEqualTo(repeats.bound());
            assertThat(repeats.outcomes()).as("repeated outcomes").isLessThanOrEqualTo(repeats.bound());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groupSetups")
    void shouldRepeatNothingInARollingRestartOfThreeWorkers(GroupSetup setup) throws Exception {
        try (FaultRig rig = new FaultRig(KafkaFixture.shared().bootstrapServers(), ApicurioRegistry.shared().url(),
                PARTITIONS, simulator -> simulator.latency(LatencyModel.fixed(Duration.ofMillis(20)))
                        .recordRequests(true))) {
            rig.set("processing.max-in-flight", Integer.toString(MAX_IN_FLIGHT));
            rig.set("processing.commit-interval-ms", Long.toString(COMMIT_INTERVAL.toMillis()));
            // Worker JVMs starting on a busy machine can hold a 20 ms call for seconds: a retry is no repeat.
            rig.set("juspay.response-timeout-ms", "30000");
            setup.config().forEach(rig::set);
            List<WorkerProcess> workers = new ArrayList<>();
            for (int slot = 0; slot < 3; slot++) {
                workers.add(start(rig, setup, slot));
            }
            for (WorkerProcess worker : workers) {
                worker.awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
            }
            SteadyLoad load = new SteadyLoad(rig, "rr" + setup.tag(), 150, 150);
            Thread loading = Thread.ofPlatform().name("steady-load").start(load);
            // Measure from a settled group: the backlog of the start worked off (at most 1 s of load open), 3 s more.
            awaitCaughtUp(rig, load, Duration.ofMinutes(2));
            Thread.sleep(3_000);

            Instant rollStart = Instant.now();
            List<String> steps = new ArrayList<>();
            for (int slot = 0; slot < 3; slot++) {
                WorkerProcess old = workers.get(slot);
                long termAt = System.nanoTime();
                old.terminate();
                assertThat(old.awaitExit(Duration.ofSeconds(60))).as("exit status after SIGTERM").isZero();
                long exitAt = System.nanoTime();
                WorkerProcess restarted = start(rig, setup, slot);
                restarted.awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
                steps.add(String.format("exit %d ms, assigned %d ms later", (exitAt - termAt) / 1_000_000,
                        (System.nanoTime() - exitAt) / 1_000_000));
                workers.set(slot, restarted);
            }
            Thread.sleep(3_000);
            Instant rollEnd = Instant.now();
            load.stop();
            loading.join(TimeUnit.SECONDS.toMillis(30));
            List<String> events = load.awaitAcknowledged();
            OutcomeLedger.Snapshot snapshot = awaitOutcomes(rig, events, Duration.ofMinutes(2));

            int callRepeats = callRepeats(rig);
            Gaps gaps = gaps(snapshot, load.sentAt(), rollStart, rollEnd);
            Gaps before = gaps(snapshot, load.sentAt(), rollStart.minusSeconds(3), rollStart);
            System.out.printf("ROLLING-RESTART setup=\"%s\" events=%d lost=%d outcome-repeats=%d call-repeats=%d "
                    + "roll=%.1fs longest-gap-between-outcomes=%dms max-latency=%dms p99-latency=%dms "
                    + "(before the roll: longest gap %d ms, p99 latency %d ms) steps=%s%n",
                    setup.name(), events.size(), snapshot.lost(events).size(), snapshot.duplicates(), callRepeats,
                    Duration.between(rollStart, rollEnd).toMillis() / 1000.0, gaps.longestGap(), gaps.maxLatency(),
                    gaps.p99Latency(), before.longestGap(), before.p99Latency(), steps);
            keepLogs("rolling-" + setup.tag());
            assertThat(snapshot.lost(events)).isEmpty();
            assertThat(snapshot.duplicates()).as("repeated outcomes").isZero();
            assertThat(callRepeats).as("repeated /session calls").isZero();
        }
    }

    /** Copies the worker processes' logs to target/crash-repeat-logs/{@code name}, for reading after the run. */
    private void keepLogs(String name) throws java.io.IOException {
        Path target = Path.of("target", "crash-repeat-logs", name);
        java.nio.file.Files.createDirectories(target);
        try (Stream<Path> files = java.nio.file.Files.list(directory)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".log")).toList()) {
                java.nio.file.Files.copy(file, target.resolve(file.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static Stream<GroupSetup> groupSetups() {
        String cooperative = "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
        List<GroupSetup> setups = List.of(
                new GroupSetup("classic, cooperative-sticky", "cs",
                        Map.of("kafka.consumer.partition.assignment.strategy", cooperative), false),
                new GroupSetup("consumer protocol (KIP-848)", "cp",
                        Map.of("kafka.consumer.group.protocol", "consumer"), false),
                new GroupSetup("classic, cooperative-sticky, static membership", "ss",
                        Map.of("kafka.consumer.partition.assignment.strategy", cooperative,
                                "kafka.consumer.session.timeout.ms", "30000"), true),
                new GroupSetup("consumer protocol, static membership", "ps",
                        Map.of("kafka.consumer.group.protocol", "consumer"), true),
                new GroupSetup("classic, default assignors (eager range)", "er", Map.of(), false));
        return "all".equals(System.getProperty("reliability.rolling")) ? setups.stream() : setups.stream().limit(2);
    }

    /** One way of configuring the group: consumer settings and whether each worker slot has a group.instance.id. */
    record GroupSetup(String name, String tag, Map<String, String> config, boolean staticMembership) {

        @Override
        public String toString() {
            return name;
        }
    }

    private WorkerProcess start(FaultRig rig, GroupSetup setup, int slot) {
        if (setup.staticMembership()) {
            rig.set("kafka.consumer.group.instance.id", "worker-" + slot);
        }
        return rig.startProcess(directory);
    }

    private FaultRig rig(String guarantee) {
        FaultRig rig = new FaultRig(KafkaFixture.shared().bootstrapServers(), ApicurioRegistry.shared().url(),
                PARTITIONS, simulator -> simulator.latency(LatencyModel.fixed(Duration.ofMillis(5)))
                        .recordRequests(true));
        rig.set("processing.guarantee", guarantee);
        rig.set("processing.max-in-flight", Integer.toString(MAX_IN_FLIGHT));
        rig.set("processing.commit-interval-ms", Long.toString(COMMIT_INTERVAL.toMillis()));
        rig.set("processing.max-buffered", "10000");
        // The slow calls must stay open, not time out and retry.
        rig.set("juspay.response-timeout-ms", "90000");
        // A killed member leaves the group when its session expires: keep that short.
        rig.set("kafka.consumer.session.timeout.ms", "6000");
        rig.set("kafka.consumer.heartbeat.interval.ms", "1000");
        return rig;
    }

    /**
     * One slow signup at offset 0 of each partition (its first call answers after {@link #SLOW}, a repeat at once),
     * then the fast ones behind them; returns every event id, the slow ones first.
     */
    private static List<String> publishSlowThenFast(FaultRig rig, String prefix) throws Exception {
        List<String> events = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            String id = prefix + "slow" + partition;
            rig.simulator().script(id, Behaviour.delayed(SLOW, Behaviour.succeed()), Behaviour.succeed());
            SubscriptionSignup signup = CorpusSignups.valid(id, id);
            signup.setEventId("evt-" + id);
            events.add(signup.getEventId());
            sent.add(rig.send(signup, partition));
        }
        rig.flush();
        for (Future<RecordMetadata> future : sent) {
            assertThat(future.get(60, TimeUnit.SECONDS).offset()).isZero();
        }
        List<SubscriptionSignup> fast = ScenarioDriver.signups(prefix, FAST, FAST_KEYS);
        rig.publish(fast);
        fast.forEach(signup -> events.add(signup.getEventId()));
        return events;
    }

    /** Runs a worker process until every fast signup has an outcome, kills it, restarts it, waits for all. */
    private Repeats killAndRestart(FaultRig rig, String prefix) throws Exception {
        List<String> events = publishSlowThenFast(rig, prefix);
        WorkerProcess first = rig.startProcess(directory);
        first.awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
        awaitOutcomes(rig, events.subList(PARTITIONS, events.size()), Duration.ofMinutes(2));

        int inFlight = rig.simulator().inFlight();
        Instant killed = Instant.now();
        first.kill();
        WorkerProcess second = rig.startProcess(directory);
        second.awaitOutput(WorkerProcess.ASSIGNED, Duration.ofSeconds(90));
        OutcomeLedger.Snapshot snapshot = awaitOutcomes(rig, events, Duration.ofMinutes(2));

        return repeats(rig, events, snapshot, killed, inFlight, skipped(second));
    }

    /** Waits until at most one second of the load is without an outcome; fails after {@code timeout}. */
    private static void awaitCaughtUp(FaultRig rig, SteadyLoad load, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (OutcomeLedger ledger = rig.ledger()) {
            while (true) {
                int due = load.sent() - load.perSecond();
                if (due > 0 && ledger.await(due, Duration.ofSeconds(5), Duration.ZERO).byEvent().size() >= due) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the workers did not catch up with the load within " + timeout.toSeconds()
                            + " s");
                }
            }
        }
    }

    /** Reads the outcome topics until every event has one; fails after {@code timeout}. */
    private static OutcomeLedger.Snapshot awaitOutcomes(FaultRig rig, List<String> events, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (OutcomeLedger ledger = rig.ledger()) {
            while (true) {
                OutcomeLedger.Snapshot snapshot = ledger.await(events.size(), Duration.ofSeconds(10),
                        Duration.ofMillis(300));
                List<String> lost = snapshot.lost(events);
                if (lost.isEmpty()) {
                    return snapshot;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(lost.size() + " of " + events.size() + " events without an outcome after "
                            + timeout.toSeconds() + " s, e.g. " + lost.subList(0, Math.min(5, lost.size())));
                }
            }
        }
    }

    private static Repeats repeats(FaultRig rig, List<String> events, OutcomeLedger.Snapshot snapshot, Instant at,
            int inFlight, long skipped) {
        Instant windowStart = at.minus(COMMIT_INTERVAL).minus(COMMIT_SLACK);
        int recent = (int) rig.simulator().requests().stream()
                .map(ReceivedRequest::receivedAt)
                .filter(received -> received.isAfter(windowStart) && !received.isAfter(at))
                .count();
        return new Repeats(events.size(), snapshot.lost(events), snapshot.duplicates(), callRepeats(rig), inFlight,
                recent, skipped);
    }

    /** Requests beyond the first for each order id. */
    private static int callRepeats(FaultRig rig) {
        Map<String, Integer> calls = new HashMap<>();
        for (ReceivedRequest request : rig.simulator().requests()) {
            request.orderId().ifPresent(orderId -> calls.merge(orderId, 1, Integer::sum));
        }
        return calls.values().stream().mapToInt(count -> count - 1).sum();
    }

    /** The records a worker process skipped on assignment, from its log lines. */
    private static long skipped(WorkerProcess process) {
        long skipped = 0;
        Matcher matcher = SKIPPED.matcher(process.output());
        while (matcher.find()) {
            skipped += Long.parseLong(matcher.group(1));
        }
        return skipped;
    }

    /**
     * What a crash or rebalance repeated, and the bound: calls in flight at that moment plus the calls made within the
     * last commit interval (and the commit's round trip) before it.
     */
    private record Repeats(int events, List<String> lost, int outcomes, int calls, int inFlight, int recentCalls,
            long skipped) {

        int bound() {
            return inFlight + recentCalls;
        }

        void print(String scenario) {
            System.out.printf("CRASH-REPEATS scenario=\"%s\" events=%d lost=%d repeated-outcomes=%d "
                    + "repeated-calls=%d bound=%d (in-flight=%d + calls-in-last-%dms=%d) skipped-on-assignment=%d%n",
                    scenario, events, lost.size(), outcomes, calls, bound(), inFlight,
                    COMMIT_INTERVAL.plus(COMMIT_SLACK).toMillis(), recentCalls, skipped);
        }
    }

    private record Gaps(long longestGap, long maxLatency, long p99Latency) {
    }

    /**
     * The longest time without any outcome during the roll (outcome record timestamps), and the latency from publishing
     * to the first outcome of the events published during the roll.
     */
    private static Gaps gaps(OutcomeLedger.Snapshot snapshot, Map<String, Long> sentAt, Instant from, Instant to) {
        List<Long> times = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        snapshot.byEvent().forEach((eventId, seen) -> {
            long first = seen.stream().mapToLong(OutcomeLedger.Seen::timestamp).min().orElseThrow();
            Long sent = sentAt.get(eventId);
            if (sent != null && sent >= from.toEpochMilli() && sent <= to.toEpochMilli()) {
                latencies.add(first - sent);
            }
            times.add(first);
        });
        times.sort(null);
        long longest = 0;
        long previous = from.toEpochMilli();
        for (long time : times) {
            if (time >= from.toEpochMilli() && time <= to.toEpochMilli()) {
                longest = Math.max(longest, time - previous);
                previous = time;
            }
        }
        longest = Math.max(longest, to.toEpochMilli() - previous);
        latencies.sort(null);
        long max = latencies.isEmpty() ? 0 : latencies.getLast();
        long p99 = latencies.isEmpty() ? 0 : latencies.get((int) Math.floor(0.99 * (latencies.size() - 1)));
        return new Gaps(longest, max, p99);
    }

    /** Publishes signups at a steady rate over a fixed set of keys until stopped. */
    private static final class SteadyLoad implements Runnable {
        private final FaultRig rig;
        private final String prefix;
        private final int perSecond;
        private final int keys;
        private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        private final List<Future<RecordMetadata>> sent = new ArrayList<>();
        private final List<String> events = new ArrayList<>();
        private volatile boolean stopped;

        SteadyLoad(FaultRig rig, String prefix, int perSecond, int keys) {
            this.rig = rig;
            this.prefix = prefix;
            this.perSecond = perSecond;
            this.keys = keys;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            for (int i = 0; !stopped; i++) {
                long wait = start + TimeUnit.SECONDS.toNanos(i) / perSecond - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                SubscriptionSignup signup = CorpusSignups.valid(prefix + "-k" + (i % keys), prefix + i);
                signup.setEventId("evt-" + prefix + "-" + i);
                sentAt.put(signup.getEventId(), System.currentTimeMillis());
                synchronized (this) {
                    events.add(signup.getEventId());
                    sent.add(rig.send(signup));
                }
            }
            rig.flush();
        }

        void stop() {
            stopped = true;
        }

        int perSecond() {
            return perSecond;
        }

        synchronized int sent() {
            return events.size();
        }

        Map<String, Long> sentAt() {
            return sentAt;
        }

        synchronized List<String> awaitAcknowledged() throws Exception {
            for (Future<RecordMetadata> future : sent) {
                future.get(2, TimeUnit.MINUTES);
            }
            return List.copyOf(events);
        }
    }
}
