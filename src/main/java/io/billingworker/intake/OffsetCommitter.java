package io.billingworker.intake;

import io.billingworker.outcome.KafkaOutcomePublisher;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Commits consumed positions: with the consumer (at-least-once) or inside the outcome transaction (exactly-once). */
interface OffsetCommitter {

    /**
     * Commits {@code offsets}; {@code sync} when the caller needs it done before continuing (revocation, shutdown).
     * Called on the polling thread only. {@code onSuccess} runs once the commit succeeded.
     */
    void commit(Map<TopicPartition, OffsetAndMetadata> offsets, boolean sync, Runnable onSuccess);

    /** At-least-once: the consumer's own offset commits; outcomes were acknowledged before their offsets move. */
    static OffsetCommitter consumer(Consumer<?, ?> consumer) {
        Logger log = LoggerFactory.getLogger(OffsetCommitter.class);
        return (offsets, sync, onSuccess) -> {
            if (offsets.isEmpty()) {
                return;
            }
            if (sync) {
                consumer.commitSync(offsets);
                onSuccess.run();
            } else {
                consumer.commitAsync(offsets, (committed, error) -> {
                    if (error != null) {
                        log.warn("offset commit failed, the next commit retries: {}", error.toString());
                    } else {
                        onSuccess.run();
                    }
                });
            }
        };
    }

    /** Exactly-once: offsets go into the producer's transaction with the outcomes; always synchronous. */
    static OffsetCommitter transactional(Consumer<?, ?> consumer, KafkaOutcomePublisher publisher) {
        return (offsets, sync, onSuccess) -> {
            publisher.commitTransaction(offsets, consumer.groupMetadata());
            onSuccess.run();
        };
    }
}
