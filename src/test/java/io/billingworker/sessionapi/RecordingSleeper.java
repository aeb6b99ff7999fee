package io.billingworker.sessionapi;

import io.billingworker.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every wait and moves the clock instead of sleeping. */
final class RecordingSleeper implements Sleeper {

    private final MutableClock clock;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        clock.advance(duration);
    }

    List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
