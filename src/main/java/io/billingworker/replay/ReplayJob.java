package io.billingworker.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replay (or dry run) against Kafka: {@link #open} checks the broker and topics and works out the plan (fresh,
 * or continuing an earlier run of the same name from its consumer group's committed offsets, up to the end offsets
 * that run captured); {@link #run} replays it. Close it to release the clients.
 */
public final class ReplayJob implements AutoCloseable {

    /** Prefix of a replay's consumer group: {@code billing-replay-<name>}. */
    public static final String GROUP_PREFIX = "billing-replay-";

    private static final Logger log = LoggerFactory.getLogger(ReplayJob.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    /**
     * What to replay.
     *
     * @param name     the replay's name (its consumer group is {@code billing-replay-<name>}); required unless a
     *                 dry run, where it shows what resuming that replay would do
     * @param maxCount at most this many records replayed in this run ({@code Long.MAX_VALUE}: no limit)
     * @param timeout  how long to wait for the broker when starting
     */
    public record Request(KafkaSettings kafka, String deadLetterTopic, String targetTopic, ReplaySelection selection,
            String name, boolean dryRun, long maxCount, Rate rate, Duration timeout) {
        public Request {
            Objects.requireNonNull(kafka, "kafka");
            Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
            Objects.requireNonNull(targetTopic, "targetTopic");
            Objects.requireNonNull(selection, "selection");
            Objects.requireNonNull(rate, "rate");
            Objects.requireNonNull(timeout, "timeout");
            List<String> problems = problems(name, dryRun, maxCount, deadLetterTopic, targetTopic);
            if (!problems.isEmpty()) {
                throw new BadReplayRequestException(problems);
            }
        }

        public String groupId() {
            return name == null ? null : GROUP_PREFIX + name;
        }

        /** What is wrong with these run options, each naming the option; empty when nothing is. */
        public static List<String> problems(String name, boolean dryRun, long maxCount, String deadLetterTopic,
                String targetTopic) {
            List<String> problems = new ArrayList<>();
            if (name == null && !dryRun) {
                problems.add("--name is required for a replay: its progress is kept as consumer group "
                        + GROUP_PREFIX + "<name>, and running it again with the same name resumes where it stopped"
                        + " (e.g. --name incident-4711)");
            }
            if (name != null && !NAME.matcher(name).matches()) {
                problems.add("--name '" + name + "': use 1 to 100 letters, digits, '.', '_' or '-'");
            }
            if (maxCount < 1) {
                problems.add("--max " + maxCount + ": must be at least 1");
            }
            if (deadLetterTopic != null && deadLetterTopic.equals(targetTopic)) {
                problems.add("--target-topic '" + targetTopic + "' is the dead-letter topic itself");
            }
            return problems;
        }
    }

    private final Request request;
    private final Clock clock;
    private final Consumer<byte[], byte[]> consumer;
    private final ReplayPlan plan;
    private final String fingerprint;
    private KafkaProducer<byte[], byte[]> producer;

    private ReplayJob(Request request, Clock clock, Consumer<byte[], byte[]> consumer, ReplayPlan plan,
            String fingerprint) {
        this.request = request;
        this.clock = clock;
        this.consumer = consumer;
        this.plan = plan;
        this.fingerprint = fingerprint;
    }

    /**
     * Connects and plans.
     *
     * @throws ReplayException when the broker or a topic is missing, a partition does not exist, the name belongs
     *         to a replay started with other filters, or there is nothing to read
     */
    public static ReplayJob open(Request request, Clock clock) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(clock, "clock");
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(request.deadLetterTopic(), "dead-letter topic (topics.dead-letter or --dlt-topic)");
        topics.put(request.targetTopic(), "target topic (topics.input or --target-topic)");
        int partitionCount = KafkaTopics.partitionCounts(request.kafka(), topics, request.timeout())
                .get(request.deadLetterTopic());
        List<TopicPartition> partitions = selectedPartitions(request, partitionCount);
        String clientId = (request.name() == null ? "billing-replay-dry-run" : request.groupId()) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(request.kafka().consumerProps(request.groupId(),
                clientId));
        try {
            String fingerprint = request.selection().fingerprint(request.deadLetterTopic(), request.targetTopic());
            ReplayPlan plan = plan(request, consumer, partitions, fingerprint);
            return new ReplayJob(request, clock, consumer, plan, fingerprint);
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(2));
            if (e instanceof TimeoutException) {
                throw new ReplayException(ReplayException.Kind.UNAVAILABLE, "no answer from Kafka at "
                        + request.kafka().bootstrapServers() + " within " + request.timeout().toSeconds()
                        + " s while reading offsets of " + request.deadLetterTopic(), e);
            }
            throw e;
        }
    }

    /** What this run reads. */
    public ReplayPlan plan() {
        return plan;
    }

    public Request request() {
        return request;
    }

    /**
     * Replays the plan (a dry run sends and commits nothing).
     *
     * @throws ReplayException {@link ReplayException.Kind#NOTHING_SELECTED} when a new replay found no record
     *         matching its filters
     * @throws ReplayFailedException when it could not go on; the progress committed before stands
     */
    public ReplayResult run(ReplayListener listener, StopSignal stop) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(stop, "stop");
        ReplaySink sink;
        Map<Integer, ProgressMarker> markers = null;
        if (request.dryRun()) {
            sink = new DiscardingSink();
        } else {
            producer = new KafkaProducer<>(request.kafka().producerProps(request.groupId() + "-producer-"
                    + UUID.randomUUID().toString().substring(0, 8)));
            sink = new KafkaReplaySink(producer, request.targetTopic());
            markers = new HashMap<>();
            for (PartitionPlan partition : plan.partitions()) {
                markers.put(partition.partition(), new ProgressMarker(partition.end(), fingerprint,
                        describe(request)));
            }
        }
        DeadLetterSource source = new KafkaDeadLetterSource(consumer, request.deadLetterTopic(), plan, markers);
        RateLimiter limiter = request.dryRun()
                ? new RateLimiter(Rate.UNLIMITED, clock, StopSignal.noSleep())
                : new RateLimiter(request.rate(), clock, stop.sleeper());
        Replayer replayer = new Replayer(source, sink, request.selection(), limiter, listener, stop, clock,
                Replayer.Settings.defaults().withMaxCount(request.maxCount()));
        ReplayResult result = replayer.run(plan);
        if (!plan.resumed() && result.ending() == ReplayResult.Ending.COMPLETED && result.selected() == 0) {
            throw new ReplayException(ReplayException.Kind.NOTHING_SELECTED, "nothing to replay: none of the "
                    + result.skipped() + " records read from " + request.deadLetterTopic() + " (" + plan.describe()
                    + ") matches " + request.selection().describe());
        }
        log.debug("replay {} ended {}: {} replayed", request.name(), result.ending(), result.replayed().total());
        return result;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private static List<TopicPartition> selectedPartitions(Request request, int partitionCount) {
        Set<Integer> wanted = request.selection().partitions();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int partition = 0; partition < partitionCount; partition++) {
            if (wanted.isEmpty() || wanted.contains(partition)) {
                partitions.add(new TopicPartition(request.deadLetterTopic(), partition));
            }
        }
        for (Integer partition : wanted) {
            if (partition >= partitionCount) {
                throw new ReplayException(ReplayException.Kind.BAD_REQUEST, "--partition " + partition + ": "
                        + request.deadLetterTopic() + " has partitions 0-" + (partitionCount - 1));
            }
        }
        return partitions;
    }

    private static ReplayPlan plan(Request request, Consumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions, String fingerprint) {
        Duration timeout = request.timeout();
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, OffsetAndMetadata> committed = request.groupId() == null
                ? Map.of() : consumer.committed(Set.copyOf(partitions), timeout);
        List<PartitionPlan> resumed = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                ProgressMarker marker = checkedMarker(request, partition, offset, fingerprint);
                resumed.add(PartitionPlan.resumed(partition.partition(), offset.offset(), starts.get(partition),
                        marker));
            }
        }
        if (!resumed.isEmpty()) {
            return new ReplayPlan(resumed, true);
        }
        Map<TopicPartition, OffsetAndTimestamp> fromOffsets = Map.of();
        Optional<Instant> from = request.selection().from();
        if (from.isPresent()) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(partition -> query.put(partition, from.get().toEpochMilli()));
            fromOffsets = new HashMap<>(consumer.offsetsForTimes(query, timeout));
        }
        List<PartitionPlan> fresh = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Optional<Long> fromOffset = Optional.empty();
            if (from.isPresent()) {
                OffsetAndTimestamp found = fromOffsets.get(partition);
                fromOffset = Optional.of(found == null ? ends.get(partition) : found.offset());
            }
            fresh.add(PartitionPlan.fresh(partition.partition(), starts.get(partition), ends.get(partition),
                    request.selection().offsets(), fromOffset));
        }
        ReplayPlan plan = new ReplayPlan(fresh, false);
        if (plan.size() == 0) {
            throw new ReplayException(ReplayException.Kind.NOTHING_SELECTED, "nothing to replay: "
                    + request.deadLetterTopic() + " holds no records in the selected range (" + plan.describe()
                    + ", end exclusive) for " + request.selection().describe());
        }
        return plan;
    }

    private static ProgressMarker checkedMarker(Request request, TopicPartition partition, OffsetAndMetadata offset,
            String fingerprint) {
        ProgressMarker marker = ProgressMarker.decode(offset.metadata()).orElseThrow(() -> new ReplayException(
                ReplayException.Kind.BAD_REQUEST, "consumer group " + request.groupId()
                        + " has offsets on " + partition + " that no replay wrote; choose another --name"));
        if (!marker.fingerprint().equals(fingerprint)) {
            throw new ReplayException(ReplayException.Kind.BAD_REQUEST, "replay '" + request.name()
                    + "' was started with other filters or topics; resume it with the same options, or start a new"
                    + " replay with another --name.\n  started with: " + marker.filters()
                    + "\n  now:          " + describe(request));
        }
        return marker;
    }

    /** The filters and topics, as kept with the progress and shown when they differ. */
    static String describe(Request request) {
        return request.selection().describe() + " (" + request.deadLetterTopic() + " -> " + request.targetTopic()
                + ")";
    }
}
