package io.billingworker.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What sits in the dead-letter topic: counts by reason, merchant, HTTP status, age and replay count, the oldest
 * and newest record, and a few sample records per reason (headers only: never the signup itself).
 */
public final class DltReport {

    /** Age buckets, youngest first; a record falls in the first whose limit exceeds its age. */
    private static final List<Map.Entry<String, Duration>> AGES = List.of(
            Map.entry("< 1 h", Duration.ofHours(1)),
            Map.entry("1-6 h", Duration.ofHours(6)),
            Map.entry("6-24 h", Duration.ofHours(24)),
            Map.entry("1-7 d", Duration.ofDays(7)),
            Map.entry("> 7 d", Duration.ofDays(36_500)));
    private static final int MAX_MESSAGE = 160;

    private final String topic;
    private final ReplayPlan plan;
    private final Clock clock;
    private final int samplesPerReason;
    private final Tally tally = new Tally();
    private final Map<String, Long> byStatus = new TreeMap<>();
    private final Map<String, Long> byReplayCount = new TreeMap<>();
    private final Map<String, Long> byAge = new LinkedHashMap<>();
    private final Map<String, List<DeadLetterRecord>> samples = new TreeMap<>();
    private DeadLetterRecord oldest;
    private DeadLetterRecord newest;

    public DltReport(String topic, ReplayPlan plan, Clock clock, int samplesPerReason) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.samplesPerReason = samplesPerReason;
        AGES.forEach(age -> byAge.put(age.getKey(), 0L));
    }

    public void add(DeadLetterRecord record) {
        tally.add(record);
        Integer status = record.httpStatus();
        byStatus.merge(status == null ? Tally.NONE : status.toString(), 1L, Long::sum);
        byReplayCount.merge(Integer.toString(record.replayCount()), 1L, Long::sum);
        byAge.merge(ageBucket(record.deadLetteredAt()), 1L, Long::sum);
        List<DeadLetterRecord> reasonSamples = samples.computeIfAbsent(Tally.orNone(record.reason()),
                reason -> new ArrayList<>());
        if (reasonSamples.size() < samplesPerReason) {
            reasonSamples.add(record);
        }
        if (oldest == null || record.deadLetteredAt().isBefore(oldest.deadLetteredAt())) {
            oldest = record;
        }
        if (newest == null || record.deadLetteredAt().isAfter(newest.deadLetteredAt())) {
            newest = record;
        }
    }

    public long total() {
        return tally.total();
    }

    public Tally tally() {
        return tally;
    }

    public Map<String, Long> byHttpStatus() {
        return Collections.unmodifiableMap(byStatus);
    }

    public Map<String, Long> byAge() {
        return Collections.unmodifiableMap(byAge);
    }

    public Map<String, Long> byReplayCount() {
        return Collections.unmodifiableMap(byReplayCount);
    }

    public Map<String, List<DeadLetterRecord>> samples() {
        return Collections.unmodifiableMap(samples);
    }

    /** The report as printed by {@code dlt inspect}. */
    public String render() {
        StringBuilder text = new StringBuilder();
        text.append(topic).append(": ").append(Counts.records(total())).append(" (").append(plan.describe())
                .append(", end exclusive). Nothing was committed.\n");
        if (total() == 0) {
            return text.toString();
        }
        Instant now = clock.instant();
        text.append("Oldest: ").append(seconds(oldest.deadLetteredAt())).append(" (").append(oldest.position()).append(", ")
                .append(age(Duration.between(oldest.deadLetteredAt(), now))).append(" ago)\n");
        text.append("Newest: ").append(seconds(newest.deadLetteredAt())).append(" (").append(newest.position()).append(", ")
                .append(age(Duration.between(newest.deadLetteredAt(), now))).append(" ago)\n\n");
        text.append(Counts.table("By reason:", tally.byReason()));
        text.append(Counts.table("By merchant:", tally.byMerchant()));
        text.append(Counts.table("By HTTP status:", byStatus));
        text.append(Counts.table("By age:", byAge));
        text.append(Counts.table("By replay count (times replayed before):", byReplayCount));
        text.append(Counts.table("By hour dead-lettered (UTC):", tally.byHour()));
        if (samplesPerReason > 0) {
            text.append("\nSamples (").append(samplesPerReason).append(" per reason):\n");
            samples.forEach((reason, records) -> records.forEach(record -> text.append(sample(reason, record))));
        }
        return text.toString();
    }

    private String sample(String reason, DeadLetterRecord record) {
        Integer status = record.httpStatus();
        StringBuilder line = new StringBuilder("  ").append(reason).append("  ").append(record.position())
                .append("  ").append(seconds(record.deadLetteredAt()))
                .append("  key=").append(Tally.orNone(record.keyText()))
                .append("  merchant=").append(Tally.orNone(record.merchantId()))
                .append("  http=").append(status == null ? "-" : status)
                .append("  attempts=").append(Tally.orNone(record.attempts()))
                .append("  replays=").append(record.replayCount()).append('\n');
        String message = record.exceptionMessage();
        if (message != null) {
            String bounded = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 1) + "…" : message;
            line.append("      ").append(record.exceptionClass() == null ? "" : record.exceptionClass() + ": ")
                    .append(bounded.replace('\n', ' ')).append('\n');
        }
        return line.toString();
    }

    private String ageBucket(Instant deadLetteredAt) {
        Duration age = Duration.between(deadLetteredAt, clock.instant());
        for (Map.Entry<String, Duration> bucket : AGES) {
            if (age.compareTo(bucket.getValue()) < 0) {
                return bucket.getKey();
            }
        }
        return AGES.get(AGES.size() - 1).getKey();
    }

    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    static String age(Duration age) {
        if (age.isNegative() || age.toMinutes() < 1) {
            return "under a minute";
        }
        if (age.toHours() < 1) {
            return age.toMinutes() + " min";
        }
        if (age.toDays() < 2) {
            return age.toHours() + " h " + age.toMinutesPart() + " min";
        }
        return age.toDays() + " d " + age.toHoursPart() + " h";
    }
}
