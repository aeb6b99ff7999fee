package io.billingworker.simulator;

import java.util.Map;

/**
 * A snapshot of the simulator's counters since start or the last {@link SessionSimulator#reset()}.
 *
 * @param requestsReceived   every request that reached a handler
 * @param responsesByStatus  answers sent, by HTTP status
 * @param connectionsDropped requests answered by dropping the connection (resets, hangs that ended)
 * @param hangsStarted       requests that hung
 * @param ordersCreated      distinct orders created
 * @param inFlight           requests being handled now
 * @param peakInFlight       the most requests handled at once
 */
public record SimulatorStats(
        long requestsReceived,
        Map<Integer, Long> responsesByStatus,
        long connectionsDropped,
        long hangsStarted,
        long ordersCreated,
        int inFlight,
        int peakInFlight) {

    public SimulatorStats {
        responsesByStatus = Map.copyOf(responsesByStatus);
    }

    /** Answers sent with {@code status}. */
    public long responses(int status) {
        return responsesByStatus.getOrDefault(status, 0L);
    }
}
