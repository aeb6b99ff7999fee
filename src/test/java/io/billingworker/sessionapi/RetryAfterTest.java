package io.billingworker.sessionapi;

import io.billingworker.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-11-23T10:00:00Z"));

    @ParameterizedTest(name = "{0} -> {1} s")
    @CsvSource(delimiter = '|', value = {
        "' 120 '                         | 120", // delay-seconds, padded
        "0                               | 0",
        "Sun, 23 Nov 2025 10:01:30 GMT   | 90", // HTTP-date, relative to the clock
        "Sun, 23 Nov 2025 09:00:00 GMT   | 0", // HTTP-date in the past
    })
    void shouldParseDelaySecondsAndHttpDates(String header, long expectedSeconds) {
        Duration wait = RetryAfter.parse(header, clock);

        assertThat(wait).isEqualTo(Duration.ofSeconds(expectedSeconds));
    }

    @Test
    void shouldCutHugeDelaysToOneDay() {
        Duration seconds = RetryAfter.parse("99999999999999", clock);
        Duration date = RetryAfter.parse("Fri, 01 Jan 2100 00:00:00 GMT", clock);

        assertThat(seconds).isEqualTo(Duration.ofDays(1));
        assertThat(date).isEqualTo(Duration.ofDays(1));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"soon", "-5", "1.5", "2025-11-23T10:01:30Z"})
    void shouldIgnoreAbsentOrUnreadableValues(String header) {
        Duration wait = RetryAfter.parse(header, clock);

        assertThat(wait).isNull();
    }
}
