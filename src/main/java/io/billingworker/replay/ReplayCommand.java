package io.billingworker.replay;

import io.billingworker.config.ConfigKeys;
import io.billingworker.config.ConfigSource;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: re-publishes selected dead-letter records to the input topic (or another), safely: up to the end
 * offsets captured at its start, rate limited, resumable by name, refusing records replayed too often.
 */
@Command(name = "replay", sortOptions = false, mixinStandardHelpOptions = true,
        description = {
            "Re-publish dead-letter records (original key, value and headers; dlt.* headers dropped;"
                + " dlt.replay.count incremented) to the input topic or --target-topic.",
            "Filters combine with AND; comma-separated values of one filter are alternatives.",
            "Reads only up to the end offsets captured when the replay first started. Progress is kept as consumer"
                + " group billing-replay-<name>: Ctrl-C stops cleanly, and the same command resumes without"
                + " replaying a record twice."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (or stopped at --max)",
            "1:failed while running; progress kept, run again to resume",
            "2:invalid options, or a name used with other filters",
            "3:broker unreachable, topic missing or access denied",
            "4:nothing to replay (empty selection)",
            "130:interrupted by Ctrl-C (143: by SIGTERM); progress kept, run again to resume"})
public final class ReplayCommand implements Callable<Integer> {

