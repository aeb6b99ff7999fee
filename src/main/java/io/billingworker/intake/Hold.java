package io.billingworker.intake;

import java.time.Duration;

/**
 * How a record waits while it cannot go on (its merchant's breaker is open, it is throttled, the schema registry is
 * unreachable, or it backs off between attempts). A wait gives up the record's {@code processing.max-in-flight}
 * permit, so a waiting record never takes a call slot from a record that could make progress, and takes a permit
 * again before it returns.
 *
 * <p>Every record has a hold bound ({@code processing.max-hold-ms}): a wait that reaches it throws
 * {@link HeldTooLongException} instead of returning, and the record is then dead-lettered with reason
 * {@code HELD_TOO_LONG}. The bound counts from the moment the record started processing.
 */
@FunctionalInterface
public interface Hold {

    /**
     * Waits {@code delay} (at least a millisecond), without a concurrency permit.
     *
     * @throws HeldTooLongException when the record's hold bound is reached before or during the wait
     * @throws InterruptedException when the worker is stopping or the partition was revoked
     */
    void await(Duration delay) throws InterruptedException;

    /** A hold without a bound or a permit: a plain sleep, for callers that run records one at a time. */
    static Hold unbounded() {
        return delay -> Thread.sleep(Math.max(1, delay.toMillis()));
    }
}
