package io.billingworker.replay;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Checks, before anything is read, that the broker answers and the topics exist; errors say what to fix. */
final class KafkaTopics {

    private KafkaTopics() {
    }

    /**
     * The partition count of each topic.
     *
     * @param topics topic name to what it is for the operator, e.g. "dead-letter topic (topics.dead-letter)"
     * @throws ReplayException {@link ReplayException.Kind#UNAVAILABLE} when the broker does not answer within
     *         {@code timeout}, a topic does not exist, or access is denied
     */
    static Map<String, Integer> partitionCounts(KafkaSettings kafka, Map<String, String> topics, Duration timeout) {
        Admin admin;
        try {
            admin = Admin.create(kafka.adminProps("billing-replay-admin"));
        } catch (KafkaException e) {
            throw new ReplayException(ReplayException.Kind.UNAVAILABLE, "cannot connect to Kafka at "
                    + kafka.bootstrapServers() + ": " + rootMessage(e)
                    + " (check kafka.bootstrap.servers or --bootstrap-servers)", e);
        }
        try {
            awaitCluster(admin, kafka, timeout);
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Map.Entry<String, String> topic : topics.entrySet()) {
                counts.put(topic.getKey(), partitionCount(admin, kafka, topic.getKey(), topic.getValue(), timeout));
            }
            return counts;
        } finally {
            admin.close(Duration.ofSeconds(2));
        }
    }

    private static void awaitCluster(Admin admin, KafkaSettings kafka, Duration timeout) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).nodes()
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException(ReplayException.Kind.UNAVAILABLE, "interrupted while connecting to Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ReplayException(ReplayException.Kind.UNAVAILABLE, "cannot reach Kafka at "
                    + kafka.bootstrapServers() + " within " + timeout.toSeconds() + " s: " + rootMessage(e)
                    + " (check kafka.bootstrap.servers or --bootstrap-servers, and that the broker is up)", e);
        }
    }

    private static int partitionCount(Admin admin, KafkaSettings kafka, String topic, String role, Duration timeout) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic),
                            new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .topicNameValues().get(topic).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return description.partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException(ReplayException.Kind.UNAVAILABLE, "interrupted while describing " + topic, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new ReplayException(ReplayException.Kind.UNAVAILABLE, "the " + role + " '" + topic
                        + "' does not exist on " + kafka.bootstrapServers(), e);
            }
            if (e.getCause() instanceof AuthorizationException) {
                throw new ReplayException(ReplayException.Kind.UNAVAILABLE, "not authorized to describe the " + role
                        + " '" + topic + "': " + rootMessage(e), e);
            }
            throw new ReplayException(ReplayException.Kind.UNAVAILABLE, "cannot describe the " + role + " '" + topic
                    + "': " + rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new ReplayException(ReplayException.Kind.UNAVAILABLE, "no answer describing the " + role + " '"
                    + topic + "' within " + timeout.toSeconds() + " s", e);
        }
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
