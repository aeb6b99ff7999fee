package io.billingworker.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.billingworker.avro.BillingSessionCreated;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class KafkaOutcomePublisherTest {

    private static final Instant DECIDED = Instant.parse("2026-11-23T10:15:30.123Z");
    private static final OutcomeTopics TOPICS = new OutcomeTopics("created", "failed", "dlt");
    private static final Serializer<Object> VALUES = (topic, value) -> value.toString().getBytes(StandardCharsets.UTF_8);
    private static final ConsumerRecord<byte[], byte[]> SOURCE = new ConsumerRecord<>("signups", 0, 7L,
            "sub_1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1});

    @Test
    void shouldReportASendTheProducerLeavesUnansweredPastItsDeliveryTimeoutUntilItIsAnswered() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        KafkaOutcomePublisher publisher = publisher(producer, Duration.ofMillis(50));

        Thread sending = Thread.ofVirtual().start(() -> {
            try {
                publisher.publish(SOURCE, created());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.stalledSends() == 1);
        assertThat(sending.isAlive()).isTrue();
        assertThat(producer.completeNext()).isTrue();
        sending.join(5_000);
        assertThat(sending.isAlive()).isFalse();
        assertThat(publisher.stalledSends()).isZero();
    }

    @Test
    void shouldNotCountASendAnsweredInTime() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        KafkaOutcomePublisher publisher = publisher(producer, Duration.ofSeconds(30));

        publisher.publish(SOURCE, created());

        assertThat(publisher.stalledSends()).isZero();
        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("created");
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("sub_1");
            assertThat(record.timestamp()).isEqualTo(DECIDED.toEpochMilli());
        });
    }

    @Test
    void shouldRefuseForGoodARecordTheBrokerRejectsAsTooLarge() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        KafkaOutcomePublisher publisher = publisher(producer, Duration.ofSeconds(30));
        Thread answer = Thread.ofVirtual().start(() -> answerNext(producer, 1,
                new RecordTooLargeException("The message is 2000000 bytes when serialized")));

        assertThatThrownBy(() -> publisher.publish(SOURCE, created()))
                .isInstanceOf(OutcomeUnwritableException.class)
                .hasMessageContaining("the broker refused the record for topic created")
                .hasCauseInstanceOf(RecordTooLargeException.class)
                .satisfies(e -> assertThat(((OutcomeUnwritableException) e).topic()).isEqualTo("created"));
        answer.join();
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void shouldRefuseForGoodARecordOfATopicItMayNotWrite() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        KafkaOutcomePublisher publisher = publisher(producer, Duration.ofSeconds(30));
        Thread answer = Thread.ofVirtual().start(() -> answerNext(producer, 1,
                new TopicAuthorizationException(java.util.Set.of("created"))));

        assertThatThrownBy(() -> publisher.publish(SOURCE, created()))
                .isInstanceOf(OutcomeUnwritableException.class)
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        answer.join();
    }

    @Test
    void shouldRetryRetriableErrorsUntilTheRecordIsWritten() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        KafkaOutcomePublisher publisher = publisher(producer, Duration.ofSeconds(30));
        Thread answers = Thread.ofVirtual().start(() -> {
            answerNext(producer, 1, new NotLeaderOrFollowerException("leader moved"));
            answerNext(producer, 2, new org.apache.kafka.common.errors.TimeoutException("broker away"));
            answerNext(producer, 3, null);
        });

        publisher.publish(SOURCE, created());

        answers.join();
        assertThat(producer.history()).hasSize(3);
    }

    @Test
    void shouldFailThePublisherWhenTheProducerIsFenced() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        KafkaOutcomePublisher publisher = publisher(producer, Duration.ofSeconds(30));
        Thread answer = Thread.ofVirtual().start(() -> answerNext(producer, 1,
                new ProducerFencedException("another producer with the same transactional id")));

        assertThatThrownBy(() -> publisher.publish(SOURCE, created()))
                .isInstanceOf(PublisherFailedException.class)
                .hasMessageContaining("the outcome producer cannot publish any more");
        answer.join();
    }

    @Test
    void shouldFailThePublisherWhenTheProducerIsClosed() {
        MockProducer<byte[], byte[]> producer = producer(true);
        KafkaOutcomePublisher publisher = publisher(producer, Duration.ofSeconds(30));
        producer.close();

        assertThatThrownBy(() -> publisher.publish(SOURCE, created()))
                .isInstanceOf(PublisherFailedException.class);
    }

    /** Waits for the {@code sends}-th send, then answers it: with {@code error}, or successfully when null. */
    private static void answerNext(MockProducer<byte[], byte[]> producer, int sends, RuntimeException error) {
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() >= sends);
        boolean answered = error == null ? producer.completeNext() : producer.errorNext(error);
        assertThat(answered).isTrue();
    }

    private static MockProducer<byte[], byte[]> producer(boolean answersAtOnce) {
        return new MockProducer<>(answersAtOnce, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** An at-least-once publisher. */
    private static KafkaOutcomePublisher publisher(MockProducer<byte[], byte[]> producer, Duration stallAfter) {
        return new KafkaOutcomePublisher(producer, VALUES, TOPICS, Clock.fixed(DECIDED, ZoneOffset.UTC), false,
                stallAfter);
    }

    private static Outcome.Created created() {
        return new Outcome.Created("sub_1", BillingSessionCreated.newBuilder()
                .setEventId("evt_1")
                .setSubscriptionId("sub_1")
                .setMerchantId("merchant")
                .setOrderId("ord_1")
                .setCustomerId("cust_1")
                .setStatus("NEW")
                .setAttempts(1)
                .setWarnings(List.of())
                .setCreatedAt(DECIDED)
                .build());
    }
}
