package io.billingworker.replay;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An inclusive range of offsets from {@code --offsets}: {@code 100-200}, {@code 100-} (to the end) or {@code 150}. */
public record OffsetRange(long first, long last) {

    /** {@link #last()} of an open range. */
    public static final long OPEN = Long.MAX_VALUE;

    private static final Pattern FORM = Pattern.compile("(\\d{1,18})(?:(-)(\\d{1,18})?)?");

    public OffsetRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("not a range: " + first + "-" + last);
        }
    }

    /**
     * Parses the operator's text; empty when it has no valid form, and throws {@link IllegalArgumentException}
     * (with a message for the operator) when the first offset is greater than the last.
     */
    public static Optional<OffsetRange> parse(String text) {
        Matcher matcher = FORM.matcher(text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long first = Long.parseLong(matcher.group(1));
        long last;
        if (matcher.group(2) == null) {
            last = first;
        } else if (matcher.group(3) == null) {
            last = OPEN;
        } else {
            last = Long.parseLong(matcher.group(3));
        }
        if (last < first) {
            throw new IllegalArgumentException("the first offset must not be greater than the last");
        }
        return Optional.of(new OffsetRange(first, last));
    }

    public boolean contains(long offset) {
        return offset >= first && offset <= last;
    }

    /** The exclusive end of the range, {@link #OPEN} when open. */
    public long endExclusive() {
        return last == OPEN ? OPEN : last + 1;
    }

    @Override
    public String toString() {
        if (first == last) {
            return Long.toString(first);
        }
        return first + "-" + (last == OPEN ? "" : Long.toString(last));
    }
}
