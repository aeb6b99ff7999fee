package io.billingworker.replay;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What one replay run reads: a range per dead-letter partition, and whether it continues an earlier run of the
 * same replay (same consumer group).
 */
public record ReplayPlan(List<PartitionPlan> partitions, boolean resumed) {

    public ReplayPlan {
        partitions = List.copyOf(partitions);
    }

    /** Records (offsets) left to read. */
    public long size() {
        return partitions.stream().mapToLong(PartitionPlan::size).sum();
    }

    /** {@code 0:12-57, 1:0-3}: each partition's range, end exclusive. */
    public String describe() {
        return partitions.stream().map(p -> p.partition() + ":" + p.start() + "-" + p.end())
                .collect(Collectors.joining(", "));
    }
}
