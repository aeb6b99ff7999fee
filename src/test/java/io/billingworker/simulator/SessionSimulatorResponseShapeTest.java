package io.billingworker.simulator;

import static io.billingworker.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The 200 bodies, field for field against docs/contract.md, "Responses", in each {@link ResponseShape}. */
class SessionSimulatorResponseShapeTest {

    private static final Instant NOW = Instant.parse("2022-03-12T20:14:23Z");

    @RegisterExtension
    final SimulatorFixture fixture = SimulatorFixture.started(builder -> builder
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .seed(7));
    private final SessionSimulator simulator = fixture.simulator();
    private final SimulatorClient client = fixture.client();

    @Test
    void shouldAnswerSessionRequestInSeed001Shape() {
        ObjectNode request = SeedRequests.session("testing-order-one");

        HttpResponse<String> response = client.post(request);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = json(response);
        assertThat(fieldNames(body)).containsExactly("status", "id", "order_id", "payment_links", "sdk_payload");
        assertThat(body.get("status").asText()).isEqualTo("NEW");
        String id = body.get("id").asText();
        assertThat(id).matches("ordeh_[a-z0-9]{20}");
        assertThat(body.get("order_id").asText()).isEqualTo("testing-order-one");
        JsonNode links = body.get("payment_links");
        assertThat(fieldNames(links)).containsExactly("web", "expiry", "deep_link");
        assertThat(links.get("web").asText()).isEqualTo("https://sandbox.juspay.in/orders/" + id + "/payment-page");
        assertThat(links.get("expiry").asText()).isEqualTo("null");
        assertThat(links.get("deep_link").asText())
                .startsWith("upi://pay?tr=")
                .contains("&pa=merchant1@juspay&pn=merchant1&am=1.0&cu=INR");
        JsonNode sdk = body.get("sdk_payload");
        assertThat(fieldNames(sdk)).containsExactly("requestId", "service", "payload");
        assertThat(sdk.get("requestId").asText()).matches("[0-9a-f]{32}");
        assertThat(sdk.get("service").asText()).isEqualTo("in.juspay.hyperpay");
        JsonNode payload = sdk.get("payload");
        assertThat(fieldNames(payload)).containsExactly(
                "clientId", "amount", "merchantId", "clientAuthToken", "clientAuthTokenExpiry", "environment",
                "options.getUpiDeepLinks", "lastName", "action", "customerId", "returnUrl", "currency",
                "firstName", "customerPhone", "customerEmail", "orderId", "description");
        assertThat(payload.get("clientId").asText()).isEqualTo("yourClientId");
        assertThat(payload.get("amount").asText()).isEqualTo("1.0");
        assertThat(payload.get("merchantId").asText()).isEqualTo("merchant1");
        assertThat(payload.get("clientAuthToken").asText()).matches("tkn_[0-9a-f]{21}");
        assertThat(payload.get("clientAuthTokenExpiry").asText()).isEqualTo("2022-03-12T20:29:23Z");
        assertThat(payload.get("environment").asText()).isEqualTo("sandbox");
        assertThat(payload.get("options.getUpiDeepLinks").asText()).isEqualTo("true");
        assertThat(payload.get("lastName").asText()).isEqualTo("wick");
        assertThat(payload.get("action").asText()).isEqualTo("paymentPage");
        assertThat(payload.get("customerId").asText()).isEqualTo("testing-customer-one");
        assertThat(payload.get("returnUrl").asText()).isEqualTo("https://shop.merchant.com");
        assertThat(payload.get("currency").asText()).isEqualTo("INR");
        assertThat(payload.get("firstName").asText()).isEqualTo("John");
        assertThat(payload.get("customerPhone").asText()).isEqualTo("9876543210");
        assertThat(payload.get("customerEmail").asText()).isEqualTo("test@mail.com");
        assertThat(payload.get("orderId").asText()).isEqualTo("testing-order-one");
        assertThat(payload.get("description").asText()).isEqualTo("Complete your payment");
    }

    @Test
    void shouldLeaveOutDeepLinkWhenNotAskedFor() {
        ObjectNode request = SeedRequests.session("no-deep-link");
        request.remove("options.get_upi_deep_links");

        JsonNode body = json(client.post(request));

        assertThat(fieldNames(body.get("payment_links"))).containsExactly("web", "expiry");
        assertThat(body.get("sdk_payload").get("payload").has("options.getUpiDeepLinks")).isFalse();
    }

