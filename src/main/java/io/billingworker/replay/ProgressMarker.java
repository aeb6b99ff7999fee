package io.billingworker.replay;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a replay keeps with each committed offset of its consumer group (the offset metadata): the end offset it
 * captured when it started, and the fingerprint and text of its filters. A resumed replay reads up to the same end
 * (so records that failed again during the first run are not replayed by the second) and refuses other filters.
 *
 * <p>Written as {@code billing-replay/1 end=57 sel=3fa2c1d09b7e filters=reason=RETRIES_EXHAUSTED max-replays=3}.
 */
public record ProgressMarker(long end, String fingerprint, String filters) {

    private static final String VERSION = "billing-replay/1";
    private static final int MAX_FILTER_TEXT = 2_000;
    private static final Pattern FORM = Pattern.compile(
            Pattern.quote(VERSION) + " end=(\\d+) sel=([0-9a-f]+)(?: filters=(.*))?", Pattern.DOTALL);

    /** The offset metadata text. */
    public String encode() {
        String text = filters.length() > MAX_FILTER_TEXT ? filters.substring(0, MAX_FILTER_TEXT - 1) + "…" : filters;
        return VERSION + " end=" + end + " sel=" + fingerprint + " filters=" + text;
    }

    /** Reads offset metadata; empty when it was not written by a replay. */
    public static Optional<ProgressMarker> decode(String metadata) {
        if (metadata == null) {
            return Optional.empty();
        }
        Matcher matcher = FORM.matcher(metadata);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String filters = matcher.group(3) == null ? "" : matcher.group(3);
        return Optional.of(new ProgressMarker(Long.parseLong(matcher.group(1)), matcher.group(2), filters));
    }
}
