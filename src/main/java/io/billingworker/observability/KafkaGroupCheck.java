package io.billingworker.observability;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Readiness of the consumer's group membership, read from the consumer's own metrics (safe to read from any
 * thread, unlike the consumer itself): the group coordinator answered heartbeats recently (the broker is
 * reachable), and the consumer has partitions assigned or joined the group recently (a member without
 * partitions, e.g. more workers than partitions, stays ready for {@code joinedWindow} after its last rebalance).
 */
public final class KafkaGroupCheck implements HealthCheck {

    static final String GROUP = "consumer-coordinator-metrics";
    static final String ASSIGNED = "assigned-partitions";
    static final String LAST_HEARTBEAT = "last-heartbeat-seconds-ago";
    static final String LAST_REBALANCE = "last-rebalance-seconds-ago";

    private final Supplier<? extends Map<MetricName, ? extends Metric>> metrics;
    private final Duration heartbeatMaxAge;
    private final Duration joinedWindow;

    /**
     * @param metrics         the consumer's {@code metrics()}
     * @param heartbeatMaxAge longest time since the last heartbeat before the broker counts as unreachable
     * @param joinedWindow    how long a member without partitions stays ready after its last rebalance
     */
    public KafkaGroupCheck(Supplier<? extends Map<MetricName, ? extends Metric>> metrics, Duration heartbeatMaxAge,
            Duration joinedWindow) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.heartbeatMaxAge = Objects.requireNonNull(heartbeatMaxAge, "heartbeatMaxAge");
        this.joinedWindow = Objects.requireNonNull(joinedWindow, "joinedWindow");
    }

    @Override
    public Status check() {
        Map<MetricName, ? extends Metric> values = metrics.get();
        OptionalDouble heartbeat = value(values, LAST_HEARTBEAT);
        if (heartbeat.isEmpty()) {
            return Status.down("not joined the consumer group yet (no heartbeat sent)");
        }
        long heartbeatAgo = (long) heartbeat.getAsDouble();
        if (heartbeatAgo > heartbeatMaxAge.toSeconds()) {
            return Status.down("no heartbeat to the group coordinator for " + heartbeatAgo
                    + " s: Kafka unreachable or the group is rebalancing");
        }
        int assigned = (int) value(values, ASSIGNED).orElse(0);
        if (assigned > 0) {
            return Status.up(assigned + " partition(s) assigned, last heartbeat " + heartbeatAgo + " s ago");
        }
        OptionalDouble rebalance = value(values, LAST_REBALANCE);
        if (rebalance.isPresent() && rebalance.getAsDouble() <= joinedWindow.toSeconds()) {
            return Status.up("group member without partitions, joined " + (long) rebalance.getAsDouble()
                    + " s ago (more workers than partitions?)");
        }
        return Status.down(rebalance.isEmpty() ? "no partitions assigned: the group has not finished joining"
                : "no partitions assigned for " + (long) rebalance.getAsDouble() + " s");
    }

    /** The metric's value when it is a real, non-negative number (Kafka uses -1 or infinity for "never"). */
    private static OptionalDouble value(Map<MetricName, ? extends Metric> values, String name) {
        for (Map.Entry<MetricName, ? extends Metric> entry : values.entrySet()) {
            MetricName metricName = entry.getKey();
            if (metricName.group().equals(GROUP) && metricName.name().equals(name)
                    && entry.getValue().metricValue() instanceof Number number) {
                double value = number.doubleValue();
                return Double.isFinite(value) && value >= 0 && value < 1e9 ? OptionalDouble.of(value)
                        : OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }
}
