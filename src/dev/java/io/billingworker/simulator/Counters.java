package io.billingworker.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The simulator's live counters, cheap to update from many request threads at once. */
final class Counters {

    private final LongAdder received = new LongAdder();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder hangs = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();

    void requestStarted() {
        received.increment();
        int now = inFlight.incrementAndGet();
        peakInFlight.accumulateAndGet(now, Math::max);
    }

    void requestFinished() {
        inFlight.decrementAndGet();
    }

    void responded(int status) {
        byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    void dropped() {
        dropped.increment();
    }

    void hangStarted() {
        hangs.increment();
    }

    int inFlight() {
        return inFlight.get();
    }

    int peakInFlight() {
        return peakInFlight.get();
    }

    long received() {
        return received.sum();
    }

    long responses(int status) {
        LongAdder adder = byStatus.get(status);
        return adder == null ? 0 : adder.sum();
    }

    SimulatorStats snapshot(long ordersCreated) {
        Map<Integer, Long> statuses = new TreeMap<>();
        byStatus.forEach((status, count) -> statuses.put(status, count.sum()));
        return new SimulatorStats(received.sum(), statuses, dropped.sum(), hangs.sum(), ordersCreated,
                inFlight.get(), peakInFlight.get());
    }

    /** Zeroes everything but the requests in flight now, which also become the new peak. */
    void reset() {
        received.reset();
        byStatus.clear();
        dropped.reset();
        hangs.reset();
        peakInFlight.set(inFlight.get());
    }
}
