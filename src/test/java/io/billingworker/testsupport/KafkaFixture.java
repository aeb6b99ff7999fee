package io.billingworker.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.billingworker.app.EmbeddedKafkaBroker;

/**
 * The Kafka broker integration tests run against, with helpers for topics and clients.
 *
 * <p>{@link #shared()} picks a broker once per test JVM, in this order:
 * <ol>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} from the environment: an existing broker, never stopped by the fixture;</li>
 *   <li>a Testcontainers {@code apache/kafka} KRaft container, when a Docker engine answers;</li>
 *   <li>an in-JVM {@link EmbeddedKafkaBroker}.</li>
 * </ol>
 * The system property {@code kafka.fixture=embedded} skips the Docker check. Topic auto-creation is off on the
 * brokers the fixture starts: create topics with {@link #createTopics(int, String...)} and name them with
 * {@link #newTopicName(String)} so that tests sharing the broker never see each other's records.
 */
public final class KafkaFixture implements AutoCloseable {

    /** The environment variable naming an existing broker to use. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    /** The system property that forces a source: {@code external}, {@code testcontainers} or {@code embedded}. */
    public static final String SOURCE_PROPERTY = "kafka.fixture";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    /** Where a fixture's broker comes from. */
    public enum Source { EXTERNAL, TESTCONTAINERS, EMBEDDED }

    private final Source source;
    private final String bootstrapServers;
    private final AutoCloseable broker;

    private KafkaFixture(Source source, String bootstrapServers, AutoCloseable broker) {
        this.source = Objects.requireNonNull(source, "source");
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    /** The broker shared by every test of this JVM: started on first use, stopped by a shutdown hook. */
    public static KafkaFixture shared() {
        return SharedHolder.INSTANCE;
    }

    /** Starts a fixture of its own (same choice as {@link #shared()}); the caller closes it. */
    public static KafkaFixture start() {
        Source source = chooseSource(System.getenv(), System.getProperty(SOURCE_PROPERTY),
                KafkaFixture::isDockerAvailable);
        long startNanos = System.nanoTime();
        KafkaFixture fixture = switch (source) {
            case EXTERNAL -> new KafkaFixture(source, System.getenv(BOOTSTRAP_ENV).strip(), () -> { });
            case TESTCONTAINERS -> startContainer();
            case EMBEDDED -> startEmbedded();
        };
        LOG.info("Kafka for tests: {} broker at {} ready in {} ms", source, fixture.bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return fixture;
    }

    /**
     * Chooses where the broker comes from. {@code dockerAvailable} is asked only when neither the environment nor
     * {@code forcedSource} decides, so a machine without Docker pays for that one check and nothing more.
     *
     * @param forcedSource the value of {@value #SOURCE_PROPERTY}, or null
     */
    static Source chooseSource(Map<String, String> environment, String forcedSource, BooleanSupplier dockerAvailable) {
        if (forcedSource != null && !forcedSource.isBlank()) {
            Source source = parseSource(forcedSource);
            if (source == Source.EXTERNAL && isBlank(environment.get(BOOTSTRAP_ENV))) {
                throw new IllegalStateException(SOURCE_PROPERTY + "=external needs " + BOOTSTRAP_ENV);
            }
            return source;
        }
        if (!isBlank(environment.get(BOOTSTRAP_ENV))) {
            return Source.EXTERNAL;
        }
        return dockerAvailable.getAsBoolean() ? Source.TESTCONTAINERS : Source.EMBEDDED;
    }

    /** A topic name unique to this call, e.g. {@code signups-3f2a9c1e0b7d}. */
    public static String newTopicName(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Where this fixture's broker comes from. */
    public Source source() {
        return source;
    }

    /** The bootstrap address of the broker. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates topics with {@code partitions} partitions and replication factor 1, waiting until they exist. */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        try (Admin admin = adminClient()) {
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + Arrays.toString(names), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics " + Arrays.toString(names) + " on "
                    + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /** A new Admin client for this broker; the caller closes it. */
    public Admin adminClient() {
        return Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Producer settings for this broker (a new map to adjust): byte-array serdes, {@code acks=all}, idempotence on. */
    public Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    /**
     * Consumer settings for this broker (a new map to adjust): byte-array serdes, the given group, reading from the
     * earliest offset, {@code read_committed} (only records of committed transactions), auto-commit off.
     */
    public Map<String, Object> consumerProps(String groupId) {
        Map<String, Object> props = readerProps();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(groupId, "groupId"));
        return props;
    }

    /**
     * Reads {@code topic} from the beginning of every partition with a {@code read_committed} consumer outside any
     * group, until {@code expectedCount} records arrived or {@code timeout} passed. Returns what arrived: fewer
     * records than expected after a timeout, so the test's assertion shows what is missing. It stops as soon as
     * {@code expectedCount} records arrived; records written later are not looked for.
     */
    public List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int expectedCount, Duration timeout) {
        Objects.requireNonNull(topic, "topic");
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerProps())) {
            List<TopicPartition> partitions = partitionsOf(consumer, topic, timeout);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < expectedCount && System.nanoTime() < deadline) {
                consumer.poll(POLL_INTERVAL).forEach(records::add);
            }
        }
        return records;
    }

    /** Stops the broker the fixture started; an external broker is left running. */
    @Override
    public void close() {
        try {
            broker.close();
        } catch (Exception e) {
            LOG.warn("Stopping the {} Kafka broker at {} failed", source, bootstrapServers, e);
        }
    }

    private Map<String, Object> readerProps() {
        return readCommittedProps(bootstrapServers);
    }

    /** A byte-array consumer that reads committed records from the earliest offset and commits nothing. */
    public static Map<String, Object> readCommittedProps(String bootstrapServers) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    private static List<TopicPartition> partitionsOf(
            KafkaConsumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Topic " + topic + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static KafkaFixture startEmbedded() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
        return new KafkaFixture(Source.EMBEDDED, broker.bootstrapServers(), broker);
    }

    private static KafkaFixture startContainer() {
        TestcontainersKafka container = TestcontainersKafka.start();
        return new KafkaFixture(Source.TESTCONTAINERS, container.bootstrapServers(), container);
    }

    private static boolean isDockerAvailable() {
        try {
            return TestcontainersKafka.isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Docker check failed; using the embedded Kafka broker", e);
            return false;
        }
    }

    private static Source parseSource(String value) {
        try {
            return Source.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SOURCE_PROPERTY + " must be one of external, testcontainers, embedded;"
                    + " was " + value, e);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Starts the shared fixture when first used (class initialisation is lazy and thread-safe). */
    private static final class SharedHolder {
        private static final KafkaFixture INSTANCE = startShared();

        private static KafkaFixture startShared() {
            KafkaFixture fixture = KafkaFixture.start();
            Runtime.getRuntime().addShutdownHook(new Thread(fixture::close, "kafka-fixture-shutdown"));
            return fixture;
        }
    }
}
