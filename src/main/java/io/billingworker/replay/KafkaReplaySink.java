package io.billingworker.replay;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;

/** Re-publishes records with an idempotent producer and reports the first failed acknowledgement at flush. */
final class KafkaReplaySink implements ReplaySink, AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final String targetTopic;
    private final AtomicReference<Exception> firstError = new AtomicReference<>();

    KafkaReplaySink(Producer<byte[], byte[]> producer, String targetTopic) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.targetTopic = Objects.requireNonNull(targetTopic, "targetTopic");
    }

    @Override
    public void send(DeadLetterRecord record) {
        try {
            producer.send(ReplayRecords.toProducerRecord(record, targetTopic), (metadata, error) -> {
                if (error != null) {
                    firstError.compareAndSet(null, error);
                }
            });
        } catch (KafkaException e) {
            throw new ReplayFailedException("cannot send " + record.position() + " to " + targetTopic + ": " + e, e);
        }
    }

    @Override
    public void flush() throws InterruptedException {
        try {
            producer.flush();
        } catch (InterruptException e) {
            throw new InterruptedException("interrupted while flushing replayed records");
        }
        Exception error = firstError.get();
        if (error != null) {
            throw new ReplayFailedException("the broker did not acknowledge a replayed record on " + targetTopic
                    + ": " + error, error);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
