package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.billingworker.app.DemoSignups;
import io.billingworker.app.LoopbackPorts;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.testsupport.WorkerHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ops endpoint of a real worker on the real broker and registry: ready once it consumes, still live but not
 * ready while an open circuit breaker pauses fetching, and not ready while the schema registry is unreachable.
 */
class OpsEndpointIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeClient() {
        http.close();
    }

    @Test
    void shouldStayLiveButNotReadyWhileAnOpenBreakerPausesFetching() throws Exception {
        int port = LoopbackPorts.pickFree(1).getFirst();
        try (WorkerHarness harness = WorkerHarness.start(2)) {
            harness.set("ops.host", "127.0.0.1").set("ops.port", Integer.toString(port))
                    .set("breaker.window-calls", "4").set("breaker.minimum-calls", "4")
                    .set("breaker.open-wait-ms", "120000");
            harness.startWorker();
            await().atMost(Duration.ofSeconds(60)).until(() -> get(port, "/health/ready").statusCode() == 200);
            JsonNode ready = json(get(port, "/health/ready"));
            assertThat(ready.at("/checks/kafka/detail").asText()).matches("\\d+ partition\\(s\\) assigned, last heartbeat \\d+ s ago");
            assertThat(ready.at("/checks/schema-registry/detail").asText()).startsWith("reachable: http://127.0.0.1:");

            harness.simulator().outage(true);
            harness.publish(signups(6));

            await().atMost(Duration.ofSeconds(60)).until(() -> get(port, "/health/ready").statusCode() == 503);
            HttpResponse<String> live = get(port, "/health/live");
            JsonNode notReady = json(get(port, "/health/ready"));
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(json(live).at("/checks/outcome-producer").toString())
                    .isEqualTo("{\"status\":\"UP\",\"detail\":\"answering\"}");
            assertThat(notReady.at("/checks/circuit-breakers").toString()).isEqualTo("{\"status\":\"DOWN\",\"detail\":"
                    + "\"circuit breaker open for every merchant: " + WorkerHarness.MERCHANT + "\"}");
            assertThat(notReady.at("/checks/consumer-loop/status").asText()).isEqualTo("UP");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape(port))
                    .contains("resilience4j_circuitbreaker_state{name=\"" + WorkerHarness.MERCHANT + "\",state=\"open\"} 1.0")
                    .containsPattern("(?m)^billing_records_held [1-9]"));
        }
    }

    @Test
    void shouldNotBeReadyWhileTheSchemaRegistryIsUnreachable() throws Exception {
        int port = LoopbackPorts.pickFree(1).getFirst();
        int closedPort = LoopbackPorts.pickFree(1).getFirst();
        try (WorkerHarness harness = WorkerHarness.start(1)) {
            harness.set("ops.host", "127.0.0.1").set("ops.port", Integer.toString(port))
                    .set("schema.registry.url", "http://127.0.0.1:" + closedPort);
            harness.startWorker();

            await().atMost(Duration.ofSeconds(60)).until(() -> json(get(port, "/health/ready"))
                    .at("/checks/kafka/status").asText().equals("UP"));

            HttpResponse<String> ready = get(port, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json(ready).at("/checks/schema-registry/detail").asText())
                    .isEqualTo("unreachable: http://127.0.0.1:" + closedPort + ": ConnectException");
            assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
        }
    }

    private static List<SubscriptionSignup> signups(int count) {
        List<SubscriptionSignup> signups = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            signups.add(DemoSignups.seedShape("sub_ops_" + i, "evt_ops_" + i, null, null, Instant.now()));
        }
        return signups;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape(int port) throws Exception {
        return get(port, "/metrics").body();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return OpsFiles.JSON.readTree(response.body());
    }
}
