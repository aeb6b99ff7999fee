package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The alert rules checked by a real promtool: syntax, and unit tests that make every alert fire and stay quiet. */
class AlertRulesTest {

    private static final String PROMTOOL_HINT = "Install Debian's prometheus package (apt-get install prometheus)";

    @Test
    void shouldPassPromtoolCheckRules() throws Exception {
        ExternalTool promtool = ExternalTool.require("promtool", PROMTOOL_HINT);

        ExternalTool.Result result = promtool.run(OpsFiles.CHART, Duration.ofMinutes(1), "check", "rules",
                OpsFiles.ALERTS.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + OpsFiles.alertRules().size() + " rules found");
    }

    @Test
    void shouldPassThePromtoolUnitTestsOfEveryAlert() throws Exception {
        ExternalTool promtool = ExternalTool.require("promtool", PROMTOOL_HINT);

        ExternalTool.Result result = promtool.run(OpsFiles.ALERT_TESTS.getParent(), Duration.ofMinutes(2), "test",
                "rules", OpsFiles.ALERT_TESTS.getFileName().toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void shouldUnitTestEveryAlertFiringAndQuiet() {
        Set<String> firing = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : OpsFiles.yaml(OpsFiles.ALERT_TESTS).get("tests")) {
            for (JsonNode check : test.get("alert_rule_test")) {
                String alert = check.get("alertname").asText();
                if (check.get("exp_alerts").isEmpty()) {
                    quiet.add(alert);
                } else {
                    firing.add(alert);
                }
            }
        }

        List<String> alerts = OpsFiles.alertRules().stream().map(rule -> rule.get("alert").asText()).toList();

        assertThat(alerts).hasSizeGreaterThanOrEqualTo(6).doesNotHaveDuplicates();
        assertThat(firing).containsExactlyInAnyOrderElementsOf(alerts);
        assertThat(quiet).containsExactlyInAnyOrderElementsOf(alerts);
    }

    @Test
    void shouldGiveEveryAlertASeveritySummaryDescriptionAndRunbook() throws IOException {
        String runbooks = Files.readString(Path.of("docs/runbooks.md"), StandardCharsets.UTF_8);
        for (JsonNode rule : OpsFiles.alertRules()) {
            String alert = rule.get("alert").asText();

            assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("critical", "warning");
            assertThat(rule.at("/annotations/summary").asText()).as(alert).isNotBlank();
            assertThat(rule.at("/annotations/description").asText()).as(alert).isNotBlank();
            assertThat(rule.at("/annotations/runbook").asText()).as(alert)
                    .isEqualTo("docs/runbooks.md#" + alert.toLowerCase(Locale.ROOT));
            assertThat(runbooks).as(alert + " has its section in docs/runbooks.md").contains("\n## " + alert + "\n");
        }
    }
}
