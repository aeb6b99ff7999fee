package io.billingworker.intake;

import java.time.Duration;
import java.util.Objects;

/**
 * How the consumer loop runs.
 *
 * @param inputTopic         topic of signup events
 * @param maxInFlight        records processed at once across all keys
 * @param maxBuffered        records fetched and not yet finished before fetching pauses
 * @param commitInterval     how often offsets (or, exactly-once, transactions) are committed
 * @param pollTimeout        longest single poll
 * @param rebalanceDrain     how long a revocation waits for the revoked partitions' calls in flight
 * @param shutdownGrace      how long a shutdown waits for calls in flight
 * @param maxHold            how long a record may be in processing before a wait gives up and dead-letters it
 *                           ({@code HELD_TOO_LONG}); {@link Duration#ZERO} for no bound
 * @param offsetMetadataMaxBytes longest offset-commit metadata (finished offsets above the position); at most the
 *                           broker's {@code offset.metadata.max.bytes}
 */
public record IntakeSettings(
        String inputTopic,
        int maxInFlight,
        int maxBuffered,
        Duration commitInterval,
        Duration pollTimeout,
        Duration rebalanceDrain,
        Duration shutdownGrace,
        Duration maxHold,
        int offsetMetadataMaxBytes) {

    public IntakeSettings {
        Objects.requireNonNull(inputTopic, "inputTopic");
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(rebalanceDrain, "rebalanceDrain");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(maxHold, "maxHold");
        if (offsetMetadataMaxBytes < 0) {
            throw new IllegalArgumentException("offsetMetadataMaxBytes must not be negative, was "
                    + offsetMetadataMaxBytes);
        }
        if (maxHold.isNegative()) {
            throw new IllegalArgumentException("maxHold must not be negative, was " + maxHold);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
        if (maxBuffered < maxInFlight) {
            throw new IllegalArgumentException(
                    "maxBuffered must be at least maxInFlight (" + maxInFlight + "), was " + maxBuffered);
        }
    }
}
