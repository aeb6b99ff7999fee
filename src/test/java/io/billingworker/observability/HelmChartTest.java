package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart, through Helm itself (helm-java bundles it as a native library): {@code helm lint --strict}, and
 * {@code helm template} over every values file in {@code ci/} plus the defaults. The rendered manifests are written
 * to {@code target/helm-rendered/} and validated against the Kubernetes, prometheus-operator and KEDA schemas by
 * {@code .ci/manifest-check/validate.mjs} (node; {@code .ci/ops-checks} installs it), then checked for what SREs rely
 * on: probes, security context, grace period, secret handling, same alert rules, autoscaling bound.
 */
class HelmChartTest {

    private static final Path RENDERED = Path.of("target/helm-rendered");
    private static final Path VALIDATOR = Path.of("target/manifest-check/validate.mjs");
    /** The Kubernetes version the manifests are rendered for (helm-java defaults to 1.20). */
    private static final String KUBE_VERSION = "1.30.0";

    static List<String> valuesFiles() throws IOException {
        List<String> files = new ArrayList<>();
        files.add("defaults");
        try (Stream<Path> ci = Files.list(OpsFiles.CHART.resolve("ci"))) {
            ci.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".yaml")).sorted()
                    .forEach(files::add);
        }
        return files;
    }

    @Test
    void shouldPassHelmLintStrict() {
        LintResult result = new Helm(OpsFiles.CHART).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void shouldRenderManifestsThatPassTheKubernetesSchemas(String valuesFile) throws Exception {
        Path manifests = render(valuesFile);

        ExternalTool.Result result = validate(manifests);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains(" 0 problem(s)");
    }

    @Test
    void shouldHaveASchemaValidatorThatRejectsABrokenManifest() throws Exception {
        Path broken = Files.createDirectories(RENDERED).resolve("broken-for-validator.yaml");
        Files.writeString(broken, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: broken}
                spec:
                  replicas: "two"
                  selector: {matchLabels: {app: broken}}
                  template:
                    metadata: {labels: {app: broken}}
                    spec:
                      containers: [{name: worker, image: worker}]
                """);

        ExternalTool.Result result = validate(broken);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("Deployment/broken: /spec/replicas must be integer");
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void shouldRunTheWorkerSafelyAndObservably(String valuesFile) throws Exception {
        List<JsonNode> manifests = parse(render(valuesFile));

        JsonNode deployment = only(manifests, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(container.at("/resources/requests/memory").asText()).isNotBlank();
        assertThat(container.at("/resources/limits/memory").asText()).isNotBlank();
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("ops");
        assertThat(container.at("/volumeMounts").findValuesAsText("mountPath")).contains("/tmp");
        String properties = only(manifests, "ConfigMap", "worker.properties").at("/data/worker.properties").asText();
        long shutdownGraceSeconds = Long.parseLong(property(properties, "processing.shutdown-grace-ms")) / 1000;
        assertThat(pod.at("/terminationGracePeriodSeconds").asLong())
                .as("grace period longer than the worker's drain bound").isGreaterThan(shutdownGraceSeconds + 15);
        assertThat(property(properties, "ops.port")).isEqualTo(container.at("/ports/0/containerPort").asText());
        assertThat(only(manifests, "Service").at("/spec/ports/0/targetPort").asText()).isEqualTo("ops");
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void shouldRenderAConfigFileTheWorkerAccepts(String valuesFile) throws Exception {
        List<JsonNode> manifests = parse(render(valuesFile));
        String text = only(manifests, "ConfigMap", "worker.properties").at("/data/worker.properties").asText();
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        Map<String, String> file = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> file.put(name, properties.getProperty(name)));

        WorkerConfig config = WorkerConfig.from(new ConfigSource(file, Map.of(), Map.of()));

        assertThat(text).doesNotStartWith("\n").contains("kafka.bootstrap.servers=");
        assertThat(config.ops().port()).isEqualTo(9400);
        assertThat(config.ops().host()).isEqualTo("0.0.0.0");
        assertThat(config.merchants()).allSatisfy(merchant -> assertThat(merchant.keySource().environmentVariable())
                .startsWith("MERCHANT_API_KEY_"));
    }

    @Test
    void shouldNameApiKeysInTheConfigAndTakeThemFromTheSecret() throws Exception {
        List<JsonNode> manifests = parse(render("full-values.yaml"));

        String properties = only(manifests, "ConfigMap", "worker.properties").at("/data/worker.properties").asText();
        JsonNode secret = only(manifests, "Secret");
        JsonNode env = only(manifests, "Deployment").at("/spec/template/spec/containers/0/env");

        assertThat(properties).doesNotContain("key_a_for_chart_tests").doesNotContain("key_b_for_chart_tests");
        assertThat(property(properties, "merchants.ids")).isEqualTo("merchant_a,merchant_b");
        assertThat(property(properties, "merchants.default")).isEqualTo("merchant_b");
        assertThat(property(properties, "merchants.merchant_a.api-key-env")).isEqualTo("MERCHANT_API_KEY_0");
        assertThat(property(properties, "merchants.merchant_b.api-key-env")).isEqualTo("MERCHANT_API_KEY_1");
        assertThat(property(properties, "schema.registry.basic-auth-env")).isEqualTo("SCHEMA_REGISTRY_USER_INFO");
        assertThat(property(properties, "retry.max-attempts")).isEqualTo("8");
        assertThat(new String(Base64.getDecoder().decode(secret.at("/data/merchant_b").asText())))
                .isEqualTo("key_b_for_chart_tests");
        assertThat(envFromSecret(env, "MERCHANT_API_KEY_1")).isEqualTo(secret.at("/metadata/name").asText() + "/merchant_b");
        assertThat(envFromSecret(env, "SCHEMA_REGISTRY_USER_INFO")).isEqualTo("schema-registry-credentials/user-info");
    }

    @Test
    void shouldCarryTheSameAlertRulesInThePrometheusRuleWithRunbookLinks() throws Exception {
        List<JsonNode> manifests = parse(render("full-values.yaml"));

        JsonNode rules = only(manifests, "PrometheusRule").at("/spec/groups/0/rules");
        List<JsonNode> expected = OpsFiles.alertRules();

        assertThat(rules).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode rule = rules.get(i);
            String alert = expected.get(i).get("alert").asText();
            assertThat(rule.get("alert").asText()).isEqualTo(alert);
            assertThat(rule.get("expr")).isEqualTo(expected.get(i).get("expr"));
            assertThat(rule.get("labels")).isEqualTo(expected.get(i).get("labels"));
            assertThat(rule.at("/annotations/description")).isEqualTo(expected.get(i).at("/annotations/description"));
            assertThat(rule.at("/annotations/runbook_url").asText()).isEqualTo(
                    "https://git.example.com/billing/billing-session-worker/blob/main/docs/runbooks.md#" + alert.toLowerCase());
        }
    }

    @Test
    void shouldScaleOnLagUpToThePartitionCountAndLeaveReplicasToKeda() throws Exception {
        List<JsonNode> manifests = parse(render("full-values.yaml"));

        JsonNode scaledObject = only(manifests, "ScaledObject");
        JsonNode deployment = only(manifests, "Deployment");

        assertThat(scaledObject.at("/spec/maxReplicaCount").asInt()).isEqualTo(6);
        assertThat(scaledObject.at("/spec/minReplicaCount").asInt()).isEqualTo(2);
        assertThat(scaledObject.at("/spec/triggers/0/type").asText()).isEqualTo("kafka");
        assertThat(scaledObject.at("/spec/triggers/0/metadata/consumerGroup").asText()).isEqualTo("billing-session-worker");
        assertThat(scaledObject.at("/spec/triggers/0/metadata/topic").asText()).isEqualTo("subscription.signups");
        assertThat(deployment.at("/spec/replicas").isMissingNode()).isTrue();
        assertThat(kinds(manifests)).contains("ServiceMonitor", "PodDisruptionBudget");
    }

    @Test
    void shouldShipTheDashboardInAGrafanaSidecarConfigMap() throws Exception {
        List<JsonNode> manifests = parse(render("full-values.yaml"));

        JsonNode configMap = only(manifests, "ConfigMap", "billing-session-worker.json");

        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(OpsFiles.JSON.readTree(configMap.at("/data/billing-session-worker.json").asText()))
                .isEqualTo(OpsFiles.json(OpsFiles.DASHBOARD));
    }

    @Test
    void shouldLeaveOptionalObjectsOutByDefault() throws Exception {
        List<JsonNode> manifests = parse(render("defaults"));

        assertThat(kinds(manifests)).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Deployment",
                "PodDisruptionBudget");
        assertThat(only(manifests, "Deployment").at("/spec/replicas").asInt()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAnAutoscalingMaximumAboveThePartitionCount() {
        assertThatThrownBy(() -> template("full-values.yaml").set("autoscaling.maxReplicas", "7").call())
                .hasMessageContaining("autoscaling.maxReplicas: 7 exceeds kafka.inputPartitions (6); a consumer "
                        + "group cannot use more workers than partitions");
    }

    @Test
    void shouldRefuseAGracePeriodNotLongerThanTheDrainBound() {
        assertThatThrownBy(() -> template("defaults").set("terminationGracePeriodSeconds", "45").call())
                .hasMessageContaining("terminationGracePeriodSeconds: 45 must exceed the worker's drain bound of 45 s "
                        + "(processing.shutdownGraceMs + 15 s)");
    }

    @Test
    void shouldRefuseAMissingApiKeyForACreatedSecret() {
        assertThatThrownBy(() -> template("full-values.yaml").set("merchants.default", "merchant_a")
                .set("merchants.list[1].id", "merchant_c").call())
                .hasMessageContaining("apiKeys.keys: no API key for merchant merchant_c");
    }

    @Test
    void shouldMoveOnlyThePartitionsThatChangeOwnerWithEitherGroupProtocol() throws Exception {
        String consumer = only(parse(render("defaults")), "ConfigMap", "worker.properties")
                .at("/data/worker.properties").asText();
        String classic = only(parse(writeRendered("classic-protocol", template("defaults")
                .set("kafka.groupProtocol", "classic").call())), "ConfigMap", "worker.properties")
                .at("/data/worker.properties").asText();

        assertThat(property(consumer, "kafka.consumer.group.protocol")).isEqualTo("consumer");
        assertThat(consumer).doesNotContain("partition.assignment.strategy").doesNotContain("group.instance.id");
        assertThat(property(classic, "kafka.consumer.partition.assignment.strategy"))
                .isEqualTo("org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        assertThat(classic).doesNotContain("group.protocol");
    }

    @Test
    void shouldRefuseAnUnknownGroupProtocol() {
        assertThatThrownBy(() -> template("defaults").set("kafka.groupProtocol", "eager").call())
                .hasMessageContaining("kafka.groupProtocol: 'eager' must be consumer or classic");
    }

    @Test
    void shouldRefuseMoreReplicasThanPartitions() {
        assertThatThrownBy(() -> template("defaults").set("replicaCount", "13").call())
                .hasMessageContaining("replicaCount: 13 exceeds kafka.inputPartitions (12); extra workers would sit idle");
    }

    private static TemplateCommand template(String valuesFile) {
        TemplateCommand command = new Helm(OpsFiles.CHART).template().withName("billing").withNamespace("billing")
                .withKubeVersion(KUBE_VERSION);
        if (!valuesFile.equals("defaults")) {
            command = command.withValuesFile(OpsFiles.CHART.resolve("ci").resolve(valuesFile));
        }
        return command;
    }

    private static Path render(String valuesFile) throws IOException {
        return writeRendered(valuesFile.replace(".yaml", ""), template(valuesFile).call());
    }

    private static Path writeRendered(String name, String manifests) throws IOException {
        Path file = Files.createDirectories(RENDERED).resolve(name + ".yaml");
        Files.writeString(file, manifests);
        return file;
    }

    private static ExternalTool.Result validate(Path manifests) throws Exception {
        ExternalTool node = ExternalTool.require("node", "Install Node.js (Debian's nodejs package)");
        if (!Files.isDirectory(VALIDATOR.getParent().resolve("node_modules"))) {
            throw new AssertionError("The manifest validator is not installed in " + VALIDATOR.getParent()
                    + ": run .ci/ops-checks (it runs npm ci there from .ci/manifest-check)");
        }
        return node.run(Path.of("."), Duration.ofMinutes(2), VALIDATOR.toString(), manifests.toString());
    }

    private static List<JsonNode> parse(Path file) throws IOException {
        List<JsonNode> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = OpsFiles.YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    manifests.add(document);
                }
            }
        }
        return manifests;
    }

    private static List<String> kinds(List<JsonNode> manifests) {
        return manifests.stream().map(manifest -> manifest.get("kind").asText()).toList();
    }

    private static JsonNode only(List<JsonNode> manifests, String kind) {
        List<JsonNode> found = manifests.stream().filter(manifest -> manifest.get("kind").asText().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.getFirst();
    }

    private static JsonNode only(List<JsonNode> manifests, String kind, String dataKey) {
        List<JsonNode> found = manifests.stream()
                .filter(manifest -> manifest.get("kind").asText().equals(kind) && manifest.at("/data").has(dataKey))
                .toList();
        assertThat(found).as(kind + " with " + dataKey).hasSize(1);
        return found.getFirst();
    }

    private static String property(String properties, String key) {
        return properties.lines().filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError(key + " not in worker.properties:\n" + properties));
    }

    private static String envFromSecret(JsonNode env, String name) {
        for (JsonNode variable : env) {
            if (variable.get("name").asText().equals(name)) {
                return variable.at("/valueFrom/secretKeyRef/name").asText() + "/"
                        + variable.at("/valueFrom/secretKeyRef/key").asText();
            }
        }
        throw new AssertionError(name + " not in " + env);
    }

}
