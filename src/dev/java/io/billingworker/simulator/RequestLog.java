package io.billingworker.simulator;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/** The recorded requests: on or off, and never more than a fixed number (the oldest are dropped). */
final class RequestLog {

    private final ConcurrentLinkedDeque<ReceivedRequest> requests = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    private volatile boolean enabled;

    RequestLog(boolean enabled, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("maxRecordedRequests must be at least 1, was " + capacity);
        }
        this.enabled = enabled;
        this.capacity = capacity;
    }

    boolean enabled() {
        return enabled;
    }

    void enabled(boolean value) {
        enabled = value;
    }

    void add(ReceivedRequest request) {
        requests.addLast(request);
        if (size.incrementAndGet() > capacity && requests.pollFirst() != null) {
            size.decrementAndGet();
        }
    }

    List<ReceivedRequest> all() {
        return List.copyOf(requests);
    }

    List<ReceivedRequest> forOrder(String orderId) {
        return requests.stream().filter(r -> r.orderId().filter(orderId::equals).isPresent()).toList();
    }

    void clear() {
        requests.clear();
        size.set(0);
    }
}
