package io.billingworker.replay;

import io.billingworker.outcome.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which dead-letter records a replay takes, and which it refuses. Every filter given must match (they combine
 * with AND); the values of one filter are alternatives (OR). A record that matches but was already replayed
 * {@code maxReplays} times is refused: skipped, counted and left in the dead-letter topic.
 *
 * <p>Build one with {@link #builder()}, which validates the operator's text and reports every problem at once.
 */
public final class ReplaySelection {

    /** What a replay does with one record. */
    public enum Decision {
        /** Matches the filters: re-publish it. */
        REPLAY,
        /** Matches the filters but its replay count reached the maximum: leave it, count it. */
        REFUSE,
        /** Does not match the filters. */
        SKIP
    }

    /** Default {@code --max-replays}. */
    public static final int DEFAULT_MAX_REPLAYS = 3;

    private final SortedSet<String> reasons;
    private final List<HttpStatusPattern> statuses;
    private final SortedSet<String> merchants;
    private final SortedSet<String> keys;
    private final Instant from;
    private final Instant to;
    private final SortedSet<Integer> partitions;
    private final OffsetRange offsets;
    private final int maxReplays;

    private ReplaySelection(Builder builder) {
        this.reasons = unmodifiable(builder.reasons);
        this.statuses = List.copyOf(builder.statuses);
        this.merchants = unmodifiable(builder.merchants);
        this.keys = unmodifiable(builder.keys);
        this.from = builder.from;
        this.to = builder.to;
        this.partitions = unmodifiable(builder.partitions);
        this.offsets = builder.offsets;
        this.maxReplays = builder.maxReplays;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every record, refusing those replayed {@link #DEFAULT_MAX_REPLAYS} times. */
    public static ReplaySelection all() {
        return builder().build();
    }

    /** What to do with {@code record}. */
    public Decision decide(DeadLetterRecord record) {
        if (!matches(record)) {
            return Decision.SKIP;
        }
        return record.replayCount() >= maxReplays ? Decision.REFUSE : Decision.REPLAY;
    }

    /** True when {@code record} passes every filter (regardless of its replay count). */
    public boolean matches(DeadLetterRecord record) {
        return (partitions.isEmpty() || partitions.contains(record.partition()))
                && (offsets == null || offsets.contains(record.offset()))
                && (from == null || !record.deadLetteredAt().isBefore(from))
                && (to == null || record.deadLetteredAt().isBefore(to))
                && anyOf(reasons, record.reason())
                && (statuses.isEmpty() || statuses.stream().anyMatch(pattern -> pattern.matches(record.httpStatus())))
                && anyOf(merchants, record.merchantId())
                && anyOf(keys, record.keyText());
    }

    /** True when no values were given, or {@code value} (null: the record lacks it) is one of them. */
    private static boolean anyOf(SortedSet<String> values, String value) {
        return values.isEmpty() || (value != null && values.contains(value));
    }

    /** The partitions named by {@code --partition}; empty means all. */
    public SortedSet<Integer> partitions() {
        return partitions;
    }

    /** The {@code --offsets} range, if any. */
    public Optional<OffsetRange> offsets() {
        return Optional.ofNullable(offsets);
    }

    /** The {@code --from} instant (inclusive), if any. */
    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    public int maxReplays() {
        return maxReplays;
    }

    /**
     * The filters in one canonical line, e.g. {@code reason=RETRIES_EXHAUSTED http-status=5xx max-replays=3}.
     * Equal selections give equal lines whatever order the operator typed the values in.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        add(parts, "reason", reasons);
        add(parts, "http-status", statuses.stream().map(HttpStatusPattern::toString).sorted().toList());
        add(parts, "merchant", merchants);
        add(parts, "key", keys);
        if (from != null) {
            parts.add("from=" + from);
        }
        if (to != null) {
            parts.add("to=" + to);
        }
        add(parts, "partition", partitions.stream().map(String::valueOf).toList());
        if (offsets != null) {
            parts.add("offsets=" + offsets);
        }
        parts.add("max-replays=" + maxReplays);
        return String.join(" ", parts);
    }

    /**
     * A short hash of {@link #describe()} plus the topics, kept with a replay's progress so that resuming it with
     * other filters or topics is refused.
     */
    public String fingerprint(String deadLetterTopic, String targetTopic) {
        String canonical = describe() + "\n" + deadLetterTopic + "\n" + targetTopic;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private static void add(List<String> parts, String name, Collection<String> values) {
        if (!values.isEmpty()) {
            parts.add(name + "=" + String.join(",", values));
        }
    }

    private static <T> SortedSet<T> unmodifiable(SortedSet<T> set) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(set));
    }

    /**
     * Collects the operator's filter text (each list as typed, values may also be comma separated) and validates
     * it all at {@link #build()}.
     */
    public static final class Builder {
        private static final String KNOWN_REASONS = Arrays.stream(DeadLetterReason.values())
                .map(Enum::name).collect(Collectors.joining(", "));

        private final List<String> problems = new ArrayList<>();
        private final SortedSet<String> reasons = new TreeSet<>();
        private final List<HttpStatusPattern> statuses = new ArrayList<>();
        private final SortedSet<String> merchants = new TreeSet<>();
        private final SortedSet<String> keys = new TreeSet<>();
        private final SortedSet<Integer> partitions = new TreeSet<>();
        private Instant from;
        private Instant to;
        private OffsetRange offsets;
        private int maxReplays = DEFAULT_MAX_REPLAYS;

        private Builder() {
        }

        /** {@code --reason}: reason names ({@code RETRIES_EXHAUSTED}, {@code auth_failed}, ...). */
        public Builder reasons(List<String> values) {
            for (String value : tokens("--reason", values)) {
                String name = value.toUpperCase(Locale.ROOT);
                if (Arrays.stream(DeadLetterReason.values()).anyMatch(reason -> reason.name().equals(name))) {
                    reasons.add(name);
                } else {
                    problems.add("--reason '" + value + "': unknown reason; use one of " + KNOWN_REASONS);
                }
            }
            return this;
        }

        /** {@code --http-status}: {@code 503}, {@code 5xx}, {@code none}. */
        public Builder httpStatuses(List<String> values) {
            for (String value : tokens("--http-status", values)) {
                HttpStatusPattern.parse(value).ifPresentOrElse(statuses::add, () -> problems.add("--http-status '"
                        + value + "': expected a status such as 503, a class such as 5xx, or none"));
            }
            return this;
        }

        /** {@code --merchant}: merchant ids as in {@code dlt.merchant.id}. */
        public Builder merchants(List<String> values) {
            merchants.addAll(tokens("--merchant", values));
            return this;
        }

        /** {@code --key}: record keys (subscription ids). */
        public Builder keys(List<String> values) {
            keys.addAll(tokens("--key", values));
            return this;
        }

        /** {@code --from}: dead-lettered at or after this instant. */
        public Builder from(String value) {
            this.from = value == null ? null : instant("--from", value);
            return this;
        }

        /** {@code --to}: dead-lettered before this instant. */
        public Builder to(String value) {
            this.to = value == null ? null : instant("--to", value);
            return this;
        }

        /** {@code --partition}: dead-letter topic partitions. */
        public Builder partitions(List<String> values) {
            for (String value : tokens("--partition", values)) {
                if (value.matches("\\d{1,9}")) {
                    partitions.add(Integer.parseInt(value));
                } else {
                    problems.add("--partition '" + value + "': expected a partition number such as 0");
                }
            }
            return this;
        }

        /** {@code --offsets}: {@code 100-200} (inclusive), {@code 100-} or {@code 150}. */
        public Builder offsets(String value) {
            if (value == null) {
                this.offsets = null;
                return this;
            }
            try {
                this.offsets = OffsetRange.parse(value).orElse(null);
                if (offsets == null) {
                    problems.add("--offsets '" + value + "': expected FIRST-LAST (inclusive), FIRST- or one offset,"
                            + " e.g. 100-200");
                }
            } catch (IllegalArgumentException e) {
                problems.add("--offsets '" + value + "': " + e.getMessage());
            }
            return this;
        }

        /** {@code --max-replays}: refuse records already replayed this many times. */
        public Builder maxReplays(int value) {
            if (value < 1) {
                problems.add("--max-replays " + value + ": must be at least 1");
            }
            this.maxReplays = value;
            return this;
        }

        /**
         * The validated selection.
         *
         * @throws BadReplayRequestException listing every problem
         */
        public ReplaySelection build() {
            List<String> all = new ArrayList<>(problems);
            if (from != null && to != null && !from.isBefore(to)) {
                all.add("--from " + from + " must be before --to " + to);
            }
            if (offsets != null && partitions.size() != 1) {
                all.add("--offsets needs exactly one --partition (offsets are numbered per partition)");
            }
            if (!all.isEmpty()) {
                throw new BadReplayRequestException(all);
            }
            return new ReplaySelection(this);
        }

        private List<String> tokens(String option, List<String> values) {
            List<String> tokens = new ArrayList<>();
            for (String value : Objects.requireNonNullElse(values, List.<String>of())) {
                for (String token : value.split(",", -1)) {
                    String trimmed = token.trim();
                    if (trimmed.isEmpty()) {
                        problems.add(option + " '" + value + "': empty value");
                    } else {
                        tokens.add(trimmed);
                    }
                }
            }
            return tokens;
        }

        private Instant instant(String option, String value) {
            String text = value.trim();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notDateTime) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    String hint = text.matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+")
                            ? "add a time zone, e.g. " + text + "Z for UTC"
                            : "expected an ISO-8601 time with a zone, e.g. 2026-11-23T10:00Z, or a date (UTC midnight)";
                    problems.add(option + " '" + value + "': " + hint);
                    return null;
                }
            }
        }
    }
}
