package io.billingworker.replay;

import java.util.Optional;

/**
 * The offsets one replay reads in one dead-letter partition: from {@code start} up to, not including, {@code end}
 * (the end offset captured when the replay first started).
 */
public record PartitionPlan(int partition, long start, long end) {

    public PartitionPlan {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("partition " + partition + ": bad range " + start + "-" + end);
        }
    }

    /** Records (offsets) in the range. */
    public long size() {
        return end - start;
    }

    /**
     * The range of a replay that has not committed in this partition yet.
     *
     * @param logStart    the partition's first offset still stored
     * @param logEnd      its end offset now (last stable offset)
     * @param range       {@code --offsets}, if any
     * @param fromOffset  the first offset at or after {@code --from}, if any ({@code logEnd} when none is)
     */
    public static PartitionPlan fresh(int partition, long logStart, long logEnd, Optional<OffsetRange> range,
            Optional<Long> fromOffset) {
        long start = logStart;
        long end = logEnd;
        if (range.isPresent()) {
            start = Math.max(start, range.get().first());
            end = Math.min(end, range.get().endExclusive());
        }
        if (fromOffset.isPresent()) {
            start = Math.max(start, fromOffset.get());
        }
        return new PartitionPlan(partition, Math.min(start, end), end);
    }

    /**
     * The range of a replay resuming from its committed offset; records deleted by retention meanwhile are
     * skipped.
     */
    public static PartitionPlan resumed(int partition, long committed, long logStart, ProgressMarker marker) {
        long start = Math.max(committed, logStart);
        return new PartitionPlan(partition, Math.min(start, marker.end()), marker.end());
    }
}
