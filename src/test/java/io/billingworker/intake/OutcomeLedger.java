package io.billingworker.intake;

import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.testsupport.WorkerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The created outcomes a downstream consumer sees, grouped by event id in topic order, with the counts the
 * lifecycle tests assert on: distinct events, duplicates, and each subscription's sequence numbers in order.
 */
final class OutcomeLedger {

    private static final Duration READ_WAIT = Duration.ofSeconds(1);
    private static final int READ_ATTEMPTS = 5;

    private final WorkerHarness.Outcomes outcomes;
    private final Map<String, List<BillingSessionCreated>> byEvent = new LinkedHashMap<>();

    OutcomeLedger(WorkerHarness.Outcomes outcomes) {
        this.outcomes = outcomes;
        for (BillingSessionCreated created : outcomes.created()) {
            byEvent.computeIfAbsent(created.getEventId(), id -> new ArrayList<>()).add(created);
        }
    }

    /** Reads the outbound topics (committed records only) until every one of {@code eventIds} has an outcome. */
    static OutcomeLedger awaitEvents(WorkerHarness harness, Collection<String> eventIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        OutcomeLedger ledger = read(harness);
        while (!ledger.events().containsAll(eventIds) && System.nanoTime() < deadline) {
            ledger = read(harness);
        }
        return ledger;
    }

    /**
     * Reads everything now on the outbound topics. The read's wait also bounds the topic metadata lookup, which
     * can take longer than that on a loaded machine: such a read is tried again.
     */
    static OutcomeLedger read(WorkerHarness harness) {
        for (int attempt = 1; ; attempt++) {
            try {
                return new OutcomeLedger(harness.readOutcomes(READ_WAIT));
            } catch (TimeoutException e) {
                if (attempt == READ_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    WorkerHarness.Outcomes outcomes() {
        return outcomes;
    }

    Set<String> events() {
        return byEvent.keySet();
    }

    /** The created outcomes of one event, in topic order. */
    List<BillingSessionCreated> of(String eventId) {
        return byEvent.getOrDefault(eventId, List.of());
    }

    /** Events with more than one created outcome, with their count. */
    Map<String, Integer> duplicated() {
        Map<String, Integer> duplicated = new TreeMap<>();
        byEvent.forEach((eventId, list) -> {
            if (list.size() > 1) {
                duplicated.put(eventId, list.size());
            }
        });
        return duplicated;
    }

    /** Created outcomes beyond the first of each event. */
    int extraOutcomes() {
        return outcomes.created().size() - byEvent.size();
    }

    /** For each subscription key, the sequence numbers of its created outcomes in topic order, duplicates included. */
    Map<Integer, List<Integer>> sequencesByKey() {
        Map<Integer, List<Integer>> sequences = new TreeMap<>();
        for (BillingSessionCreated created : outcomes.created()) {
            sequences.computeIfAbsent(LifecycleSignups.keyOf(created.getEventId()), key -> new ArrayList<>())
                    .add(LifecycleSignups.seqOf(created.getEventId()));
        }
        return sequences;
    }
}
