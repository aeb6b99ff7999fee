package io.billingworker.replay;

import io.billingworker.testsupport.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

/**
 * A fresh dead-letter topic and target topic on the shared test broker, records written into the dead-letter topic
 * exactly as the worker writes them, and replays run against them.
 */
final class DltFixture {

    final KafkaFixture kafka = KafkaFixture.shared();
    final String deadLetterTopic;
    final String targetTopic = KafkaFixture.newTopicName("signups");

    /** A new dead-letter topic with this many partitions, and a new target topic. */
    DltFixture(int dltPartitions) {
        this.deadLetterTopic = KafkaFixture.newTopicName("dlt");
        kafka.createTopics(dltPartitions, deadLetterTopic);
        kafka.createTopics(1, targetTopic);
    }

    /** An existing dead-letter topic and a new target topic. */
    DltFixture(String existingDeadLetterTopic) {
        this.deadLetterTopic = existingDeadLetterTopic;
        kafka.createTopics(1, targetTopic);
    }

    /** Writes {@code specs} to one partition in order and waits for the acknowledgements. */
    void write(int partition, DeadLetters.Spec... specs) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProps())) {
            for (DeadLetters.Spec spec : specs) {
                producer.send(DeadLetters.producerRecord(deadLetterTopic, partition, spec)).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    KafkaSettings settings() {
        return KafkaSettings.of(kafka.bootstrapServers());
    }

    ReplayJob.Request request(ReplaySelection selection, String name) {
        return new ReplayJob.Request(settings(), deadLetterTopic, targetTopic, selection, name, false, Long.MAX_VALUE,
                Rate.UNLIMITED, Duration.ofSeconds(15));
    }

    ReplayResult replay(ReplayJob.Request request) {
        return replay(request, ReplayListener.NONE, new StopSignal());
    }

    ReplayResult replay(ReplayJob.Request request, ReplayListener listener, StopSignal stop) {
        try (ReplayJob job = ReplayJob.open(request, Clock.systemUTC())) {
            return job.run(listener, stop);
        }
    }

    /** Everything now on the target topic. */
    List<ConsumerRecord<byte[], byte[]>> target(int expected) {
        return kafka.consumeAll(targetTopic, expected, Duration.ofSeconds(expected == 0 ? 2 : 15));
    }

    /** The keys on the target topic, in order; fails when it holds more records than {@code expected}. */
    List<String> targetKeys(int expected) {
        long count = recordCount(targetTopic);
        if (count > expected) {
            throw new AssertionError(targetTopic + " holds " + count + " records, expected " + expected);
        }
        return target(expected).stream().map(record -> new String(record.key(), StandardCharsets.UTF_8)).toList();
    }

    /** The number of records in a topic: the sum of its partitions' end offsets minus start offsets. */
    long recordCount(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumerProps("count-" + topic))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
            return partitions.stream().mapToLong(partition -> ends.get(partition) - starts.get(partition)).sum();
        }
    }

    List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected) {
        return kafka.consumeAll(deadLetterTopic, expected, Duration.ofSeconds(expected == 0 ? 2 : 15));
    }

    /** The committed offsets of a consumer group (empty when it does not exist). */
    Map<TopicPartition, OffsetAndMetadata> committed(String groupId) {
        try (Admin admin = kafka.adminClient()) {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
