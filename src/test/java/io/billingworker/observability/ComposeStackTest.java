package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.billingworker.app.DevMain;
import io.billingworker.app.Main;
import io.billingworker.config.ConfigKeys;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docker-compose.yml and the files it mounts, checked without a Docker engine (none runs here): Debian's
 * docker-compose validates the file, promtool the Prometheus config, and the worker's own config validation the
 * worker's environment; the services must agree with each other (keys, ports, topics, URLs, mounted paths).
 */
class ComposeStackTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml").toAbsolutePath();
    private static final Path PROMETHEUS_CONFIG = Path.of("src/main/docker/prometheus/prometheus.yml").toAbsolutePath();
    private final JsonNode services = OpsFiles.yaml(COMPOSE).get("services");

    @Test
    void shouldPassDockerComposeConfigValidation() throws Exception {
        ExternalTool compose = ExternalTool.require("docker-compose",
                "Install Debian's docker-compose package (apt-get install docker-compose)");

        ExternalTool.Result result = compose.run(COMPOSE.getParent(), Duration.ofMinutes(1), "-f", COMPOSE.toString(),
                "config", "-q");

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void shouldPassPromtoolCheckConfig() throws Exception {
        ExternalTool promtool = ExternalTool.require("promtool",
                "Install Debian's prometheus package (apt-get install prometheus)");

        ExternalTool.Result result = promtool.run(PROMETHEUS_CONFIG.getParent(), Duration.ofMinutes(1), "check",
                "config", PROMETHEUS_CONFIG.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void shouldBringUpEveryPartOfTheStackWithTheWorkerImageBuiltFromTheDockerfile() throws Exception {
        ExternalTool compose = ExternalTool.require("docker-compose",
                "Install Debian's docker-compose package (apt-get install docker-compose)");

        ExternalTool.Result resolved = compose.run(COMPOSE.getParent(), Duration.ofMinutes(1), "-f", COMPOSE.toString(),
                "config");

        JsonNode resolvedServices = OpsFiles.YAML.readTree(resolved.output()).get("services");
        List<String> names = new ArrayList<>();
        resolvedServices.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("kafka", "topics", "schema-registry", "worker", "simulator",
                "producer", "prometheus", "grafana");
        assertThat(resolvedServices.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        for (String service : List.of("worker", "simulator", "producer")) {
            assertThat(resolvedServices.at("/" + service + "/build/dockerfile").asText()).as(service)
                    .isEqualTo("src/main/docker/Dockerfile");
        }
        assertThat(resolvedServices.at("/worker/image").asText()).isEqualTo("billing-session-worker:local");
        assertThat(resolvedServices.at("/worker/build/target").isMissingNode()).as("the worker runs the shipped image")
                .isTrue();
        for (String service : List.of("simulator", "producer")) {
            assertThat(resolvedServices.at("/" + service + "/image").asText()).as(service)
                    .isEqualTo("billing-session-worker:local-dev");
            assertThat(resolvedServices.at("/" + service + "/build/target").asText()).as(service).isEqualTo("dev");
        }
        assertThat(Files.readString(Path.of("src/main/docker/Dockerfile"))).contains(" AS dev\n");
    }

    @Test
    void shouldStartTheDevToolsWithCommandsTheDevCommandLineKnows() {
        CommandLine devCommands = DevMain.commandLine();

        for (String service : List.of("simulator", "producer")) {
            String command = texts(services.at("/" + service + "/command")).get(0);
            assertThat(devCommands.getSubcommands()).as(service).containsKey(command);
        }
        assertThat(Main.commandLine().getSubcommands()).as("the shipped command line")
                .doesNotContainKeys("simulator", "produce-samples", "demo", "bench");
    }

    @Test
    void shouldGiveTheWorkerAConfigurationItAccepts() {
        Map<String, String> environment = environment("worker");

        WorkerConfig config = WorkerConfig.from(new ConfigSource(Map.of(), environment, Map.of()));

        assertThat(config.ops().port()).isEqualTo(9400);
        assertThat(config.merchants()).singleElement().satisfies(merchant -> {
            assertThat(merchant.id()).isEqualTo("demo_merchant");
            assertThat(environment).containsKey(merchant.keySource().environmentVariable());
        });
    }

    @Test
    void shouldHaveTheSimulatorAcceptTheWorkersKeyOnTheWorkersLoopback() {
        Map<String, String> worker = environment("worker");
        URI baseUrl = URI.create(worker.get("BILLING_JUSPAY_BASE_URL"));
        List<String> command = texts(services.at("/simulator/command"));

        assertThat(services.at("/simulator/network_mode").asText()).isEqualTo("service:worker");
        assertThat(baseUrl.getHost()).isEqualTo("127.0.0.1");
        assertThat(command.get(command.indexOf("--port") + 1)).isEqualTo(Integer.toString(baseUrl.getPort()));
        assertThat(environment("simulator").get("SIMULATOR_MERCHANT_KEYS"))
                .isEqualTo(worker.get("BILLING_MERCHANTS_IDS") + ":" + worker.get("DEMO_MERCHANT_API_KEY"));
    }

    @Test
    void shouldCreateTheTopicsTheWorkerUsesAndProduceToTheWorkersRegistry() {
        String topicsScript = services.at("/topics/command/0").asText();
        List<String> producer = texts(services.at("/producer/command"));

        for (var key : List.of(ConfigKeys.TOPIC_INPUT, ConfigKeys.TOPIC_CREATED, ConfigKeys.TOPIC_FAILED,
                ConfigKeys.TOPIC_DEAD_LETTER)) {
            assertThat(topicsScript).contains(key.defaultValue() + ":");
        }
        assertThat(producer.get(producer.indexOf("--registry-url") + 1))
                .isEqualTo(environment("worker").get("BILLING_SCHEMA_REGISTRY_URL"));
        assertThat(services.at("/producer/depends_on/worker/condition").asText()).isEqualTo("service_healthy");
    }

    @Test
    void shouldScrapeTheWorkerAndProvisionTheDashboardFromTheChartsFiles() {
        JsonNode prometheus = OpsFiles.yaml(PROMETHEUS_CONFIG);
        List<String> mounts = new ArrayList<>(texts(services.at("/prometheus/volumes")));
        mounts.addAll(texts(services.at("/grafana/volumes")));
        JsonNode provider = OpsFiles.yaml(Path.of("src/main/docker/grafana/provisioning/dashboards/"
                + "billing-session-worker.yml")).at("/providers/0/options/path");

        assertThat(prometheus.at("/scrape_configs/0/static_configs/0/targets/0").asText())
                .isEqualTo("worker:" + environment("worker").get("BILLING_OPS_PORT"));
        assertThat(mounts).contains(
                "./helm/billing-session-worker/alerts/billing-session-worker-alerts.yaml:"
                        + "/etc/prometheus/rules/billing-session-worker-alerts.yaml:ro",
                "./helm/billing-session-worker/dashboards:" + provider.asText() + ":ro");
        for (String mount : mounts) {
            assertThat(Path.of(mount.substring(0, mount.indexOf(':')))).as(mount).exists();
        }
    }

    private Map<String, String> environment(String service) {
        Map<String, String> environment = new HashMap<>();
        services.get(service).get("environment").fields()
                .forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        return environment;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
