package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard's structure (no Grafana server is obtainable here): what Grafana needs to load and provision
 * it, the panels the issue asks for, and that every query reads only cataloged metrics. Its queries run against a
 * real Prometheus in {@code DashboardPrometheusIT}.
 */
class DashboardTest {

    private final JsonNode dashboard = OpsFiles.json(OpsFiles.DASHBOARD);

    @Test
    void shouldHaveTheFieldsGrafanaProvisioningNeeds() {
        assertThat(dashboard.get("uid").asText()).isEqualTo("billing-session-worker");
        assertThat(dashboard.get("title").asText()).isEqualTo("Billing session worker");
        assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.has("id")).as("provisioned dashboards must not carry a database id").isFalse();
        JsonNode datasource = dashboard.at("/templating/list/0");
        assertThat(datasource.get("name").asText()).isEqualTo("datasource");
        assertThat(datasource.get("type").asText()).isEqualTo("datasource");
        assertThat(datasource.get("query").asText()).isEqualTo("prometheus");
    }

    @Test
    void shouldHaveThePanelsOperatorsAskedFor() {
        List<String> titles = panels().stream().map(panel -> panel.get("title").asText()).toList();

        assertThat(titles).contains("Throughput", "Outcomes by kind", "API latency p50 / p99", "Circuit breaker state",
                "Consumer lag", "In flight and waiting", "End-to-end latency", "Dead-letter rate");
    }

    @Test
    void shouldLayOutEveryPanelWithAUniqueIdOnTheGrid() {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels()) {
            String title = panel.get("title").asText();

            assertThat(ids.add(panel.get("id").asInt())).as("unique id of " + title).isTrue();
            JsonNode grid = panel.get("gridPos");
            assertThat(grid.get("x").asInt() + grid.get("w").asInt()).as(title).isBetween(1, 24);
            assertThat(grid.get("h").asInt()).as(title).isPositive();
        }
    }

    @Test
    void shouldQueryThePrometheusDatasourceVariableWithUniqueRefIds() {
        for (JsonNode panel : panels()) {
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            String title = panel.get("title").asText();
            assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(panel.get("targets")).as(title).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.get("targets")) {
                assertThat(refIds.add(target.get("refId").asText())).as(title).isTrue();
                assertThat(target.at("/datasource/uid").asText()).as(title).isEqualTo("${datasource}");
                assertThat(target.get("expr").asText()).as(title).isNotBlank();
            }
        }
    }

    @Test
    void shouldReadOnlyCatalogedMetricsInPanelsAndAlerts() {
        Set<String> cataloged = Arrays.stream(MetricsCatalog.values()).map(MetricsCatalog::prometheusName)
                .collect(Collectors.toSet());
        List<String> expressions = new java.util.ArrayList<>(DashboardQueries.panelQueries(dashboard).stream()
                .map(DashboardQueries.Query::expr).toList());
        OpsFiles.alertRules().forEach(rule -> expressions.add(rule.get("expr").asText()));

        for (String expr : expressions) {
            Set<String> families = DashboardQueries.metricFamilies(expr);

            assertThat(families).as(expr).isNotEmpty();
            assertThat(cataloged).as(expr).containsAll(families);
        }
    }

    private List<JsonNode> panels() {
        List<JsonNode> panels = new java.util.ArrayList<>();
        dashboard.get("panels").forEach(panels::add);
        return panels;
    }
}
