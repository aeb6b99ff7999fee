package io.billingworker.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Counters, peak in flight, recorded requests and reset. */
class SessionSimulatorObservabilityTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @RegisterExtension
    final SimulatorFixture fixture = SimulatorFixture.started(builder -> builder
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .maxRecordedRequests(5));
    private final SessionSimulator simulator = fixture.simulator();
    private final SimulatorClient client = fixture.client();

    @Test
    void shouldCountRequestsByStatusAndOrdersCreated() {
        simulator.alwaysFail("bad-1", 500);
        client.post(SeedRequests.session("good-1"));
        client.post(SeedRequests.session("good-1"));
        client.post(SeedRequests.session("bad-1"));
        client.post("{}", SimulatorClient.goodHeaders(), null);

        SimulatorStats stats = simulator.stats();

        assertThat(stats.requestsReceived()).isEqualTo(4);
        assertThat(stats.responsesByStatus()).containsExactlyInAnyOrderEntriesOf(Map.of(200, 2L, 500, 1L, 400, 1L));
        assertThat(stats.ordersCreated()).isEqualTo(1);
        assertThat(stats.inFlight()).isZero();
        assertThat(simulator.requestsReceived()).isEqualTo(4);
        assertThat(simulator.responses(200)).isEqualTo(2);
    }

    @Test
    void shouldTrackPeakInFlightUnderConcurrency() throws Exception {
        simulator.latency(LatencyModel.fixed(Duration.ofMillis(500)));
        List<Integer> statuses;
        try (HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
             SimulatorClient concurrent = new SimulatorClient(simulator, http);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> futures = IntStream.range(0, 200)
                    .mapToObj(i -> callers.submit(() -> concurrent.post(SeedRequests.session("peak-" + i)).statusCode()))
                    .toList();
            statuses = futures.stream().map(SessionSimulatorObservabilityTest::get).toList();
        }

        assertThat(statuses).hasSize(200).containsOnly(200);
        assertThat(simulator.peakInFlight()).isGreaterThanOrEqualTo(150);
        assertThat(simulator.inFlight()).isZero();
        assertThat(simulator.ordersCreated()).isEqualTo(200);
    }

    @Test
    void shouldRecordRequestDetails() {
        HttpResponse<String> response = client.post(SeedRequests.billing("rec-1"));

        ReceivedRequest recorded = simulator.requests().get(0);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo("/session");
        assertThat(recorded.header("X-MerchantId")).contains("merchant1");
        assertThat(recorded.header("x-routing-id")).contains("cth_rPj21roNSjEbumSy");
        assertThat(recorded.header("content-type")).contains("application/json");
        assertThat(recorded.orderId()).contains("rec-1");
        assertThat(recorded.rawBody()).isEqualTo(SeedRequests.billing("rec-1").toString());
        assertThat(recorded.body().get("payment_rules").get("payment_flows").get("billing_creation")
                .get("info").get("plan_amount").decimalValue()).isEqualByComparingTo("20.0");
        assertThat(recorded.receivedAt()).isEqualTo(NOW);
        assertThat(recorded.authenticatedMerchantId()).isEqualTo("merchant1");
    }

    @Test
    void shouldListRequestsForOneOrder() {
        client.post(SeedRequests.session("mine-1"));
        client.post(SeedRequests.session("other-1"));
        client.post(SeedRequests.session("mine-1"));

        List<ReceivedRequest> mine = simulator.requestsFor("mine-1");

        assertThat(mine).hasSize(2).allSatisfy(r -> assertThat(r.orderId()).contains("mine-1"));
    }

    @Test
    void shouldKeepOnlyTheNewestRequestsWithinTheBound() {
        IntStream.range(0, 8).forEach(i -> client.post(SeedRequests.session("bound-" + i)));

        List<ReceivedRequest> kept = simulator.requests();

        assertThat(kept).extracting(r -> r.orderId().orElseThrow())
                .containsExactly("bound-3", "bound-4", "bound-5", "bound-6", "bound-7");
        assertThat(simulator.requestsReceived()).isEqualTo(8);
    }

    @Test
    void shouldStopRecordingWhenTurnedOff() {
        simulator.recording(false);

        client.post(SeedRequests.session("quiet-1"));

        assertThat(simulator.requests()).isEmpty();
        assertThat(simulator.requestsReceived()).isEqualTo(1);
    }

    @Test
    void shouldResetToTheStartingState() {
        simulator.alwaysFail("reset-1", 500);
        simulator.outage(true).recording(false).responseShape(ResponseShape.BILLING);
        client.post(SeedRequests.session("reset-1"));
        simulator.outage(false);
        client.post(SeedRequests.session("reset-2"));

        simulator.reset();
        HttpResponse<String> afterReset = client.post(SeedRequests.session("reset-1"));

        assertThat(afterReset.statusCode()).isEqualTo(200);
        assertThat(simulator.faults()).isEqualTo(FaultSettings.NONE);
        assertThat(simulator.requestsReceived()).isEqualTo(1);
        assertThat(simulator.requests()).hasSize(1);
        assertThat(simulator.ordersCreated()).isEqualTo(1);
        assertThat(simulator.stats().responsesByStatus()).isEqualTo(Map.of(200, 1L));
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
