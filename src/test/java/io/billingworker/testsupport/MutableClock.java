package io.billingworker.testsupport;

import io.billingworker.sessionapi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** A UTC clock tests move by hand, and a sleeper that moves it instead of waiting, so time costs no wall time. */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    /** Sleeps by advancing this clock, recording each sleep. */
    public Sleeper sleeper() {
        return duration -> {
            sleeps.add(duration);
            advance(duration);
        };
    }

    /** The sleeps of {@link #sleeper()}, in order. */
    public List<Duration> sleeps() {
        return sleeps;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Zones are ignored: the clock stays in UTC (java.time callers may ask for another zone). */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
