package io.billingworker.bench;

import io.billingworker.config.WorkerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the three outcome topics as a downstream {@code read_committed} consumer would, and credits each outcome to
 * its event in its {@link Batch}. Runs on its own thread until {@link #close()}.
 *
 * <p>In low-latency mode it polls continuously, so an outcome's visibility time is accurate to a fetch round trip
 * (latency measurements). Otherwise it polls every 200 ms: a throughput measurement only needs the worker's decision
 * time, which the record carries, and a consumer fetching a few records at a time would take CPU from the worker it
 * measures on a machine with two cores.
 */
final class OutcomeReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Batch.Kind> kinds = new HashMap<>();
    private final Map<Integer, Batch> batches = new ConcurrentHashMap<>();
    private final AtomicLong foreign = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;
    private volatile boolean lowLatency;

    OutcomeReader(String bootstrapServers, WorkerConfig.Topics topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-outcome-reader");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        kinds.put(topics.created(), Batch.Kind.CREATED);
        kinds.put(topics.failed(), Batch.Kind.FAILED);
        kinds.put(topics.deadLetter(), Batch.Kind.DEAD_LETTER);
        List<TopicPartition> partitions = kinds.keySet().stream().map(topic -> new TopicPartition(topic, 0)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "bench-outcome-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts crediting outcomes whose event ids carry this batch's number. */
    void track(Batch batch) {
        batches.put(batch.id(), Objects.requireNonNull(batch, "batch"));
    }

    /** Polls continuously (true) or every 200 ms (false, the default). */
    void lowLatency(boolean on) {
        lowLatency = on;
    }

    /** Outcomes whose event id belongs to no tracked batch. */
    long foreign() {
        return foreign.get();
    }

    private void run() {
        try {
            while (!stop) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    credit(record, now);
                }
                if (!lowLatency && !stop) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void credit(ConsumerRecord<byte[], byte[]> record, long now) {
        long id = EventIds.parse(record.value());
        Batch batch = id < 0 ? null : batches.get((int) (id >>> 32));
        if (batch == null) {
            foreign.incrementAndGet();
            return;
        }
        batch.outcome((int) id, kinds.get(record.topic()), record.timestamp(), now);
    }

    /** Stops reading and waits for the reader thread. */
    @Override
    public void close() {
        stop = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
