package io.billingworker.outcome;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes outcomes with one shared (idempotent) producer.
 *
 * <p>At-least-once: each publish waits for the broker's acknowledgement and retries retriable errors (the broker is
 * away, a leader moves, a topic's metadata is missing), with a capped backoff, until it gets one, so a temporarily
 * unwritable topic delays outcomes but never drops them; the worker's oldest-record age shows such a wait. An error
 * that refuses the record for good (too large, not authorized for the topic) throws
 * {@link OutcomeUnwritableException}; an error of the producer itself (fenced, not authorized for the cluster,
 * closed) throws {@link PublisherFailedException}.
 *
 * <p>Exactly-once: the producer is transactional; publishes join the open transaction and
 * {@link #commitTransaction} commits them together with the consumer offsets. A read lock held around each
 * send and a write lock around commit keep every send inside exactly one transaction. The consumer loop
 * serializes each outcome as soon as it is known ({@link #prepare}) and writes it with
 * {@link #sendInTransaction} only when its offset is committed in the same transaction.
 *
 * <p>A producer whose network thread has died completes no send, not even with its own delivery timeout, and the
 * records waiting for it would hold their offsets forever in a process that looks healthy. A send still
 * unacknowledged after {@code stallAfter} (longer than the producer's {@code delivery.timeout.ms}) is counted in
 * {@link #stalledSends()}, which the worker's liveness check reports, so that the process is restarted; the records
 * are not committed and run again after the restart.
 */
public final class KafkaOutcomePublisher implements OutcomePublisher, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaOutcomePublisher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** The producer's default {@code delivery.timeout.ms} (120 s) plus a minute. */
    public static final Duration DEFAULT_STALL_AFTER = Duration.ofSeconds(180);

    private final Producer<byte[], byte[]> producer;
    private final Serializer<Object> valueSerializer;
    private final OutcomeTopics topics;
    private final Clock clock;
    private final boolean transactional;
    private final ReadWriteLock transactionLock = new ReentrantReadWriteLock();
    private final AtomicReference<Exception> transactionError = new AtomicReference<>();
    private final Duration stallAfter;
    /** At-least-once sends waiting for the broker's answer now. */
    private final Set<PendingSend> pendingSends = ConcurrentHashMap.newKeySet();

    public KafkaOutcomePublisher(
            Producer<byte[], byte[]> producer,
            Serializer<Object> valueSerializer,
            OutcomeTopics topics,
            Clock clock,
            boolean transactional) {
        this(producer, valueSerializer, topics, clock, transactional, DEFAULT_STALL_AFTER);
    }

    /**
     * @param stallAfter how long an at-least-once send may wait for the producer before it counts as stalled; longer
     *                   than the producer's {@code delivery.timeout.ms}, after which a working producer has answered
     */
    public KafkaOutcomePublisher(
            Producer<byte[], byte[]> producer,
            Serializer<Object> valueSerializer,
            OutcomeTopics topics,
            Clock clock,
            boolean transactional,
            Duration stallAfter) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.stallAfter = Objects.requireNonNull(stallAfter, "stallAfter");
        this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.transactional = transactional;
        if (transactional) {
            producer.initTransactions();
            producer.beginTransaction();
        }
    }

    @Override
    public void publish(ConsumerRecord<byte[], byte[]> source, Outcome outcome) throws InterruptedException {
        ProducerRecord<byte[], byte[]> record = toRecord(source, outcome);
        if (transactional) {
            sendInTransaction(record);
        } else {
            sendUntilAcknowledged(record, outcome);
        }
    }

    /**
     * Commits the open transaction with the given consumer offsets and begins the next one.
     * Called from the polling thread only.
     *
     * @throws org.apache.kafka.common.KafkaException when the transaction cannot commit; the worker must stop
     *         and the uncommitted records are processed again after a restart
     */
    public void commitTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        if (!transactional) {
            throw new IllegalStateException("commitTransaction needs processing.guarantee=exactly-once");
        }
        transactionLock.writeLock().lock();
        try {
            Exception failed = transactionError.getAndSet(null);
            if (failed != null) {
                producer.abortTransaction();
                throw new TransactionFailedException("an outcome could not be written in this transaction", failed);
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
            }
            producer.commitTransaction();
            producer.beginTransaction();
        } finally {
            transactionLock.writeLock().unlock();
        }
    }

    public boolean isTransactional() {
        return transactional;
    }

    /**
     * At-least-once sends waiting for the producer longer than {@code stallAfter} right now; each is logged once, when
     * first counted.
     */
    public int stalledSends() {
        long now = System.nanoTime();
        long limit = stallAfter.toNanos();
        int stalled = 0;
        for (PendingSend pending : pendingSends) {
            if (now - pending.startedNanos > limit) {
                stalled++;
                if (!pending.reported) {
                    pending.reported = true;
                    log.error("the producer has not answered a {} outcome send to {} for {} ms, longer than its "
                            + "delivery timeout: reporting the worker not live", pending.kind, pending.topic,
                            stallAfter.toMillis());
                }
            }
        }
        return stalled;
    }

    /** How long a send may wait for the producer before it counts as stalled. */
    public Duration stallAfter() {
        return stallAfter;
    }

    /**
     * Exactly-once: the outcome as a record for the outbound topic, serialized now (the schema registry may be asked)
     * so that writing it later, with {@link #sendInTransaction}, cannot fail on serialization.
     */
    public ProducerRecord<byte[], byte[]> prepare(ConsumerRecord<byte[], byte[]> source, Outcome outcome) {
        return toRecord(source, outcome);
    }

    /**
     * Exactly-once: writes a prepared outcome into the open transaction. A failure, now or when the broker answers,
     * makes the next {@link #commitTransaction} abort instead of committing.
     */
    public void sendInTransaction(ProducerRecord<byte[], byte[]> record) {
        if (!transactional) {
            throw new IllegalStateException("sendInTransaction needs processing.guarantee=exactly-once");
        }
        transactionLock.readLock().lock();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    transactionError.compareAndSet(null, error);
                }
            });
        } catch (RuntimeException e) {
            transactionError.compareAndSet(null, e);
            throw e;
        } finally {
            transactionLock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        if (transactional) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException e) {
                log.debug("abort on close failed: {}", e.toString());
            }
        }
        producer.close(Duration.ofSeconds(10));
    }

    private void sendUntilAcknowledged(ProducerRecord<byte[], byte[]> record, Outcome outcome)
            throws InterruptedException {
        Duration backoff = Duration.ofMillis(100);
        for (int attempt = 1; ; attempt++) {
            try {
                awaitAcknowledgement(producer.send(record), record, outcome);
                return;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                failIfFinal(record, outcome, cause);
                log.warn("publishing {} outcome to {} failed (attempt {}), retrying in {} ms: {}",
                        outcome.kind(), record.topic(), attempt, backoff.toMillis(), cause.toString());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                Thread.interrupted();
                throw new InterruptedException("interrupted while sending the " + outcome.kind() + " outcome");
            } catch (KafkaException | IllegalStateException e) {
                // Thrown by send() itself: a closed producer, or a fatal error of an earlier send.
                failIfFinal(record, outcome, e);
                throw new PublisherFailedException("the outcome producer failed: " + e, e);
            }
        }
    }

    /**
     * Decides what a failed send means: a retriable error (the broker is away, a leader moves, the topic's metadata is
     * not there yet) is retried by the caller; an error of the producer itself ends the worker; any other error
     * refuses this record for good.
     */
    static void failIfFinal(ProducerRecord<byte[], byte[]> record, Outcome outcome, Throwable cause) {
        if (isProducerFatal(cause)) {
            throw new PublisherFailedException("the outcome producer cannot publish any more (" + cause
                    + "); stopping: records without a published outcome are processed again after a restart", cause);
        }
        if (!(cause instanceof RetriableException)) {
            log.error("the broker refused the {} outcome for {} for good: {}", outcome.kind(), record.topic(),
                    cause.toString());
            throw new OutcomeUnwritableException(record.topic(), cause);
        }
    }

    private static boolean isProducerFatal(Throwable cause) {
        return cause instanceof ProducerFencedException
                || cause instanceof OutOfOrderSequenceException
                || cause instanceof AuthenticationException
                || cause instanceof ClusterAuthorizationException
                || cause instanceof TransactionalIdAuthorizationException
                || cause instanceof UnsupportedVersionException
                || cause instanceof IllegalStateException
                || (cause instanceof KafkaException && !(cause instanceof ApiException)
                        && !(cause instanceof RetriableException));
    }

    private ProducerRecord<byte[], byte[]> toRecord(ConsumerRecord<byte[], byte[]> source, Outcome outcome) {
        return switch (outcome) {
            // A created or failed record's timestamp is the time the outcome was decided, the same instant as its
            // created_at or failed_at. With exactly-once an outcome is sent when its offset commits, up to a commit
            // interval later; the timestamp still says when it happened.
            case Outcome.Created created -> new ProducerRecord<>(topics.created(), null,
                    millis(created.value().getCreatedAt()), utf8(created.key()),
                    valueSerializer.serialize(topics.created(), created.value()), new RecordHeaders());
            case Outcome.Failed failed -> new ProducerRecord<>(topics.failed(), null,
                    millis(failed.value().getFailedAt()), utf8(failed.key()),
                    valueSerializer.serialize(topics.failed(), failed.value()), new RecordHeaders());
            case Outcome.DeadLetter deadLetter -> {
                Headers headers = DeadLetterHeaders.build(source, deadLetter, clock.instant());
                yield new ProducerRecord<>(topics.deadLetter(), null, source.key(), source.value(), headers);
            }
        };
    }

    /**
     * Waits for the broker's answer. The wait itself has no timeout: a timed wait arms a timer per outcome, which at
     * thousands of outcomes a second costs more than the rest of the wait. Instead each wait is listed while it lasts,
     * and {@link #stalledSends()} counts those older than {@code stallAfter}.
     */
    private void awaitAcknowledgement(Future<RecordMetadata> sent, ProducerRecord<byte[], byte[]> record,
            Outcome outcome) throws ExecutionException, InterruptedException {
        if (sent.isDone()) {
            sent.get();
            return;
        }
        PendingSend pending = new PendingSend(record.topic(), outcome.kind(), System.nanoTime());
        pendingSends.add(pending);
        try {
            sent.get();
        } finally {
            pendingSends.remove(pending);
        }
    }

    /** An at-least-once send waiting for the broker's answer. */
    private static final class PendingSend {
        final String topic;
        final String kind;
        final long startedNanos;
        boolean reported;

        PendingSend(String topic, String kind, long startedNanos) {
            this.topic = topic;
            this.kind = kind;
            this.startedNanos = startedNanos;
        }
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The open transaction could not commit; its outcomes and offsets were discarded. */
    public static final class TransactionFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TransactionFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
