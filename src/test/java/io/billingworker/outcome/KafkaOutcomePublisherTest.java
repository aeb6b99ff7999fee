package io.billingworker.outcome;

import static org.assertj.core.api.Assertions.assertThat;
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
