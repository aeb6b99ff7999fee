package io.billingworker.replay;

import io.billingworker.sessionapi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Paces a replay: {@link #acquire()} returns at most once per {@link Rate#interval()}, sleeping as needed. No
 * bursts: time not used (a slow broker, a pause) is not saved up. Time and sleeping are injected.
 */
public final class RateLimiter {

    private final Duration interval;
    private final Clock clock;
    private final Sleeper sleeper;
    private Instant next;

    public RateLimiter(Rate rate, Clock clock, Sleeper sleeper) {
        this.interval = Objects.requireNonNull(rate, "rate").interval();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Waits for the next permit. */
    public void acquire() throws InterruptedException {
        if (interval.isZero()) {
            return;
        }
        Instant now = clock.instant();
        if (next != null && now.isBefore(next)) {
            sleeper.sleep(Duration.between(now, next));
            now = clock.instant();
        }
        Instant base = next == null || now.isAfter(next) ? now : next;
        next = base.plus(interval);
    }
}
