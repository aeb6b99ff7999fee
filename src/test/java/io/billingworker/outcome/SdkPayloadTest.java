package io.billingworker.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.BillingSessionCreated;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SdkPayloadTest {

    private static final String PAYLOAD = "{\"payload\":{\"customerEmail\":\"a@example.com\",\"customerPhone\":\"9999999999\"}}";

    @Test
    void shouldPassTheSdkPayloadOnVerbatimWhenFull() {
        Outcome.Created created = created(PAYLOAD);

        Outcome published = SdkPayload.FULL.apply(created);

        assertThat(published).isSameAs(created);
    }

    @Test
    void shouldLeaveTheSdkPayloadOutAndKeepEveryOtherFieldWhenOmit() {
        Outcome.Created created = created(PAYLOAD);

        Outcome published = SdkPayload.OMIT.apply(created);

        BillingSessionCreated value = ((Outcome.Created) published).value();
        assertThat(((Outcome.Created) published).key()).isEqualTo("sub_1");
        assertThat(value.getSdkPayloadJson()).isNull();
        assertThat(value.getOrderId()).isEqualTo("ord_1");
        assertThat(value.getPaymentLinkWeb()).isEqualTo("https://sandbox.juspay.in/orders/ordeh_1/payment-page");
        assertThat(created.value().getSdkPayloadJson()).as("the original is not changed").isEqualTo(PAYLOAD);
    }

    @Test
    void shouldLeaveOtherOutcomesAlone() {
        Outcome deadLetter = new Outcome.DeadLetter(DeadLetterReason.RETRIES_EXHAUSTED, null, "HTTP 503", 503, 3, "m1");

        Outcome published = SdkPayload.OMIT.apply(deadLetter);

        assertThat(published).isSameAs(deadLetter);
    }

    private static Outcome.Created created(String sdkPayloadJson) {
        return new Outcome.Created("sub_1", BillingSessionCreated.newBuilder()
                .setEventId("evt_1")
                .setSubscriptionId("sub_1")
                .setMerchantId("merchant")
                .setOrderId("ord_1")
                .setCustomerId("cust_1")
                .setStatus("NEW")
                .setPaymentLinkWeb("https://sandbox.juspay.in/orders/ordeh_1/payment-page")
                .setSdkPayloadJson(sdkPayloadJson)
                .setAttempts(1)
                .setWarnings(List.of())
                .setCreatedAt(Instant.parse("2026-12-01T10:00:00Z"))
                .build());
    }
}
