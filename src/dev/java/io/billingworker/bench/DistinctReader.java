package io.billingworker.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a design's output topics from the beginning (every partition, no consumer group) on its own thread, credits
 * each record to an input id {@code 0..expected-1} (given by {@code idOf}, -1 for a record that is not ours), and
 * keeps the first record's timestamp of every distinct id. The moment the first and the last distinct id arrive, it
 * runs {@code onFirst} and {@code onComplete} on its thread, so the caller can sample the processes' CPU right then.
 */
final class DistinctReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final int expected;
    private final ToLongFunction<byte[]> idOf;
    private final List<String> topics;
    private final Runnable onFirst;
    private final Runnable onComplete;
    private final BitSet seen;
    private final long[] firstTimestamps;
    private final Map<String, Long> perTopic = new HashMap<>();
    private final CountDownLatch complete = new CountDownLatch(1);
    private final Thread thread;
    private volatile int distinct;
    private volatile long records;
    private volatile long duplicates;
    private volatile long foreign;
    private volatile Map<TopicPartition, Long> drainTo;
    private final CountDownLatch drained = new CountDownLatch(1);
    private volatile boolean stop;

    DistinctReader(String bootstrapServers, List<String> topics, int expected, ToLongFunction<byte[]> idOf,
            Runnable onFirst, Runnable onComplete) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-versus-reader");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topics = List.copyOf(topics);
        this.expected = expected;
        this.idOf = idOf;
        this.onFirst = onFirst;
        this.onComplete = onComplete;
        this.seen = new BitSet(expected);
        this.firstTimestamps = new long[expected];
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "bench-versus-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until every id was seen; false on timeout. */
    boolean awaitComplete(Duration timeout) throws InterruptedException {
        return complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isComplete() {
        return complete.getCount() == 0;
    }

    /** Reads on until this reader's position reaches {@code endOffsets} (the topics' ends now); false on timeout. */
    boolean drainTo(Map<TopicPartition, Long> endOffsets, Duration timeout) throws InterruptedException {
        drainTo = Map.copyOf(endOffsets);
        return drained.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<String> topics() {
        return topics;
    }

    int distinct() {
        return distinct;
    }

    long records() {
        return records;
    }

    /** Records whose id had been seen before (every event must end with exactly one outcome). */
    long duplicates() {
        return duplicates;
    }

    /** Records that carried no id of this run. */
    long foreign() {
        return foreign;
    }

    /** Records read per topic. */
    synchronized Map<String, Long> perTopic() {
        return Map.copyOf(perTopic);
    }

    /** The first timestamps of the distinct ids, sorted (call after completion or close). */
    synchronized long[] sortedTimestamps() {
        long[] sorted = Arrays.copyOf(firstTimestamps, distinct);
        Arrays.sort(sorted);
        return sorted;
    }

    private void run() {
        try {
            while (!stop) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    credit(record);
                }
                Map<TopicPartition, Long> target = drainTo;
                if (target != null && drained.getCount() > 0 && reached(target)) {
                    drained.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean reached(Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> end : target.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void credit(ConsumerRecord<byte[], byte[]> record) {
        long id = idOf.applyAsLong(record.value());
        synchronized (this) {
            records++;
            perTopic.merge(record.topic(), 1L, Long::sum);
            if (id < 0 || id >= expected) {
                foreign++;
                return;
            }
            if (seen.get((int) id)) {
                duplicates++;
                return;
            }
            seen.set((int) id);
            firstTimestamps[distinct] = record.timestamp();
            distinct++;
        }
        if (distinct == 1) {
            onFirst.run();
        }
        if (distinct == expected) {
            onComplete.run();
            complete.countDown();
        }
    }

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

    /** The input id of a Parallel Consumer output record: the number of its leading {@code {"in_id":N,...}}. */
    static long jsonInId(byte[] value) {
        if (value == null || value.length < 3 || value[0] != '{') {
            return -1;
        }
        int position = 0;
        while (position < value.length && value[position] != ':') {
            position++;
        }
        position++;
        while (position < value.length && value[position] == ' ') {
            position++;
        }
        long id = 0;
        int digits = 0;
        while (position < value.length && value[position] >= '0' && value[position] <= '9') {
            id = id * 10 + (value[position++] - '0');
            if (++digits > 10) {
                return -1;
            }
        }
        return digits == 0 ? -1 : id;
    }
}
