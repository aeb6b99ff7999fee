package io.billingworker.replay;

import io.billingworker.sessionapi.Sleeper;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks a running replay to stop after the record in hand (Ctrl-C, SIGTERM, a test). Its {@link #sleeper()} wakes up
 * as soon as a stop is requested, so a slow {@code --rate} never delays stopping.
 */
public final class StopSignal {

    private final CountDownLatch requested = new CountDownLatch(1);

    public void request() {
        requested.countDown();
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Sleeps for the duration or until a stop is requested, whichever is first. */
    public Sleeper sleeper() {
        return duration -> requested.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A sleeper that never sleeps, for dry runs. */
    static Sleeper noSleep() {
        return (Duration duration) -> {
        };
    }
}