    static final int FAILED = 1;
    static final int BAD_OPTIONS = 2;
    static final int INTERRUPTED = 130;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Name of this replay (required unless --dry-run); its progress is consumer group"
                    + " billing-replay-NAME. Run again with the same name and filters to resume.")
    String name;

    @Option(names = "--dry-run", description = "List what would be replayed and summarize; send and commit nothing.")
    boolean dryRun;

    @Option(names = "--target-topic", paramLabel = "TOPIC", description = "Where to re-publish (default: topics.input).")
    String targetTopic;

    @Option(names = "--reason", split = ",", paramLabel = "REASON",
            description = "dlt.reason: RETRIES_EXHAUSTED, AUTH_FAILED, MISSING_CREDENTIALS, UNKNOWN_SCHEMA,"
                    + " SCHEMA_INCOMPATIBLE, UNDECODABLE, EMPTY_VALUE, INTERNAL_ERROR, HELD_TOO_LONG, OUTCOME_UNWRITABLE,"
                    + " INVALID_RESPONSE, UNEXPECTED_REDIRECT.")
    List<String> reasons = new ArrayList<>();

    @Option(names = "--http-status", split = ",", paramLabel = "STATUS",
            description = "dlt.http.status: 503, a class such as 5xx, or none (no status).")
    List<String> httpStatuses = new ArrayList<>();

    @Option(names = "--merchant", split = ",", paramLabel = "ID", description = "dlt.merchant.id.")
    List<String> merchants = new ArrayList<>();

    @Option(names = "--key", split = ",", paramLabel = "KEY", description = "Record key (subscription id).")
    List<String> keys = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME",
            description = "Dead-lettered at or after TIME: ISO-8601 with a zone (2026-11-23T10:00Z) or a date (UTC).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Dead-lettered before TIME.")
    String to;

    @Option(names = "--partition", split = ",", paramLabel = "N", description = "Dead-letter topic partitions.")
    List<String> partitions = new ArrayList<>();

    @Option(names = "--offsets", paramLabel = "FIRST-LAST",
            description = "Offsets in the one --partition: 100-200 (inclusive), 100- or 150.")
    String offsets;

    @Option(names = "--max", paramLabel = "COUNT", defaultValue = "" + Long.MAX_VALUE, showDefaultValue =
            picocli.CommandLine.Help.Visibility.NEVER,
            description = "Replay at most COUNT records in this run; the same command continues with the next ones.")
    long maxCount;

    @Option(names = "--rate", paramLabel = "RATE", defaultValue = "50/s",
            description = "Records per second or minute (50/s, 600/m) or unlimited (default: ${DEFAULT-VALUE}).")
    String rate;

    @Option(names = "--max-replays", paramLabel = "N", defaultValue = "" + ReplaySelection.DEFAULT_MAX_REPLAYS,
            description = "Refuse (skip, count, leave in the DLT) records already replayed N times"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxReplays;

    @Option(names = "--progress", negatable = true,
            description = "Show the progress line on stderr (default: only on a terminal).")
    Boolean progress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigSource source;
        try {
            source = connection.source();
        } catch (UncheckedIOException e) {
            err.println("replay: " + e.getMessage());
            return BAD_OPTIONS;
        }
        String deadLetterTopic = source.get(ConfigKeys.TOPIC_DEAD_LETTER);
        String target = targetTopic != null ? targetTopic : source.get(ConfigKeys.TOPIC_INPUT);
        ReplayJob.Request request;
        try {
            request = request(source, deadLetterTopic, target);
        } catch (BadReplayRequestException e) {
            err.println("replay: " + e.getMessage());
            return BAD_OPTIONS;
        }
        Clock clock = Clock.systemUTC();
        StopSignal stop = new StopSignal();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.request();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "replay-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ReplayJob job = ReplayJob.open(request, clock)) {
            return run(job, out, err, clock, stop);
        } catch (ReplayException e) {
            err.println("replay: " + e.getMessage());
            return e.kind().exitCode();
        } catch (ReplayFailedException e) {
            err.println("replay failed: " + e.getMessage());
            return FAILED;
        } catch (KafkaException e) {
            err.println("replay failed: " + KafkaTopics.rootMessage(e) + " (" + e.getClass().getSimpleName()
                    + "); progress up to the last commit is kept");
            return FAILED;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waited for us
            }
        }
    }

    private ReplayJob.Request request(ConfigSource source, String deadLetterTopic, String target) {
        List<String> problems = new ArrayList<>();
        ReplaySelection selection = null;
        try {
            selection = ReplaySelection.builder().reasons(reasons).httpStatuses(httpStatuses).merchants(merchants)
                    .keys(keys).from(from).to(to).partitions(partitions).offsets(offsets).maxReplays(maxReplays)
                    .build();
        } catch (BadReplayRequestException e) {
            problems.addAll(e.problems());
        }
        Rate parsedRate = null;
        try {
            parsedRate = Rate.parse(rate);
        } catch (BadReplayRequestException e) {
            problems.addAll(e.problems());
        }
        problems.addAll(ReplayJob.Request.problems(name, dryRun, maxCount, deadLetterTopic, target));
        if (!problems.isEmpty()) {
            throw new BadReplayRequestException(problems);
        }
        return new ReplayJob.Request(KafkaSettings.from(source), deadLetterTopic, target, selection, name, dryRun,
                maxCount, parsedRate, connection.timeout());
    }

    private int run(ReplayJob job, PrintWriter out, PrintWriter err, Clock clock, StopSignal stop) {
        ReplayJob.Request request = job.request();
        ReplayPlan plan = job.plan();
        out.println(header(request, plan));
        if (plan.resumed() && plan.size() == 0) {
            out.println("Replay " + request.name() + " already finished: nothing left to read up to the end offsets"
                    + " it captured (" + plan.describe() + "). Use a new --name for a new replay.");
            out.flush();
            return 0;
        }
        out.flush();
        List<ReplayListener> listeners = new ArrayList<>();
        if (request.dryRun()) {
            listeners.add(new DryRunListing(out, request.selection().maxReplays()));
        }
        if (progress != null ? progress : Terminal.interactive() && !request.dryRun()) {
            listeners.add(new ProgressLine(err, clock, plan.size()));
        }
        ReplayResult result = job.run(ReplayListener.all(listeners.toArray(ReplayListener[]::new)), stop);
        if (request.dryRun()) {
            out.println();
        }
        out.print(ReplaySummary.render(request, result));
        out.flush();
        return result.ending() == ReplayResult.Ending.INTERRUPTED ? INTERRUPTED : 0;
    }

    private static String header(ReplayJob.Request request, ReplayPlan plan) {
        StringBuilder text = new StringBuilder();
        if (request.dryRun()) {
            text.append("Dry run: ");
        } else {
            text.append("Replay ").append(request.name()).append(" (consumer group ").append(request.groupId())
                    .append("): ");
        }
        text.append(request.deadLetterTopic()).append(" -> ").append(request.targetTopic()).append('\n');
        text.append("Filters: ").append(request.selection().describe());
        if (!request.dryRun()) {
            text.append("; rate ").append(request.rate());
        }
        if (request.maxCount() != Long.MAX_VALUE) {
            text.append("; at most ").append(request.maxCount());
        }
        text.append('\n').append(plan.resumed() ? "Continuing from the committed offsets: " : "Reading ")
                .append(plan.describe()).append(" (").append(plan.size()).append(" offsets, end exclusive")
                .append(plan.resumed() ? ", as captured when it first started)" : ", captured now)");
        return text.toString();
    }
}
