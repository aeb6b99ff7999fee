package io.billingworker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.app.DemoSignups;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.mapping.OrderIds;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.simulator.Behaviour;
import io.billingworker.simulator.ReceivedRequest;
import io.billingworker.simulator.SimulatedOrder;
import io.billingworker.testsupport.KafkaFixture;
import io.billingworker.testsupport.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The whole story on the real worker, broker, registry and simulator: a signup whose order Juspay created but
 * answered 503 to, and kept failing, is dead-lettered; replayed while Juspay still fails, it comes back to the
 * dead-letter topic with its replay count; a replay capped by {@code --max-replays} refuses it; once Juspay is
 * healthy, a replay ends in exactly one created outcome for the same order Juspay already holds.
 */
class ReplayEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldCreateTheSameOrderOnceWhenAReplayedSignupSucceeds() {
        try (WorkerHarness harness = WorkerHarness.start(1)) {
            SubscriptionSignup signup = DemoSignups.seedShape("sub_replay", "evt_replay_1", null, null, Instant.now());
            String orderId = OrderIds.derive(WorkerHarness.MERCHANT, "evt_replay_1");
            harness.simulator().script(orderId, Behaviour.createThenFail(503), Behaviour.serverError(503));
            harness.startWorker();

            harness.publish(signup);
            ConsumerRecord<byte[], byte[]> first = awaitDeadLetters(harness, 1).get(0);
            ReplayResult failedAgain = replay(harness, "still-failing", ReplaySelection.all());
            ConsumerRecord<byte[], byte[]> second = awaitDeadLetters(harness, 2).get(1);
            ReplayResult capped = replay(harness, "capped", ReplaySelection.builder().partitions(List.of("0"))
                    .offsets("1-").maxReplays(1).build());
            harness.simulator().clearScripts();
            ReplayResult healed = replay(harness, "healed", ReplaySelection.builder().partitions(List.of("0"))
                    .offsets("1-").build());
            WorkerHarness.Outcomes outcomes = harness.awaitOutcomes(3, WAIT);

            assertThat(DeadLetterHeaders.text(first.headers(), DeadLetterHeaders.REASON)).isEqualTo("RETRIES_EXHAUSTED");
            assertThat(DeadLetterHeaders.replayCount(first.headers())).isZero();
            assertThat(failedAgain.replayed().total()).isEqualTo(1);
            assertThat(second.value()).isEqualTo(first.value());
            assertThat(second.key()).isEqualTo(first.key());
            assertThat(DeadLetterHeaders.replayCount(second.headers())).isEqualTo(1);
            assertThat(capped.replayed().total()).isZero();
            assertThat(capped.refused().total()).isEqualTo(1);
            assertThat(healed.replayed().total()).isEqualTo(1);
            assertThat(harness.kafka().consumeAll(harness.topics().input(), 4, Duration.ofSeconds(3))).hasSize(3);

            assertThat(outcomes.created()).hasSize(1);
            BillingSessionCreated created = outcomes.created().get(0);
            List<SimulatedOrder> orders = harness.simulator().orders();
            assertThat(orders).hasSize(1);
            assertThat(created.getOrderId()).isEqualTo(orderId);
            assertThat(created.getJuspayOrderId()).isEqualTo(orders.get(0).id());
            assertThat(new String(outcomes.createdRecords().get(0).key(), StandardCharsets.UTF_8))
                    .isEqualTo("sub_replay");
            List<ReceivedRequest> requests = harness.simulator().requestsFor(orderId);
            assertThat(requests).hasSize(7);
            assertThat(harness.simulator().requests()).hasSize(7);
            assertThat(outcomes.deadLetters()).hasSize(2);
            assertThat(outcomes.failed()).isEmpty();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> awaitDeadLetters(WorkerHarness harness, int count) {
        Awaitility.await().atMost(WAIT).until(() -> harness.kafka()
                .consumeAll(harness.topics().deadLetter(), count, Duration.ofMillis(500)).size() >= count);
        return harness.kafka().consumeAll(harness.topics().deadLetter(), count, Duration.ofSeconds(5));
    }

    private static ReplayResult replay(WorkerHarness harness, String name, ReplaySelection selection) {
        ReplayJob.Request request = new ReplayJob.Request(KafkaSettings.of(harness.kafka().bootstrapServers()),
                harness.topics().deadLetter(), harness.topics().input(), selection,
                name + "-" + KafkaFixture.newTopicName("e2e"), false, Long.MAX_VALUE, Rate.parse("10/s"),
                Duration.ofSeconds(15));
        try (ReplayJob job = ReplayJob.open(request, java.time.Clock.systemUTC())) {
            return job.run(ReplayListener.NONE, new StopSignal());
        }
    }
}
