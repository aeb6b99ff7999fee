package io.billingworker.reliability;

import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.outcome.DeadLetterHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Runs one fault scenario the same way every time: a stream of signups published at a steady rate over many keys, the
 * fault injected mid-stream and cleared after a while, then the accounting of every event id (lost, duplicates, mixed
 * outcome kinds, per-key order) and a probe batch that proves the worker healthy afterwards.
 */
final class ScenarioDriver {

    /** What the scenario does to the world, mid-stream. */
    interface Fault {
        void inject() throws Exception;

        void clear() throws Exception;
    }

    /**
     * Sizes and timing of one run: the fault is injected once {@code injectAfterOutcomes} outcomes have landed (so the
     * worker is mid-stream, not still joining its group), and cleared {@code hold} later.
     */
    record Plan(int events, int keys, int perSecond, int injectAfterOutcomes, Duration hold) {
    }

    /** What happened, for the assertions and the results table. */
    record Result(String scenario, int events, List<String> lost, int duplicates, List<String> mixedKinds,
            List<String> outOfOrder, List<String> orderIdMismatches, long created, long failed, long deadLetters,
            Map<String, Long> deadLetterReasons, Duration recover, Duration drained, boolean healthy, String notes,
            Instant injected, Instant cleared, List<Long> arrivals) {

        /** Outcomes that became readable between the two instants. */
        long arrivedBetween(Instant from, Instant to) {
            return arrivals.stream().filter(at -> at >= from.toEpochMilli() && at < to.toEpochMilli()).count();
        }

        Result withNotes(String text) {
            return new Result(scenario, events, lost, duplicates, mixedKinds, outOfOrder, orderIdMismatches, created,
                    failed, deadLetters, deadLetterReasons, recover, drained, healthy, text, injected, cleared, arrivals);
        }

        FaultMatrixReport.Row row() {
            return new FaultMatrixReport.Row(scenario, events, lost.size(), duplicates, created, deadLetters,
                    recover, drained, notes);
        }
    }

    private final FaultRig rig;
    private final String prefix;

    ScenarioDriver(FaultRig rig, String prefix) {
        this.rig = Objects.requireNonNull(rig, "rig");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** Signups for keys {@code <prefix>-k<n>}, each key's events in publishing order. */
    static List<SubscriptionSignup> signups(String prefix, int count, int keys) {
        List<SubscriptionSignup> signups = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SubscriptionSignup signup = CorpusSignups.valid(prefix + "-k" + (i % keys), prefix + i);
            signup.setEventId("evt-" + prefix + "-" + i);
            signups.add(signup);
        }
        return signups;
    }

