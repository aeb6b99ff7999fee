package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.app.DemoSignups;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.simulator.ReceivedRequest;
import io.billingworker.testsupport.WorkerHarness;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The four billing shapes of Juspay's samples (fixed/variable plan x default/custom debit day) through the real
 * worker, broker and registry: the simulator receives exactly the billing sample's request body with the headers
 * of docs/contract.md, and each signup ends as one created record carrying the payment link.
 */
class WorkerHappyPathIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEED_CUSTOMER = "cth_rPj21roNSjEbumSy";

    @Test
    void shouldSendTheSeedRequestForEachShapeAndPublishThePaymentLink() throws IOException {
        try (WorkerHarness harness = WorkerHarness.start(3)) {
            harness.set("juspay.options.get-upi-deep-links", "true");
            List<SubscriptionSignup> signups = List.of(
                    shape("fixed_default", null, null),
                    shape("fixed_custom", null, 1),
                    shape("variable_default", "20.0", null),
                    shape("variable_custom", "20.0", 1));
            harness.startWorker();

            harness.publish(signups);
            WorkerHarness.Outcomes outcomes = harness.awaitOutcomes(4, Duration.ofSeconds(60));

            assertThat(outcomes.failed()).isEmpty();
            assertThat(outcomes.deadLetters()).isEmpty();
            assertThat(outcomes.created()).hasSize(4);
            assertRequest(harness, "ord_fixed_default", "seed000_fixed_plan_default_debit_day.json");
            assertRequest(harness, "ord_fixed_custom", "seed000_fixed_plan_custom_debit_day.json");
            assertRequest(harness, "ord_variable_default", "seed000_variable_plan_default_debit_day.json");
            assertRequest(harness, "ord_variable_custom", "seed000_variable_plan_custom_debit_day.json");
            for (BillingSessionCreated created : outcomes.created()) {
                assertThat(created.getMerchantId()).isEqualTo(WorkerHarness.MERCHANT);
                assertThat(created.getCustomerId()).isEqualTo(SEED_CUSTOMER);
                assertThat(created.getOrderId()).startsWith("ord_");
                assertThat(created.getSubscriptionId()).isEqualTo("sub_" + created.getOrderId().substring(4));
                assertThat(created.getPaymentLinkWeb()).startsWith("https://").contains("/payment-page");
                assertThat(created.getUpiDeepLink()).startsWith("upi://pay");
                assertThat(created.getJuspayOrderId()).startsWith("ordeh_");
                assertThat(created.getStatus()).isNotBlank();
                assertThat(created.getAttempts()).isEqualTo(1);
                assertThat(created.getSdkPayloadJson()).contains("\"service\"");
            }
            assertThat(outcomes.createdRecords())
                    .extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("sub_fixed_default", "sub_fixed_custom", "sub_variable_default",
                            "sub_variable_custom");
            // The record's timestamp is the instant the outcome was decided, the same as created_at.
            assertThat(outcomes.createdRecords()).extracting(ConsumerRecord::timestamp)
                    .containsExactlyElementsOf(outcomes.created().stream()
                            .map(created -> created.getCreatedAt().toEpochMilli()).toList());
        }
    }

    private static SubscriptionSignup shape(String name, String planAmount, Integer planRuleValue) {
        SubscriptionSignup signup = DemoSignups.seedShape("sub_" + name, "evt_" + name, planAmount, planRuleValue,
                Instant.now());
        signup.setOrderId("ord_" + name);
        signup.getCustomer().setCustomerId(SEED_CUSTOMER);
        return signup;
    }

    private static void assertRequest(WorkerHarness harness, String orderId, String seedFile) throws IOException {
        List<ReceivedRequest> requests = harness.simulator().requestsFor(orderId);
        assertThat(requests).hasSize(1);
        ReceivedRequest request = requests.get(0);
        ObjectNode expected = (ObjectNode) seed(seedFile);
        expected.put("order_id", orderId);

        assertThat(JSON.readTree(request.rawBody())).isEqualTo(expected);
        if (seedFile.contains("variable")) {
            assertThat(request.rawBody()).contains("\"plan_amount\":20.0");
        }
        assertThat(request.header("x-merchantid")).contains(WorkerHarness.MERCHANT);
        assertThat(request.header("x-routing-id")).contains(SEED_CUSTOMER);
        assertThat(request.header("Content-Type")).hasValueSatisfying(value -> assertThat(value).startsWith("application/json"));
        assertThat(request.authenticatedMerchantId()).isEqualTo(WorkerHarness.MERCHANT);
        assertThat(request.header("Authorization")).contains(ReceivedRequest.REDACTED);
    }

    private static JsonNode seed(String file) throws IOException {
        try (InputStream in = WorkerHappyPathIT.class.getResourceAsStream("/mapping/" + file)) {
            return JSON.readTree(in);
        }
    }
}
