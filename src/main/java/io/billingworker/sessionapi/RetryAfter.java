package io.billingworker.sessionapi;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses an HTTP {@code Retry-After} value: delay seconds or an HTTP-date (RFC 9110 section 10.2.3). */
final class RetryAfter {

    private static final long MAX_SECONDS = 86_400;

    private RetryAfter() {
    }

    /**
     * The wait the server asked for, or {@code null} when the header is absent or unreadable.
     * A date in the past gives {@link Duration#ZERO}; longer than a day is cut to a day (the gateway caps
     * it much lower).
     */
    static Duration parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            if (value.length() > 9) {
                return Duration.ofSeconds(MAX_SECONDS);
            }
            return Duration.ofSeconds(Math.min(Long.parseLong(value), MAX_SECONDS));
        }
        try {
            ZonedDateTime date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), date.toInstant());
            if (wait.isNegative()) {
                return Duration.ZERO;
            }
            return wait.compareTo(Duration.ofSeconds(MAX_SECONDS)) > 0 ? Duration.ofSeconds(MAX_SECONDS) : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