    /**
     * Publishes the plan's stream, injects the fault after {@code injectAfter}, clears it after {@code hold}, waits
     * for every outcome, then publishes 20 probe signups that must all be created.
     *
     * @param healthy whether the worker (thread or process) is still running, asked at the end
     */
    Result run(String scenario, Plan plan, Fault fault, BooleanSupplier healthy, String notes) throws Exception {
        List<SubscriptionSignup> signups = signups(prefix, plan.events(), plan.keys());
        Map<String, Integer> sequence = new HashMap<>();
        for (int i = 0; i < signups.size(); i++) {
            sequence.put(signups.get(i).getEventId(), i / plan.keys());
        }
        ArrivalWatch watch = new ArrivalWatch(rig.bootstrapServers(), rig.topics());
        Publisher publisher = new Publisher(signups, plan.perSecond());
        Thread publishing = Thread.ofPlatform().name("publisher-" + prefix).start(publisher);
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (watch.arrivals().size() < plan.injectAfterOutcomes() && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        Instant injected = Instant.now();
        fault.inject();
        Thread.sleep(plan.hold());
        Instant cleared = Instant.now();
        fault.clear();
        publishing.join(TimeUnit.MINUTES.toMillis(5));
        publisher.awaitAcknowledged();

        OutcomeLedger.Snapshot snapshot;
        try (OutcomeLedger ledger = rig.ledger()) {
            snapshot = ledger.await(plan.events(), Duration.ofMinutes(4), Duration.ofSeconds(3));
        }
        watch.close();
        List<Long> arrivals = watch.arrivals();
        System.out.println("ARRIVALS " + scenario + " count=" + arrivals.size() + " injected=" + injected.toEpochMilli()
                + " cleared=" + cleared.toEpochMilli() + " first=" + (arrivals.isEmpty() ? 0 : arrivals.getFirst())
                + " last=" + (arrivals.isEmpty() ? 0 : arrivals.getLast()));
        boolean probesCreated = probe();
        List<String> expected = signups.stream().map(SubscriptionSignup::getEventId).toList();
        Map<String, Long> reasons = new HashMap<>();
        snapshot.byEvent().values().stream().map(List::getFirst)
                .filter(seen -> seen.kind() == OutcomeLedger.Kind.DEAD_LETTER)
                .forEach(seen -> reasons.merge(seen.header(DeadLetterHeaders.REASON), 1L, Long::sum));
        return new Result(scenario, plan.events(), snapshot.lost(expected), snapshot.duplicates(), snapshot.mixedKinds(),
                snapshot.outOfOrderKeys(sequence), orderIdMismatches(snapshot),
                snapshot.events(OutcomeLedger.Kind.CREATED), snapshot.events(OutcomeLedger.Kind.FAILED),
                snapshot.events(OutcomeLedger.Kind.DEAD_LETTER), reasons, recover(arrivals, cleared),
                drained(arrivals, cleared), probesCreated && healthy.getAsBoolean(), notes, injected, cleared, arrivals);
    }

    /** Publishes 20 more signups and waits until each is created. */
    private boolean probe() throws Exception {
        List<SubscriptionSignup> probes = signups(prefix + "p", 20, 20);
        rig.publish(probes);
        try (OutcomeLedger ledger = rig.ledger()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                Map<String, List<OutcomeLedger.Seen>> byEvent =
                        ledger.await(0, Duration.ofSeconds(5), Duration.ofMillis(500)).byEvent();
                if (probes.stream().allMatch(probe -> byEvent.containsKey(probe.getEventId())
                        && byEvent.get(probe.getEventId()).getFirst().kind() == OutcomeLedger.Kind.CREATED)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Events whose created outcomes do not all carry the same order id and Juspay order id. */
    private static List<String> orderIdMismatches(OutcomeLedger.Snapshot snapshot) {
        List<String> mismatches = new ArrayList<>();
        snapshot.byEvent().forEach((eventId, seen) -> {
            long distinct = seen.stream().filter(one -> one.kind() == OutcomeLedger.Kind.CREATED)
                    .map(one -> one.created().getOrderId() + "/" + one.created().getJuspayOrderId()).distinct().count();
            if (distinct > 1) {
                mismatches.add(eventId);
            }
        });
        return mismatches;
    }

    /** From the fault's end to the first outcome readable after it; zero when none was still due. */
    private static Duration recover(List<Long> arrivals, Instant cleared) {
        return arrivals.stream().filter(at -> at >= cleared.toEpochMilli()).findFirst()
                .map(at -> Duration.ofMillis(at - cleared.toEpochMilli())).orElse(Duration.ZERO);
    }

    /** From the fault's end until the last outcome of the stream was readable. */
    private static Duration drained(List<Long> arrivals, Instant cleared) {
        long last = arrivals.isEmpty() ? 0 : arrivals.getLast();
        return Duration.ofMillis(Math.max(0, last - cleared.toEpochMilli()));
    }

    /** Publishes at a steady rate from its own thread. */
    private final class Publisher implements Runnable {
        private final List<SubscriptionSignup> signups;
        private final int perSecond;
        private final List<Future<RecordMetadata>> sent = new ArrayList<>();

        Publisher(List<SubscriptionSignup> signups, int perSecond) {
            this.signups = signups;
            this.perSecond = perSecond;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            for (int i = 0; i < signups.size(); i++) {
                long due = start + TimeUnit.SECONDS.toNanos(i) / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                sent.add(rig.send(signups.get(i)));
            }
            rig.flush();
        }

        void awaitAcknowledged() throws Exception {
            for (Future<RecordMetadata> future : sent) {
                future.get(5, TimeUnit.MINUTES);
            }
            if (sent.size() != signups.size()) {
                throw new IllegalStateException("published " + sent.size() + " of " + signups.size());
            }
        }
    }
}
