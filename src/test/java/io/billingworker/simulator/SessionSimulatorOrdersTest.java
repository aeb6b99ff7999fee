package io.billingworker.simulator;

import static io.billingworker.simulator.SimulatorClient.basic;
import static io.billingworker.simulator.SimulatorClient.goodHeaders;
import static io.billingworker.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An order is created once per merchant and order id, and every repeat is answered the same. */
class SessionSimulatorOrdersTest {

    @RegisterExtension
    final SimulatorFixture fixture = SimulatorFixture.started(builder -> builder.merchant("merchant2", "key2-secret"));
    private final SessionSimulator simulator = fixture.simulator();
    private final SimulatorClient client = fixture.client();

    @Test
    void shouldAnswerRepeatWithTheSameOrder() {
        JsonNode first = json(client.post(SeedRequests.billing("repeat-1")));

        JsonNode second = json(client.post(SeedRequests.billing("repeat-1")));

        assertThat(second).isEqualTo(first);
        assertThat(second.get("id").asText()).startsWith("ordeh_");
        assertThat(simulator.ordersCreated()).isEqualTo(1);
        assertThat(simulator.orders()).singleElement()
                .satisfies(order -> assertThat(order.id()).isEqualTo(first.get("id").asText()));
    }

    @Test
    void shouldKeepTheFirstRequestsOrderWhenARepeatDiffers() {
        JsonNode first = json(client.post(SeedRequests.session("repeat-2")));
        ObjectNode changed = SeedRequests.session("repeat-2");
        changed.put("amount", "5.00");

        JsonNode second = json(client.post(changed));

        assertThat(second).isEqualTo(first);
        assertThat(simulator.order(SimulatorClient.MERCHANT, "repeat-2").orElseThrow().request().get("amount").asText())
                .isEqualTo("1.0");
    }

    @Test
    void shouldCreateOneOrderForConcurrentRepeats() throws Exception {
        List<String> ids;
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = IntStream.range(0, 50)
                    .mapToObj(i -> callers.submit(
                            () -> json(client.post(SeedRequests.billing("race-1"))).get("id").asText()))
                    .toList();
            ids = futures.stream().map(SessionSimulatorOrdersTest::get).toList();
        }

        assertThat(ids).hasSize(50).containsOnly(ids.get(0));
        assertThat(simulator.ordersCreated()).isEqualTo(1);
    }

    @Test
    void shouldKeepOrdersOfDifferentMerchantsApart() {
        Map<String, String> second = goodHeaders();
        second.put("Authorization", basic("key2-secret"));
        second.put("x-merchantid", "merchant2");

        String firstId = json(client.post(SeedRequests.session("shared-1"))).get("id").asText();
        String secondId = json(client.post(SeedRequests.session("shared-1").toString(), second, null))
                .get("id").asText();

        assertThat(secondId).isNotEqualTo(firstId);
        assertThat(simulator.ordersCreated()).isEqualTo(2);
        assertThat(simulator.order("merchant2", "shared-1").orElseThrow().id()).isEqualTo(secondId);
    }

    private static String get(Future<String> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
