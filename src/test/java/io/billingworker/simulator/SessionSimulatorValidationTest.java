package io.billingworker.simulator;

import static io.billingworker.simulator.SimulatorClient.goodHeaders;
import static io.billingworker.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each 400 rule with its exact error fields, and 404 for unknown paths. */
class SessionSimulatorValidationTest {

    private static final String BILLING = "payment_rules.payment_flows.billing_creation";

    @RegisterExtension
    final SimulatorFixture fixture = SimulatorFixture.started();
    private final SessionSimulator simulator = fixture.simulator();
    private final SimulatorClient client = fixture.client();

    static Stream<Arguments> missingFields() {
        return Stream.of(
                missing("order_id absent", b -> b.remove("order_id"), "order_id"),
                missing("order_id null", b -> b.putNull("order_id"), "order_id"),
                missing("amount absent", b -> b.remove("amount"), "amount"),
                missing("amount empty", b -> b.put("amount", ""), "amount"),
                missing("customer_id absent", b -> b.remove("customer_id"), "customer_id"),
                missing("payment_page_client_id absent", b -> b.remove("payment_page_client_id"),
                        "payment_page_client_id"),
                missing("action absent", b -> b.remove("action"), "action"),
                missing("several", b -> {
                    b.remove("order_id");
                    b.remove("action");
                }, "order_id, action"),
                missing("billing status", b -> billing(b).remove("status"), BILLING + ".status"),
                missing("billing info", b -> billing(b).remove("info"), BILLING + ".info"),
                missing("billing plan_id", b -> info(b).remove("plan_id"), BILLING + ".info.plan_id"),
                missing("billing plan_id empty", b -> info(b).put("plan_id", ""), BILLING + ".info.plan_id"),
                missing("plan_rule_value", b -> ((ObjectNode) info(b).get("rule_info")).remove("plan_rule_value"),
                        BILLING + ".info.rule_info.plan_rule_value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingFields")
    void shouldNameMissingFields(String name, Consumer<ObjectNode> change, String keys) {
        ObjectNode body = SeedRequests.billing("order-1");
        change.accept(body);

        HttpResponse<String> response = client.post(body);

        assertBadRequest(response, "Mandatory fields are missing", "Mandatory fields are missing: " + keys);
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                invalid("order_id too long", b -> b.put("order_id", "a".repeat(21)),
                        "order_id must be 1 to 20 characters of A-Z, a-z, 0-9, _ and -"),
                invalid("order_id with dot", b -> b.put("order_id", "order.1"),
                        "order_id must be 1 to 20 characters of A-Z, a-z, 0-9, _ and -"),
                invalid("order_id number", b -> b.put("order_id", 12345), "order_id must be a string"),
                invalid("amount three decimals", b -> b.put("amount", "100.153"),
                        "amount must be a decimal string with at most two decimal places"),
                invalid("amount exponent", b -> b.put("amount", "1e2"),
                        "amount must be a decimal string with at most two decimal places"),
                invalid("amount number", b -> b.put("amount", 1.0), "amount must be a string"),
                invalid("amount below one rupee", b -> b.put("amount", "0.99"), "amount must be at least 1.00 INR"),
                invalid("currency lower case", b -> b.put("currency", "inr"),
                        "currency must be three upper-case letters"),
                invalid("customer_id too long", b -> b.put("customer_id", "c".repeat(129)),
                        "customer_id must be at most 128 characters"),
                invalid("max_amount decimals", b -> b.put("mandate.max_amount", "100.001"),
                        "mandate.max_amount must be a decimal string with at most two decimal places"),
                invalid("deep links flag", b -> b.put("options.get_upi_deep_links", "yes"),
                        "options.get_upi_deep_links must be true or false"),
                invalid("billing not an object", b -> flows(b).put("billing_creation", "REQUIRED"),
                        BILLING + " must be a JSON object"),
                invalid("plan_amount string", b -> info(b).put("plan_amount", "20.0"),
                        BILLING + ".info.plan_amount must be a JSON number"),
                invalid("plan_amount decimals", b -> info(b).put("plan_amount", new java.math.BigDecimal("20.123")),
                        BILLING + ".info.plan_amount must have at most two decimal places"),
                invalid("plan_rule_value string", b -> ruleInfo(b).put("plan_rule_value", "1"),
                        BILLING + ".info.rule_info.plan_rule_value must be a JSON integer"),
                invalid("plan_rule_value decimal", b -> ruleInfo(b).put("plan_rule_value", 1.5),
                        BILLING + ".info.rule_info.plan_rule_value must be a JSON integer"),
                invalid("plan_rule_value range", b -> ruleInfo(b).put("plan_rule_value", 32),
                        BILLING + ".info.rule_info.plan_rule_value must be between 1 and 31"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void shouldNameInvalidValue(String name, Consumer<ObjectNode> change, String message) {
        ObjectNode body = SeedRequests.billing("order-1");
        change.accept(body);

        HttpResponse<String> response = client.post(body);

        assertBadRequest(response, "Invalid field value", message);
    }

    @Test
    void shouldAcceptGuestCheckoutWithEmptyCustomerId() {
        ObjectNode body = SeedRequests.billing("guest-1");
        body.put("customer_id", "");

        HttpResponse<String> response = client.post(body);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAcceptEachOfTheFourSeedBillingSamples() {
        ObjectNode fixedDefault = SeedRequests.billing("fixed-default");
        info(fixedDefault).remove("plan_amount");
        info(fixedDefault).remove("rule_info");
        ObjectNode fixedCustom = SeedRequests.billing("fixed-custom");
        info(fixedCustom).remove("plan_amount");
        ObjectNode variableDefault = SeedRequests.billing("variable-default");
        info(variableDefault).remove("rule_info");
        ObjectNode variableCustom = SeedRequests.billing("variable-custom");

        Stream<HttpResponse<String>> responses = Stream.of(fixedDefault, fixedCustom, variableDefault, variableCustom)
                .map(client::post);

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 200);
    }

    @Test
    void shouldRejectWrongContentType() {
        Map<String, String> headers = goodHeaders();
        headers.put("Content-Type", "text/plain");

        HttpResponse<String> response = client.post(SeedRequests.session("order-1").toString(), headers, null);

        assertBadRequest(response, "Invalid Content-Type", "Content-Type must be application/json");
    }

    @Test
    void shouldAcceptJsonContentTypeWithCharset() {
        Map<String, String> headers = goodHeaders();
        headers.put("Content-Type", "application/json; charset=utf-8");

        HttpResponse<String> response = client.post(SeedRequests.session("order-1").toString(), headers, null);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRejectBodyThatIsNotJson() {
        HttpResponse<String> response = client.post("order_id=1", goodHeaders(), null);

        assertBadRequest(response, "Invalid JSON", "Request body must be a JSON object");
        assertThat(simulator.requests().get(0).rawBody()).isEqualTo("order_id=1");
        assertThat(simulator.requests().get(0).body().isMissingNode()).isTrue();
    }

    @Test
    void shouldRequireRoutingIdOnlyWhenConfigured() {
        Map<String, String> headers = goodHeaders();
        headers.remove("x-routing-id");
        try (SessionSimulator strict = SessionSimulator.builder()
                .merchant(SimulatorClient.MERCHANT, SimulatorClient.API_KEY)
                .requireRoutingId(true)
                .start();
             SimulatorClient strictClient = new SimulatorClient(strict)) {

            HttpResponse<String> lenient = client.post(SeedRequests.session("order-1").toString(), headers, null);
            HttpResponse<String> rejected = strictClient.post(SeedRequests.session("order-1").toString(), headers, null);

            assertThat(lenient.statusCode()).isEqualTo(200);
            assertThat(rejected.statusCode()).isEqualTo(400);
            assertThat(json(rejected).get("error_message").asText())
                    .isEqualTo("Mandatory fields are missing: x-routing-id");
        }
    }

    @Test
    void shouldAnswerUnknownPathWith404InJuspayShape() {
        HttpRequest request = SimulatorClient.request(URI.create(simulator.baseUrl() + "/orders"),
                SeedRequests.session("order-1").toString(), goodHeaders(), null);

        HttpResponse<String> response = client.send(request);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo(
                "{\"status\":\"error\",\"error_code\":\"Internal server Error\",\"error_message\":\"Resource not found: /orders\"}");
    }

    @Test
    void shouldAnswerGetOnSessionWith404() {
        HttpRequest request = HttpRequest.newBuilder(simulator.sessionUri()).GET().build();

        HttpResponse<String> response = client.send(request);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error_code").asText()).isEqualTo("Internal server Error");
    }

    @Test
    void shouldNotCreateAnOrderForARejectedRequest() {
        ObjectNode body = SeedRequests.billing("order-1");
        body.put("amount", "1.001");

        client.post(body);

        assertThat(simulator.ordersCreated()).isZero();
        assertThat(simulator.responses(400)).isEqualTo(1);
    }

    private static void assertBadRequest(HttpResponse<String> response, String code, String message) {
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("Bad Request");
        assertThat(body.get("error_code").asText()).isEqualTo(code);
        assertThat(body.get("error_message").asText()).isEqualTo(message);
        assertThat(body.size()).isEqualTo(3);
    }

    private static Arguments missing(String name, Consumer<ObjectNode> change, String keys) {
        return Arguments.of(name, change, keys);
    }

    private static Arguments invalid(String name, Consumer<ObjectNode> change, String message) {
        return Arguments.of(name, change, message);
    }

    private static ObjectNode flows(ObjectNode body) {
        return (ObjectNode) body.get("payment_rules").get("payment_flows");
    }

    private static ObjectNode billing(ObjectNode body) {
        return (ObjectNode) flows(body).get("billing_creation");
    }

    private static ObjectNode info(ObjectNode body) {
        return (ObjectNode) billing(body).get("info");
    }

    private static ObjectNode ruleInfo(ObjectNode body) {
        return (ObjectNode) info(body).get("rule_info");
    }
}
