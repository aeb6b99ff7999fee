package io.billingworker.observability;

import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.BillingSessionFailed;
import io.billingworker.avro.FailureReason;
import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.outcome.Outcome;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Outcomes and records for observability tests. */
final class Outcomes {

    private Outcomes() {
    }

    static Outcome.Created created(String merchant, int attempts) {
        return new Outcome.Created("sub_1", BillingSessionCreated.newBuilder()
                .setEventId("evt_1").setSubscriptionId("sub_1").setMerchantId(merchant).setOrderId("ord_1")
                .setCustomerId("cust_1").setStatus("NEW").setAttempts(attempts).setWarnings(List.of())
                .setCreatedAt(Instant.EPOCH).build());
    }

    static Outcome.Failed failed(String merchant, FailureReason reason, int attempts) {
        return new Outcome.Failed("sub_1", BillingSessionFailed.newBuilder()
                .setEventId("evt_1").setSubscriptionId("sub_1").setMerchantId(merchant).setReason(reason)
                .setFieldErrors(List.of()).setAttempts(attempts).setWarnings(List.of()).setFailedAt(Instant.EPOCH)
                .build());
    }

    static Outcome.DeadLetter deadLetter(String merchant, DeadLetterReason reason, int attempts) {
        return new Outcome.DeadLetter(reason, null, "why", 503, attempts, merchant);
    }

    static ConsumerRecord<byte[], byte[]> record(long timestampMillis, byte[] value) {
        return new ConsumerRecord<>("signups", 0, 7L, timestampMillis,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, value == null ? 0 : value.length,
                "sub_1".getBytes(), value, new org.apache.kafka.common.header.internals.RecordHeaders(),
                java.util.Optional.empty());
    }
}
