package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private OpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        http.close();
    }

    @Test
    void shouldServeTheScrapeAsPrometheusText() throws Exception {
        server = OpsServer.start("127.0.0.1", 0, () -> "# TYPE up gauge\nup 1\n", Map.of(), Map.of());

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(OpsServer.METRICS_CONTENT_TYPE);
        assertThat(response.body()).isEqualTo("# TYPE up gauge\nup 1\n");
    }

    @Test
    void shouldAnswerLiveWhileReadinessIsDownWithTheReasonsAsJson() throws Exception {
        Map<String, HealthCheck> readiness = new LinkedHashMap<>();
        readiness.put("consumer-loop", () -> HealthCheck.Status.up("running"));
        readiness.put("circuit-breakers", () -> WorkerObservability.breakers(Map.of("m1", CircuitBreaker.State.OPEN,
                "m2", CircuitBreaker.State.FORCED_OPEN), Set.of("m1", "m2")));
        server = OpsServer.start("127.0.0.1", 0, () -> "", Map.of("consumer-loop",
                () -> HealthCheck.Status.up("no fatal error")), readiness);

        HttpResponse<String> live = get("/health/live");
        HttpResponse<String> ready = get("/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo(
                "{\"status\":\"UP\",\"checks\":{\"consumer-loop\":{\"status\":\"UP\",\"detail\":\"no fatal error\"}}}\n");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":{"
                + "\"consumer-loop\":{\"status\":\"UP\",\"detail\":\"running\"},"
                + "\"circuit-breakers\":{\"status\":\"DOWN\",\"detail\":"
                + "\"circuit breaker open for every merchant: m1, m2\"}}}\n");
    }

    @Test
    void shouldStayReadyWhileOnlySomeMerchantsBreakersAreOpen() {
        HealthCheck.Status some = WorkerObservability.breakers(Map.of("m1", CircuitBreaker.State.OPEN,
                "m2", CircuitBreaker.State.CLOSED), Set.of("m1", "m2", "m3"));
        HealthCheck.Status calledOnesOpen = WorkerObservability.breakers(Map.of("m1", CircuitBreaker.State.OPEN),
                Set.of("m1", "m2"));
        HealthCheck.Status none = WorkerObservability.breakers(Map.of("m1", CircuitBreaker.State.HALF_OPEN),
                Set.of("m1"));

        assertThat(some).isEqualTo(HealthCheck.Status.up(
                "circuit breaker open for merchant(s) m1; their signups are held, the other merchants' are served"));
        assertThat(calledOnesOpen.up()).isTrue();
        assertThat(none).isEqualTo(HealthCheck.Status.up("no breaker open"));
    }

    @Test
    void shouldReportACheckThatThrowsAsDownByClassName() throws Exception {
        server = OpsServer.start("127.0.0.1", 0, () -> "", Map.of(), Map.of("kafka", () -> {
            throw new IllegalStateException("secret-looking detail");
        }));

        HttpResponse<String> ready = get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("check failed: java.lang.IllegalStateException")
                .doesNotContain("secret-looking detail");
    }

    @Test
    void shouldRefuseUnknownPathsAndOtherMethods() throws Exception {
        server = OpsServer.start("127.0.0.1", 0, () -> "", Map.of(), Map.of());

        HttpResponse<String> unknown = get("/metricsx");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    }

    @Test
    void shouldFailClearlyWhenThePortIsTaken() {
        server = OpsServer.start("127.0.0.1", 0, () -> "", Map.of(), Map.of());

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> OpsServer.start("127.0.0.1", server.port(), () -> "", Map.of(), Map.of()))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessage("cannot bind the ops endpoint to 127.0.0.1:" + server.port());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
