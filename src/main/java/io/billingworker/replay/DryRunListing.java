package io.billingworker.replay;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** Lists, one line each, the records a dry run would replay and those it would refuse. */
public final class DryRunListing implements ReplayListener {

    private static final String FORMAT = "%-13s %-10s %-21s %-24s %-18s %-6s %-14s %s%n";

    private final PrintWriter out;
    private final int maxReplays;
    private boolean headerPrinted;

    public DryRunListing(PrintWriter out, int maxReplays) {
        this.out = Objects.requireNonNull(out, "out");
        this.maxReplays = maxReplays;
    }

    @Override
    public void replayed(DeadLetterRecord record) {
        line("would replay", record);
    }

    @Override
    public void refused(DeadLetterRecord record) {
        line("would refuse", record);
    }

    @Override
    public void finished() {
        out.flush();
    }

    private void line(String action, DeadLetterRecord record) {
        if (!headerPrinted) {
            out.printf(FORMAT, "action", "position", "dead-lettered", "key", "reason", "http", "merchant",
                    "replays");
            headerPrinted = true;
        }
        Integer status = record.httpStatus();
        String replays = record.replayCount() >= maxReplays
                ? record.replayCount() + " (max " + maxReplays + ")" : Integer.toString(record.replayCount());
        out.printf(FORMAT, action, record.position(), record.deadLetteredAt().truncatedTo(ChronoUnit.SECONDS), Tally.orNone(record.keyText()),
                Tally.orNone(record.reason()), status == null ? "-" : status.toString(),
                Tally.orNone(record.merchantId()), replays);
    }
}
