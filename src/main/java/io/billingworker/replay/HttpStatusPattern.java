package io.billingworker.replay;

import java.util.Locale;
import java.util.Optional;

/**
 * One {@code --http-status} token: an exact status ({@code 503}), a class ({@code 5xx}), or {@code none} for
 * records that carry no HTTP status (decode failures, connection errors).
 */
public record HttpStatusPattern(int low, int high, boolean none) {

    /** Parses one token; empty when it is none of the three forms. */
    public static Optional<HttpStatusPattern> parse(String token) {
        String text = token.trim().toLowerCase(Locale.ROOT);
        if (text.equals("none")) {
            return Optional.of(new HttpStatusPattern(0, 0, true));
        }
        if (text.matches("[1-5]xx")) {
            int hundreds = (text.charAt(0) - '0') * 100;
            return Optional.of(new HttpStatusPattern(hundreds, hundreds + 99, false));
        }
        if (text.matches("[1-5][0-9][0-9]")) {
            int status = Integer.parseInt(text);
            return Optional.of(new HttpStatusPattern(status, status, false));
        }
        return Optional.empty();
    }

    /** True when a record with this status (null = none) matches. */
    public boolean matches(Integer status) {
        if (none) {
            return status == null;
        }
        return status != null && status >= low && status <= high;
    }

    @Override
    public String toString() {
        if (none) {
            return "none";
        }
        return low == high ? Integer.toString(low) : (low / 100) + "xx";
    }
}
