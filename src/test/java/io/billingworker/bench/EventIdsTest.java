package io.billingworker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.app.DemoSignups;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.BillingSessionFailed;
import io.billingworker.avro.FailureReason;
import io.billingworker.serde.ConfluentAvroSerializer;
import io.billingworker.serde.MockSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading event ids straight out of outcome records is what lost and duplicate outcomes are counted by. */
class EventIdsTest {

    private final ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>(new MockSchemaRegistry());

    @Test
    void shouldReadTheEventIdOfACreatedOutcome() {
        byte[] value = serializer.serialize("created", created(EventIds.of(12, 345)));

        long id = EventIds.parse(value);

        assertThat(id >>> 32).isEqualTo(12);
        assertThat((int) id).isEqualTo(345);
    }

    @Test
    void shouldReadTheEventIdOfAFailedOutcome() {
        byte[] value = serializer.serialize("failed", failed(EventIds.of(3, 0)));

        long id = EventIds.parse(value);

        assertThat(id).isEqualTo(3L << 32);
    }

    @Test
    void shouldReadTheEventIdOfTheSignupCopiedToTheDeadLetterTopic() {
        byte[] value = serializer.serialize("signups",
                DemoSignups.seedShape("sub_1", EventIds.of(7, 1_000_000), null, null, Instant.EPOCH));

        long id = EventIds.parse(value);

        assertThat(id).isEqualTo(7L << 32 | 1_000_000);
    }

    @Test
    void shouldRejectValuesThatAreNotBenchmarkOutcomes() {
        byte[] foreignId = serializer.serialize("created", created("evt_fixed_default"));
        byte[] notAvro = "{\"event_id\":\"b1-2\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(EventIds.parse(foreignId)).isEqualTo(-1);
        assertThat(EventIds.parse(notAvro)).isEqualTo(-1);
        assertThat(EventIds.parse(null)).isEqualTo(-1);
        assertThat(EventIds.parse(new byte[0])).isEqualTo(-1);
    }

    private static BillingSessionCreated created(String eventId) {
        return BillingSessionCreated.newBuilder()
                .setEventId(eventId)
                .setSubscriptionId("sub_1")
                .setMerchantId("m")
                .setOrderId("o")
                .setCustomerId("c")
                .setStatus("NEW")
                .setAttempts(1)
                .setWarnings(List.of())
                .setCreatedAt(Instant.EPOCH)
                .build();
    }

    private static BillingSessionFailed failed(String eventId) {
        return BillingSessionFailed.newBuilder()
                .setEventId(eventId)
                .setSubscriptionId("sub_1")
                .setMerchantId("m")
                .setOrderId("o")
                .setCustomerId("c")
                .setReason(FailureReason.INVALID_EVENT)
                .setFieldErrors(List.of())
                .setAttempts(0)
                .setWarnings(List.of())
                .setFailedAt(Instant.EPOCH)
                .build();
    }
}
