package io.billingworker.replay;

import java.util.List;
import java.util.Map;

/** Where a replay reads dead-letter records from, and where it keeps its progress. */
public interface DeadLetterSource {

    /** The next records of the assigned partitions, in offset order per partition; may be empty. */
    List<DeadLetterRecord> poll();

    /** The next offset this source will return for {@code partition}. */
    long position(int partition);

    /** Stops fetching {@code partition} (its range is done). */
    void pause(int partition);

    /**
     * Keeps the replay's progress: {@code nextOffsets} per partition are the first offsets not yet handled.
     * Called only after everything sent before has been acknowledged.
     */
    void commit(Map<Integer, Long> nextOffsets);
}
