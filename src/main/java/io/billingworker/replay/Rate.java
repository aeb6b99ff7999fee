package io.billingworker.replay;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast a replay re-publishes: {@code --rate 50/s}, {@code 600/m}, or {@code unlimited}. Kept as the interval
 * between two records; {@link Duration#ZERO} means unlimited.
 */
public record Rate(long permits, Duration per) {

    /** The default {@code --rate}. */
    public static final Rate DEFAULT = new Rate(50, Duration.ofSeconds(1));
    /** No pacing. */
    public static final Rate UNLIMITED = new Rate(0, Duration.ZERO);

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*(?:/\\s*(s|sec|second|m|min|minute))?");

    /**
     * Parses {@code 50}, {@code 50/s}, {@code 600/m} or {@code unlimited}.
     *
     * @throws BadReplayRequestException naming the bad value
     */
    public static Rate parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("unlimited")) {
            return UNLIMITED;
        }
        Matcher matcher = FORM.matcher(value);
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new BadReplayRequestException(List.of("--rate '" + text
                    + "': expected records per second or minute, e.g. 50/s or 600/m, or unlimited"));
        }
        String unit = matcher.group(2);
        Duration per = unit == null || unit.startsWith("s") ? Duration.ofSeconds(1) : Duration.ofMinutes(1);
        return new Rate(Long.parseLong(matcher.group(1)), per);
    }

    public boolean unlimited() {
        return permits == 0;
    }

    /** The pause between two records. */
    public Duration interval() {
        return unlimited() ? Duration.ZERO : per.dividedBy(permits);
    }

    @Override
    public String toString() {
        return unlimited() ? "unlimited" : permits + (per.equals(Duration.ofSeconds(1)) ? "/s" : "/m");
    }
}
