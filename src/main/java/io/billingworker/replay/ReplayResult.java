package io.billingworker.replay;

import java.time.Duration;
import java.util.Objects;

/**
 * What a replay run did.
 *
 * @param ending    why it stopped
 * @param replayed  records sent (in a dry run: that would be sent), by reason, merchant and hour
 * @param refused   records that matched but reached the maximum replay count
 * @param skipped   records read that the filters do not select
 * @param remaining offsets of the plan not read yet (0 when completed)
 * @param plan      what the run set out to read
 * @param elapsed   how long it ran
 */
public record ReplayResult(Ending ending, Tally replayed, Tally refused, long skipped, long remaining,
        ReplayPlan plan, Duration elapsed) {

    /** Why a run stopped. */
    public enum Ending {
        /** Read everything up to the end offsets captured at the start. */
        COMPLETED,
        /** {@code --max} records were replayed; the same command replays the next ones. */
        MAX_REACHED,
        /** Stopped on request (Ctrl-C); the same command resumes. */
        INTERRUPTED
    }

    public ReplayResult {
        Objects.requireNonNull(ending, "ending");
        Objects.requireNonNull(replayed, "replayed");
        Objects.requireNonNull(refused, "refused");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Records that matched the filters: replayed plus refused. */
    public long selected() {
        return replayed.total() + refused.total();
    }
}
