package io.billingworker.simulator;

import static io.billingworker.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-order scripted behaviour: each of the one-liners a worker's tests need. */
class SessionSimulatorScriptTest {

    @RegisterExtension
    final SimulatorFixture fixture = SimulatorFixture.started();
    private final SessionSimulator simulator = fixture.simulator();
    private final SimulatorClient client = fixture.client();

    @Test
    void shouldFailTimesThenSucceed() {
        simulator.failTimesThenSucceed("retry-1", 2, 503);

        List<Integer> statuses = calls("retry-1", 4);

        assertThat(statuses).containsExactly(503, 503, 200, 200);
        assertThat(simulator.ordersCreated()).isEqualTo(1);
        assertThat(simulator.requestsFor("retry-1")).hasSize(4);
    }

    @Test
    void shouldAlwaysFail() {
        simulator.alwaysFail("exhaust-1", 500);

        List<Integer> statuses = calls("exhaust-1", 5);

        assertThat(statuses).containsOnly(500).hasSize(5);
        assertThat(simulator.ordersCreated()).isZero();
    }

    @Test
    void shouldRejectOrderWithGivenError() {
        simulator.rejectOrder("reject-1", "Invalid plan", "Plan sample_fixed_plan is not active");

        HttpResponse<String> response = client.post(SeedRequests.billing("reject-1"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"status\":\"Bad Request\",\"error_code\":\"Invalid plan\","
                + "\"error_message\":\"Plan sample_fixed_plan is not active\"}");
        assertThat(simulator.ordersCreated()).isZero();
    }

    @Test
    void shouldRejectEveryOrderWithPrefix() {
        simulator.rejectOrdersStartingWith("REJ", "Invalid plan", "Plan is not active");

        int first = client.post(SeedRequests.billing("REJ-1")).statusCode();
        int second = client.post(SeedRequests.billing("REJ-2")).statusCode();
        int other = client.post(SeedRequests.billing("OK-1")).statusCode();

        assertThat(List.of(first, second, other)).containsExactly(400, 400, 200);
    }

    @Test
    void shouldWalkPrefixStepsPerOrder() {
        simulator.scriptOrdersStartingWith("FLAKY", Behaviour.serverError(502), Behaviour.succeed());

        List<Integer> statuses = List.of(
                client.post(SeedRequests.session("FLAKY-1")).statusCode(),
                client.post(SeedRequests.session("FLAKY-2")).statusCode(),
                client.post(SeedRequests.session("FLAKY-1")).statusCode(),
                client.post(SeedRequests.session("FLAKY-2")).statusCode());

        assertThat(statuses).containsExactly(502, 502, 200, 200);
    }

    @Test
    void shouldCreateOrderThenFailAndReturnTheOrderOnRetry() {
        simulator.createThenFail("created-1", 500);

        HttpResponse<String> first = client.post(SeedRequests.billing("created-1"));
        boolean storedAfterFirst = simulator.order(SimulatorClient.MERCHANT, "created-1").isPresent();
        HttpResponse<String> retry = client.post(SeedRequests.billing("created-1"));

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(storedAfterFirst).isTrue();
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).get("id").asText())
                .isEqualTo(simulator.order(SimulatorClient.MERCHANT, "created-1").orElseThrow().id());
        assertThat(simulator.ordersCreated()).isEqualTo(1);
    }

    @Test
    void shouldCreateOrderThenDropConnection() {
        simulator.script("created-2", Behaviour.createThen(Behaviour.dropConnection()), Behaviour.succeed());

        IOException error = client.sendExpectingIoError(SeedRequests.session("created-2"), Duration.ofSeconds(5));
        HttpResponse<String> retry = client.post(SeedRequests.session("created-2"));

        assertThat(error).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(simulator.ordersCreated()).isEqualTo(1);
    }

    @Test
    void shouldHangThenSucceed() {
        simulator.script("hang-1", Behaviour.hang(), Behaviour.succeed());

        IOException error = client.sendExpectingIoError(SeedRequests.session("hang-1"), Duration.ofMillis(300));
        HttpResponse<String> retry = client.post(SeedRequests.session("hang-1"));

        assertThat(error).isInstanceOf(HttpTimeoutException.class);
        assertThat(retry.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer429ThenSucceed() {
        simulator.script("busy-1", Behaviour.tooManyRequests(Duration.ofSeconds(3)), Behaviour.succeed());

        HttpResponse<String> first = client.post(SeedRequests.session("busy-1"));
        HttpResponse<String> second = client.post(SeedRequests.session("busy-1"));

        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).contains("3");
        assertThat(second.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldDelayThenSucceed() {
        simulator.script("slow-1", Behaviour.delayed(Duration.ofMillis(300), Behaviour.succeed()));

        long started = System.nanoTime();
        HttpResponse<String> response = client.post(SeedRequests.session("slow-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void shouldAnswerUnauthorizedForScriptedOrder() {
        simulator.alwaysUnauthorized("denied-1");

        HttpResponse<String> response = client.post(SeedRequests.session("denied-1"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error_code").asText()).isEqualTo("access_denied");
    }

    @Test
    void shouldAnswerGivenErrorWithErrorInfo() {
        ObjectNode info = JsonNodeFactory.instance.objectNode().put("code", "PLAN_INACTIVE");
        simulator.script("info-1", Behaviour.fail(JuspayError.badRequest("Invalid plan", "Plan is not active")
                .withErrorInfo(info)));

        HttpResponse<String> response = client.post(SeedRequests.billing("info-1"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error_info")).isEqualTo(info);
    }

    @Test
    void shouldPreferScriptOverRandomFaults() {
        simulator.errorRate(1.0);
        simulator.script("lucky-1", Behaviour.succeed());

        HttpResponse<String> scripted = client.post(SeedRequests.session("lucky-1"));
        HttpResponse<String> unscripted = client.post(SeedRequests.session("unlucky-1"));

        assertThat(scripted.statusCode()).isEqualTo(200);
        assertThat(unscripted.statusCode()).isGreaterThanOrEqualTo(500);
    }

    @Test
    void shouldForgetScriptsWhenCleared() {
        simulator.alwaysFail("cleared-1", 500);
        simulator.clearScripts();

        HttpResponse<String> response = client.post(SeedRequests.session("cleared-1"));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseEmptyScriptAndNonServerErrorStatus() {
        assertThatThrownBy(() -> simulator.script("x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a script needs at least one step");
        assertThatThrownBy(() -> simulator.alwaysFail("x", 404))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a server error's HTTP status must be 5xx, was 404");
    }

    private List<Integer> calls(String orderId, int times) {
        return IntStream.range(0, times)
                .mapToObj(i -> client.post(SeedRequests.session(orderId)).statusCode())
                .toList();
    }
}
