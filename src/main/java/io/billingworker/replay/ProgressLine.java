package io.billingworker.replay;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The one-line progress shown on a terminal while a replay runs, rewritten in place at most twice a second:
 * {@code replayed 120 | refused 2 | skipped 30 | 49.8/s | 348 of 500 left to read}.
 */
public final class ProgressLine implements ReplayListener {

    private static final Duration EVERY = Duration.ofMillis(500);

    private final PrintWriter out;
    private final Clock clock;
    private final long total;
    private final Instant started;
    private Instant lastPrinted;
    private long replayed;
    private long refused;
    private long skipped;
    private boolean printed;

    /** @param total offsets the run is to read */
    public ProgressLine(PrintWriter out, Clock clock, long total) {
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.total = total;
        this.started = clock.instant();
        this.lastPrinted = started;
    }

    @Override
    public void replayed(DeadLetterRecord record) {
        replayed++;
        maybePrint();
    }

    @Override
    public void refused(DeadLetterRecord record) {
        refused++;
        maybePrint();
    }

    @Override
    public void skipped(DeadLetterRecord record) {
        skipped++;
        maybePrint();
    }

    @Override
    public void finished() {
        if (printed || replayed + refused + skipped > 0) {
            out.print("\r" + render() + "\n");
            out.flush();
        }
    }

    /** The line as it would be printed now. */
    public String render() {
        double seconds = Math.max(Duration.between(started, clock.instant()).toMillis(), 1) / 1000.0;
        long left = Math.max(0, total - replayed - refused - skipped);
        return String.format(Locale.ROOT, "replayed %d | refused %d | skipped %d | %.1f/s | %d of %d left to read",
                replayed, refused, skipped, replayed / seconds, left, total);
    }

    private void maybePrint() {
        Instant now = clock.instant();
        if (Duration.between(lastPrinted, now).compareTo(EVERY) >= 0) {
            lastPrinted = now;
            printed = true;
            out.print("\r" + render());
            out.flush();
        }
    }
}
