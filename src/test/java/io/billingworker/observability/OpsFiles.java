package io.billingworker.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the ops files live in the repository, and how tests read them. */
final class OpsFiles {

    static final Path CHART = Path.of("helm/billing-session-worker").toAbsolutePath();
    static final Path ALERTS = CHART.resolve("alerts/billing-session-worker-alerts.yaml");
    static final Path ALERT_TESTS = CHART.resolve("alerts/tests/alerts-test.yaml");
    static final Path DASHBOARD = CHART.resolve("dashboards/billing-session-worker.json");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private OpsFiles() {
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every alerting rule of the rules file. */
    static List<JsonNode> alertRules() {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode group : yaml(ALERTS).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (rule.has("alert")) {
                    alerts.add(rule);
                }
            }
        }
        return alerts;
    }
}
