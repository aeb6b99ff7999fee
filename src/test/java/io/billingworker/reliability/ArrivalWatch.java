package io.billingworker.reliability;

import io.billingworker.config.WorkerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tails the outbound topics while a scenario runs and notes the wall-clock time each outcome became readable. Record
 * timestamps would not do: the producer stamps a record when it is sent, so an outcome held back by an unwritable
 * topic or a dead broker would look as if it had landed on time.
 */
final class ArrivalWatch implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Long> arrivals = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    ArrivalWatch(String bootstrapServers, WorkerConfig.Topics topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = OutcomeLedger.partitionsOf(consumer, topics);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = Thread.ofPlatform().name("arrival-watch").daemon().start(this::tail);
    }

    private void tail() {
        try {
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    synchronized (arrivals) {
                        arrivals.add(now);
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Wall-clock times (epoch ms) at which outcomes became readable, in order. */
    List<Long> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
