package io.billingworker.sessionapi;

import java.time.Duration;

/** Waits between attempts; injected so retry tests take no wall time. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(Duration)}: cheap on a virtual thread. */
    static Sleeper threadSleep() {
        return Thread::sleep;
    }
}
