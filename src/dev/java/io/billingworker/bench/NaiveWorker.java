package io.billingworker.bench;

import io.billingworker.intake.RecordProcessor;
import io.billingworker.outcome.Outcome;
import io.billingworker.outcome.OutcomePublisher;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The design the benchmark compares against: one consumer, one thread per partition, and on that thread one
 * record at a time: a blocking {@code /session} call, then a synchronous produce of its outcome. Its ceiling is
 * partitions / latency events per second. It uses the real worker's record processor (decode, validate, map, call
 * through the same client) and outcome publisher, so only the concurrency design differs.
 *
 * <p>The polling thread hands records to the partition threads' queues, pauses a partition whose queue is long and
 * resumes it when it has drained, and commits each partition's completed position every second.
 */
final class NaiveWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(NaiveWorker.class);
    private static final int PAUSE_AT = 1_000;
    private static final int RESUME_AT = 100;
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    private final Consumer<byte[], byte[]> consumer;
    private final RecordProcessor processor;
    private final OutcomePublisher publisher;
    private final String topic;
    private final Map<TopicPartition, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger buffered = new AtomicInteger();
    private volatile boolean stop;

    NaiveWorker(Consumer<byte[], byte[]> consumer, RecordProcessor processor, OutcomePublisher publisher,
            String topic) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    int inFlight() {
        return inFlight.get();
    }

    int buffered() {
        return buffered.get();
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic), new Rebalance());
        long nextCommit = System.nanoTime() + COMMIT_INTERVAL.toNanos();
        try {
            while (!stop) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Lane lane = lanes.get(new TopicPartition(record.topic(), record.partition()));
                    if (lane != null) {
                        buffered.incrementAndGet();
                        lane.queue.add(record);
                    }
                }
                pauseOrResume();
                if (System.nanoTime() - nextCommit >= 0) {
                    commit();
                    nextCommit = System.nanoTime() + COMMIT_INTERVAL.toNanos();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            lanes.values().forEach(Lane::stop);
            commit();
            consumer.close(Duration.ofSeconds(10));
        }
    }

    void stop() {
        stop = true;
        consumer.wakeup();
    }

    private void pauseOrResume() {
        for (Map.Entry<TopicPartition, Lane> entry : lanes.entrySet()) {
            int queued = entry.getValue().queue.size();
            boolean paused = consumer.paused().contains(entry.getKey());
            if (!paused && queued >= PAUSE_AT) {
                consumer.pause(List.of(entry.getKey()));
            } else if (paused && queued <= RESUME_AT) {
                consumer.resume(List.of(entry.getKey()));
            }
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        lanes.forEach((partition, lane) -> {
            long position = lane.completed.get();
            if (position > lane.committed) {
                offsets.put(partition, new OffsetAndMetadata(position));
                lane.committed = position;
            }
        });
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets);
            } catch (RuntimeException e) {
                LOG.warn("offset commit failed: {}", e.toString());
            }
        }
    }

    /** One partition's queue and the thread that works through it one record at a time. */
    private final class Lane {
        final LinkedBlockingQueue<ConsumerRecord<byte[], byte[]>> queue = new LinkedBlockingQueue<>();
        final AtomicLong completed = new AtomicLong(-1);
        final Thread thread;
        long committed = -1;

        Lane(TopicPartition partition) {
            this.thread = new Thread(this::work, "naive-" + partition);
            thread.start();
        }

        void work() {
            try {
                while (true) {
                    ConsumerRecord<byte[], byte[]> record = queue.take();
                    inFlight.incrementAndGet();
                    try {
                        Outcome outcome = processor.process(record);
                        publisher.publish(record, outcome);
                    } finally {
                        inFlight.decrementAndGet();
                        buffered.decrementAndGet();
                    }
                    completed.set(record.offset() + 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> lanes.computeIfAbsent(partition, Lane::new));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit();
            partitions.forEach(partition -> {
                Lane lane = lanes.remove(partition);
                if (lane != null) {
                    lane.stop();
                }
            });
        }
    }
}
