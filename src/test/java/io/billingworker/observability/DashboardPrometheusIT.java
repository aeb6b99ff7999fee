package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.billingworker.app.DemoSignups;
import io.billingworker.app.LoopbackPorts;
import io.billingworker.app.Worker;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.testsupport.WorkerHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker on the real broker and registry, scraped by a real Prometheus server (Debian's package, on loopback)
 * that also evaluates the alert rules: every dashboard query must parse and return data, every alert rule must
 * evaluate without error, and every metric of the catalog must be in the worker's scrape.
 */
class DashboardPrometheusIT {

    private static final String RATE_INTERVAL = "1m";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldAnswerEveryDashboardQueryAndEvaluateEveryAlertAgainstARealScrape() throws Exception {
        int opsPort = LoopbackPorts.pickFree(1).getFirst();
        try (WorkerHarness harness = WorkerHarness.start(3)) {
            harness.simulator().alwaysFail("ord_dash_fail", 503);
            harness.simulator().alwaysUnauthorized("ord_dash_auth");
            harness.simulator().rejectOrder("ord_dash_reject", "invalid_request", "plan is not active");
            harness.set("ops.host", "127.0.0.1").set("ops.port", Integer.toString(opsPort));
            Worker worker = harness.startWorker();
            List<SubscriptionSignup> signups = signups();
            harness.publish(signups);
            harness.publishRaw("sub_dash_garbage", "{not avro}".getBytes(StandardCharsets.UTF_8), List.of());
            assertThat(harness.awaitOutcomes(signups.size() + 1, Duration.ofSeconds(90)).total())
                    .isEqualTo(signups.size() + 1);
            assertThat(worker.opsPort()).isEqualTo(opsPort);

            try (PrometheusServer prometheus = PrometheusServer.start("127.0.0.1:" + opsPort, OpsFiles.ALERTS)) {
                List<DashboardQueries.Query> queries = DashboardQueries.panelQueries(OpsFiles.json(OpsFiles.DASHBOARD));
                Map<DashboardQueries.Query, JsonNode> answers = awaitAnswers(prometheus, queries, Duration.ofSeconds(90));

                for (Map.Entry<DashboardQueries.Query, JsonNode> answer : answers.entrySet()) {
                    DashboardQueries.Query query = answer.getKey();
                    assertThat(answer.getValue().get("status").asText())
                            .as(query.panel() + " " + query.refId() + ": " + answer.getValue()).isEqualTo("success");
                    assertThat(answer.getValue().at("/data/result"))
                            .as(query.panel() + " " + query.refId() + " returned nothing: " + query.expr())
                            .isNotEmpty();
                }
                assertThat(prometheus.targets().at("/data/activeTargets/0/health").asText()).isEqualTo("up");
                assertEveryAlertRuleEvaluates(prometheus);
                assertThat(prometheus.query("sum(rate(billing_outcomes_total[").get("status").asText())
                        .as("a broken expression must be reported").isEqualTo("error");
            }
            assertEveryCatalogMetricIsScraped(opsPort);
        }
    }

    private static List<SubscriptionSignup> signups() {
        List<SubscriptionSignup> signups = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            signups.add(withOrder(DemoSignups.seedShape("sub_dash_" + i, "evt_dash_" + i, null, null, Instant.now()),
                    "ord_dash_" + i));
        }
        signups.add(withOrder(DemoSignups.seedShape("sub_dash_fail", "evt_dash_fail", null, null, Instant.now()),
                "ord_dash_fail"));
        signups.add(withOrder(DemoSignups.seedShape("sub_dash_auth", "evt_dash_auth", null, null, Instant.now()),
                "ord_dash_auth"));
        signups.add(withOrder(DemoSignups.seedShape("sub_dash_reject", "evt_dash_reject", null, null, Instant.now()),
                "ord_dash_reject"));
        SubscriptionSignup invalid = DemoSignups.seedShape("sub_dash_invalid", "evt_dash_invalid", null, null,
                Instant.now());
        invalid.setAmount("1e2");
        signups.add(invalid);
        return signups;
    }

    private static SubscriptionSignup withOrder(SubscriptionSignup signup, String orderId) {
        signup.setOrderId(orderId);
        return signup;
    }

    /** Polls until every query returns data (the first scrapes and the Kafka binder's refresh take a few seconds). */
    private static Map<DashboardQueries.Query, JsonNode> awaitAnswers(PrometheusServer prometheus,
            List<DashboardQueries.Query> queries, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<DashboardQueries.Query, JsonNode> answers = new LinkedHashMap<>();
            boolean complete = true;
            for (DashboardQueries.Query query : queries) {
                JsonNode answer = prometheus.query(query.forPrometheus(RATE_INTERVAL));
                answers.put(query, answer);
                complete &= "success".equals(answer.get("status").asText()) && !answer.at("/data/result").isEmpty();
            }
            if (complete || System.nanoTime() > deadline) {
                return answers;
            }
            Thread.sleep(1_000);
        }
    }

    private static void assertEveryAlertRuleEvaluates(PrometheusServer prometheus) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> names = new ArrayList<>();
        while (true) {
            names.clear();
            List<String> unhealthy = new ArrayList<>();
            for (JsonNode group : prometheus.rules().at("/data/groups")) {
                for (JsonNode rule : group.get("rules")) {
                    names.add(rule.get("name").asText());
                    if (!"ok".equals(rule.get("health").asText())) {
                        unhealthy.add(rule.get("name").asText() + " " + rule.get("health").asText() + " "
                                + rule.path("lastError").asText());
                    }
                }
            }
            if (unhealthy.isEmpty() && !names.isEmpty() || System.nanoTime() > deadline) {
                assertThat(unhealthy).isEmpty();
                break;
            }
            Thread.sleep(500);
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(
                OpsFiles.alertRules().stream().map(rule -> rule.get("alert").asText()).toList());
    }

    private void assertEveryCatalogMetricIsScraped(int opsPort) throws Exception {
        // jvm_gc_pause_seconds appears with the first collection, which a short run may not have had yet.
        System.gc();
        String scrape = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!scrape.contains("# TYPE jvm_gc_pause_seconds ") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics")).GET()
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        for (MetricsCatalog entry : MetricsCatalog.values()) {
            assertThat(scrape).as(entry.name())
                    .containsPattern("(?m)^# TYPE " + entry.prometheusName() + " " + entry.type().prometheusType() + "$");
        }
    }
}