    @Test
    void shouldAnswerBillingSessionExactlyInSeed000ShapeWhenShapeIsBilling() {
        simulator.responseShape(ResponseShape.BILLING);

        JsonNode body = json(client.post(SeedRequests.billing("Ord_1765191076")));

        assertThat(fieldNames(body)).containsExactly(
                "payment", "status", "txn_uuid", "offer_details", "order_id", "txn_id");
        JsonNode authentication = body.get("payment").get("authentication");
        assertThat(fieldNames(body.get("payment"))).containsExactly("authentication");
        assertThat(fieldNames(authentication)).containsExactly("method", "url");
        assertThat(authentication.get("method").asText()).isEqualTo("GET");
        String txnUuid = body.get("txn_uuid").asText();
        assertThat(txnUuid).matches("moz[A-Za-z0-9]{16}");
        assertThat(authentication.get("url").asText()).isEqualTo(
                "https://sandbox.juspay.in/v2/pay/start/merchant1/" + txnUuid
                        + "?cardIssuerBankName%3DUPI_COLLECT%26cardType%3DUPI%26paymentMethod%3DUPI_COLLECT"
                        + "%26paymentMethodType%3DUPI");
        assertThat(body.get("status").asText()).isEqualTo("PENDING_VBV");
        assertThat(body.get("offer_details").toString()).isEqualTo("{\"offers\":[]}");
        assertThat(body.get("order_id").asText()).isEqualTo("Ord_1765191076");
        assertThat(body.get("txn_id").asText()).isEqualTo("merchant1-Ord_1765191076-1");
    }

    @Test
    void shouldAnswerBillingSessionWithBothFieldSetsByDefault() {
        JsonNode body = json(client.post(SeedRequests.billing("Ord_1765191076")));

        assertThat(fieldNames(body)).containsExactly("status", "id", "order_id", "payment_links", "sdk_payload",
                "payment", "txn_uuid", "offer_details", "txn_id");
        assertThat(body.get("status").asText()).isEqualTo("PENDING_VBV");
        assertThat(body.get("id").asText()).matches("ordeh_[a-z0-9]{20}");
        assertThat(body.get("payment_links").get("deep_link").asText()).startsWith("upi://pay?");
        assertThat(body.get("sdk_payload").get("payload").get("clientId").asText()).isEqualTo("stageott");
        assertThat(body.get("sdk_payload").get("payload").get("options.getUpiDeepLinks").asText()).isEqualTo("true");
        assertThat(body.get("payment").get("authentication").get("method").asText()).isEqualTo("GET");
        assertThat(body.get("txn_id").asText()).isEqualTo("merchant1-Ord_1765191076-1");
    }

    @Test
    void shouldAnswerBillingSessionInSeed001ShapeWhenShapeIsSession() {
        simulator.responseShape(ResponseShape.SESSION);

        JsonNode body = json(client.post(SeedRequests.billing("Ord_1765191076")));

        assertThat(fieldNames(body)).containsExactly("status", "id", "order_id", "payment_links", "sdk_payload");
        assertThat(body.get("status").asText()).isEqualTo("NEW");
    }

    @Test
    void shouldAnswerPlainSessionInSeed001ShapeEvenWhenShapeIsBilling() {
        simulator.responseShape(ResponseShape.BILLING);

        JsonNode body = json(client.post(SeedRequests.session("plain-session")));

        assertThat(fieldNames(body)).containsExactly("status", "id", "order_id", "payment_links", "sdk_payload");
        assertThat(body.get("status").asText()).isEqualTo("NEW");
    }

    @Test
    void shouldGiveLinkExpiryAndLinkBaseWhenConfigured() {
        try (SessionSimulator configured = SessionSimulator.builder()
                .merchant(SimulatorClient.MERCHANT, SimulatorClient.API_KEY)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .paymentLinkExpiry(Duration.ofHours(1))
                .linkBaseUrl("https://api.juspay.in")
                .environment("production")
                .start();
             SimulatorClient configuredClient = new SimulatorClient(configured)) {

            JsonNode body = json(configuredClient.post(SeedRequests.session("expiring")));

            String id = body.get("id").asText();
            assertThat(body.get("payment_links").get("web").asText())
                    .isEqualTo("https://api.juspay.in/orders/" + id + "/payment-page");
            assertThat(body.get("payment_links").get("expiry").asText()).isEqualTo("2022-03-12T21:14:23Z");
            assertThat(body.get("sdk_payload").get("payload").get("environment").asText()).isEqualTo("production");
        }
    }

    @Test
    void shouldDefaultSdkCurrencyToInrAndUseRequestCurrencyWhenGiven() {
        ObjectNode withCurrency = SeedRequests.session("usd-order");
        withCurrency.put("currency", "USD");

        JsonNode defaulted = json(client.post(SeedRequests.session("inr-order")));
        JsonNode given = json(client.post(withCurrency));

        assertThat(defaulted.get("sdk_payload").get("payload").get("currency").asText()).isEqualTo("INR");
        assertThat(given.get("sdk_payload").get("payload").get("currency").asText()).isEqualTo("USD");
        assertThat(given.get("payment_links").get("deep_link").asText()).endsWith("&cu=USD");
    }

    private static List<String> fieldNames(JsonNode node) {
        return StreamSupport.stream(((Iterable<String>) node::fieldNames).spliterator(), false).toList();
    }
}
