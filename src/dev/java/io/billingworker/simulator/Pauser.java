package io.billingworker.simulator;

import java.time.Duration;

/** Waits on behalf of a request: latency, scripted delays and hangs. */
@FunctionalInterface
interface Pauser {

    /**
     * Waits {@code duration}, or less when the simulator closes meanwhile.
     *
     * @return true when the full time passed, false when the simulator is closing (or the thread was interrupted)
     */
    boolean pause(Duration duration);
}
