package io.billingworker.simulator;

import static io.billingworker.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Latency, random 5xx, 429, hangs, dropped connections and outages. */
class SessionSimulatorFaultsTest {

    @RegisterExtension
    final SimulatorFixture fixture = SimulatorFixture.notStarted();
    private SessionSimulator simulator;
    private SimulatorClient client;

    private void start(SessionSimulator.Builder builder) {
        simulator = fixture.start(builder);
        client = fixture.client();
    }

    @Test
    void shouldHonourFixedLatency() {
        start(SessionSimulator.builder().latency(LatencyModel.fixed(Duration.ofMillis(300))));

        long started = System.nanoTime();
        HttpResponse<String> response = client.post(SeedRequests.session("slow-1"));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void shouldChangeLatencyWhileRunning() {
        start(SessionSimulator.builder());
        simulator.latency(LatencyModel.uniform(Duration.ofMillis(200), Duration.ofMillis(250)));

        long started = System.nanoTime();
        client.post(SeedRequests.session("slow-2"));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(simulator.faults().latency())
                .isEqualTo(LatencyModel.uniform(Duration.ofMillis(200), Duration.ofMillis(250)));
    }

    @Test
    void shouldAnswerServerErrorsAtRoughlyTheConfiguredRate() {
        start(SessionSimulator.builder().seed(42).errorRate(0.3));
        List<Integer> statuses = new ArrayList<>();

        for (int i = 0; i < 400; i++) {
            statuses.add(client.post(SeedRequests.session("rate-" + i)).statusCode());
        }

        long errors = statuses.stream().filter(s -> s >= 500).count();
        assertThat(errors).isBetween(90L, 150L);
        assertThat(Set.copyOf(statuses)).containsExactlyInAnyOrder(200, 500, 502, 503);
        assertThat(simulator.ordersCreated()).isEqualTo(400 - errors);
        assertThat(simulator.responses(500) + simulator.responses(502) + simulator.responses(503)).isEqualTo(errors);
    }

    @Test
    void shouldDrawTheSameFaultsFromTheSameSeed() {
        start(SessionSimulator.builder().seed(99).errorRate(0.5));
        List<Integer> first = statuses(20, "a");
        simulator.close();
        client.close();
        start(SessionSimulator.builder().seed(99).errorRate(0.5));

        List<Integer> second = statuses(20, "b");

        assertThat(second).isEqualTo(first);
        assertThat(first).contains(200).anyMatch(status -> status >= 500);
    }

    @Test
    void shouldAnswerServerErrorInJuspayShape() {
        start(SessionSimulator.builder().errorRate(1.0));

        HttpResponse<String> response = client.post(SeedRequests.session("err-1"));

        assertThat(response.statusCode()).isIn(500, 502, 503);
        assertThat(json(response).get("status").asText()).isEqualTo("error");
        assertThat(json(response).get("error_code").asText())
                .isIn("Internal server Error", "Bad Gateway", "Service Unavailable");
        assertThat(json(response).get("error_message").asText())
                .isEqualTo("Simulated server error " + response.statusCode());
    }

    @Test
    void shouldAnswer429WithRetryAfterInWholeSeconds() {
        start(SessionSimulator.builder().rate429(1.0, Duration.ofMillis(1500)));

        HttpResponse<String> response = client.post(SeedRequests.session("busy-1"));

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("2");
        assertThat(response.body()).isEqualTo("{\"status\":\"error\",\"error_code\":\"too_many_requests\","
                + "\"error_message\":\"Too many requests, please retry later\"}");
    }

    @Test
    void shouldHangUntilClientTimesOutAndReleaseTheHangOnClose() {
        start(SessionSimulator.builder().hangRate(1.0));

        IOException error = client.sendExpectingIoError(SeedRequests.session("hang-1"), Duration.ofMillis(300));

        assertThat(error).isInstanceOf(HttpTimeoutException.class);
        assertThat(simulator.inFlight()).isEqualTo(1);
        assertThat(simulator.stats().hangsStarted()).isEqualTo(1);
        long closing = System.nanoTime();
        simulator.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(3));
        assertThat(simulator.inFlight()).isZero();
    }

    @Test
    void shouldDropAHangAfterTheMaximumHang() {
        start(SessionSimulator.builder().hangRate(1.0).maxHang(Duration.ofMillis(200)));

        IOException error = client.sendExpectingIoError(SeedRequests.session("hang-2"), Duration.ofSeconds(10));

        assertThat(error).isNotInstanceOf(HttpTimeoutException.class);
        await().atMost(Duration.ofSeconds(2)).until(() -> simulator.inFlight() == 0);
        assertThat(simulator.stats().connectionsDropped()).isEqualTo(1);
    }

    @Test
    void shouldDropHangsBeyondTheBoundAtOnce() {
        start(SessionSimulator.builder().hangRate(1.0).maxConcurrentHangs(1));
        CompletableFuture<IOException> first = CompletableFuture.supplyAsync(
                () -> client.sendExpectingIoError(SeedRequests.session("hang-3"), Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.inFlight() == 1);

        long started = System.nanoTime();
        IOException second = client.sendExpectingIoError(SeedRequests.session("hang-4"), Duration.ofSeconds(2));

        assertThat(second).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(first.join()).isInstanceOf(HttpTimeoutException.class);
        assertThat(simulator.stats().hangsStarted()).isEqualTo(2);
    }

    @Test
    void shouldDropConnectionWithoutResponse() {
        start(SessionSimulator.builder().resetRate(1.0));

        IOException error = client.sendExpectingIoError(SeedRequests.session("reset-1"), Duration.ofSeconds(5));

        assertThat(error).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(simulator.stats().connectionsDropped()).isEqualTo(1);
        assertThat(simulator.stats().responsesByStatus()).isEmpty();
        assertThat(simulator.ordersCreated()).isZero();
    }

    @Test
    void shouldAnswerEveryCallWith503DuringAnOutageAndRecoverAfterwards() {
        start(SessionSimulator.builder());
        simulator.script("scripted-1", Behaviour.succeed());
        simulator.outage(true);

        HttpResponse<String> plain = client.post(SeedRequests.session("outage-1"));
        HttpResponse<String> scripted = client.post(SeedRequests.session("scripted-1"));
        simulator.outage(false);
        HttpResponse<String> recovered = client.post(SeedRequests.session("outage-1"));

        assertThat(plain.statusCode()).isEqualTo(503);
        assertThat(plain.body()).isEqualTo(
                "{\"status\":\"error\",\"error_code\":\"Service Unavailable\",\"error_message\":\"Simulated outage\"}");
        assertThat(scripted.statusCode()).isEqualTo(503);
        assertThat(recovered.statusCode()).isEqualTo(200);
        assertThat(simulator.ordersCreated()).isEqualTo(1);
    }

    @Test
    void shouldRejectFaultRatesAddingUpToMoreThanOne() {
        start(SessionSimulator.builder().errorRate(0.6));

        assertThatThrownBy(() -> simulator.hangRate(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("errorRate + rate429 + hangRate + resetRate must not exceed 1, was 1.1");
        assertThat(simulator.faults().hangRate()).isZero();
    }

    @Test
    void shouldRejectRateOutsideZeroToOne() {
        assertThatThrownBy(() -> SessionSimulator.builder().errorRate(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("errorRate must be between 0 and 1, was 1.5");
    }

    private List<Integer> statuses(int count, String prefix) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(client.post(SeedRequests.session(prefix + i)).statusCode());
        }
        return statuses;
    }
}
