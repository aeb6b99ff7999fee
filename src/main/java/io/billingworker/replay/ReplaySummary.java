package io.billingworker.replay;

import java.util.Locale;

/** The summary printed after every replay and dry run. */
public final class ReplaySummary {

    private ReplaySummary() {
    }

    /** The summary of {@code result} for {@code request}. */
    public static String render(ReplayJob.Request request, ReplayResult result) {
        StringBuilder text = new StringBuilder();
        ReplayPlan plan = result.plan();
        String seconds = String.format(Locale.ROOT, "%.1f s", result.elapsed().toMillis() / 1000.0);
        if (request.dryRun()) {
            text.append("Dry run").append(request.name() == null ? "" : " of replay " + request.name())
                    .append(": nothing was sent or committed.\n");
        } else {
            text.append("Replay ").append(request.name()).append(" (consumer group ").append(request.groupId())
                    .append(")").append(plan.resumed() ? ", continuing an earlier run" : "").append(", ")
                    .append(seconds).append(".\n");
        }
        text.append("Read ").append(request.deadLetterTopic()).append(" ").append(plan.describe())
                .append(plan.resumed() ? " (end exclusive, as captured when the replay first started).\n"
                        : " (end exclusive, captured at the start).\n");
        text.append(request.dryRun() ? "Would replay " : "Replayed ").append(Counts.records(result.replayed().total()))
                .append(" to ").append(request.targetTopic());
        if (result.refused().total() > 0) {
            int max = request.selection().maxReplays();
            text.append("; ").append(request.dryRun() ? "would refuse " : "refused ").append(result.refused().total())
                    .append(" already replayed ").append(max).append(max == 1 ? " time" : " times")
                    .append(" (--max-replays ").append(max).append(")");
        }
        text.append("; ").append(result.skipped()).append(" not selected by ")
                .append(request.selection().describe()).append(".\n");
        switch (result.ending()) {
            case COMPLETED -> text.append("Completed: every record up to the captured end offsets was read.\n");
            case MAX_REACHED -> text.append("Stopped at --max ").append(result.replayed().total())
                    .append(" with ").append(result.remaining()).append(" offsets left to read; ")
                    .append(request.dryRun() ? "" : "run the same command again to replay the next ones.\n");
            case INTERRUPTED -> text.append("Interrupted with ").append(result.remaining())
                    .append(" offsets left to read; ")
                    .append(request.dryRun() ? "nothing was changed.\n"
                            : "progress is saved: run the same command again to resume.\n");
        }
        if (request.dryRun() && result.ending() == ReplayResult.Ending.MAX_REACHED) {
            text.append("nothing was changed.\n");
        }
        if (result.replayed().total() > 0) {
            text.append('\n').append(Counts.table(request.dryRun() ? "Would replay, by reason:" : "Replayed, by reason:",
                    result.replayed().byReason()));
            text.append(Counts.table("By merchant:", result.replayed().byMerchant()));
            text.append(Counts.table("By hour dead-lettered (UTC):", result.replayed().byHour()));
        }
        if (result.refused().total() > 0) {
            text.append('\n').append(Counts.table("Refused, by reason:", result.refused().byReason()));
        }
        return text.toString();
    }
}
