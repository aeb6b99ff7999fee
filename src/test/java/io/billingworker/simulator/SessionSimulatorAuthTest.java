package io.billingworker.simulator;

import static io.billingworker.simulator.SimulatorClient.basic;
import static io.billingworker.simulator.SimulatorClient.goodHeaders;
import static io.billingworker.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Basic auth per merchant and {@code x-merchantid}, answered 401 in Juspay's shape. */
class SessionSimulatorAuthTest {

    @RegisterExtension
    final SimulatorFixture fixture = SimulatorFixture.started(builder -> builder.merchant("merchant2", "key2-secret"));
    private final SessionSimulator simulator = fixture.simulator();
    private final SimulatorClient client = fixture.client();

    @Test
    void shouldAcceptEachMerchantWithItsOwnKey() {
        Map<String, String> second = goodHeaders();
        second.put("Authorization", basic("key2-secret"));
        second.put("x-merchantid", "merchant2");

        HttpResponse<String> first = client.post(SeedRequests.session("order-1"));
        HttpResponse<String> other = client.post(SeedRequests.session("order-1").toString(), second, null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(json(other).get("sdk_payload").get("payload").get("merchantId").asText()).isEqualTo("merchant2");
        assertThat(simulator.requests()).extracting(ReceivedRequest::authenticatedMerchantId)
                .containsExactly("merchant1", "merchant2");
    }

    @Test
    void shouldDenyMissingAuthorization() {
        Map<String, String> headers = goodHeaders();
        headers.remove("Authorization");

        HttpResponse<String> response = client.post(SeedRequests.session("order-1").toString(), headers, null);

        assertDenied(response, "Authorization header is missing");
    }

    @Test
    void shouldDenyUnknownKeyWithoutEchoingIt() {
        Map<String, String> headers = goodHeaders();
        headers.put("Authorization", basic("wrong-key"));

        HttpResponse<String> response = client.post(SeedRequests.session("order-1").toString(), headers, null);

        assertDenied(response, "Invalid API key");
        assertThat(response.body()).doesNotContain("wrong-key");
    }

    @Test
    void shouldDenyKeyWithoutTheTrailingColon() {
        Map<String, String> headers = goodHeaders();
        headers.put("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(SimulatorClient.API_KEY.getBytes(StandardCharsets.UTF_8)));

        HttpResponse<String> response = client.post(SeedRequests.session("order-1").toString(), headers, null);

        assertDenied(response, "Authorization header must be Basic base64(api_key + \":\") with an empty password");
    }

    @Test
    void shouldDenyBearerScheme() {
        Map<String, String> headers = goodHeaders();
        headers.put("Authorization", "Bearer " + SimulatorClient.API_KEY);

        HttpResponse<String> response = client.post(SeedRequests.session("order-1").toString(), headers, null);

        assertDenied(response, "Authorization header must be Basic base64(api_key + \":\") with an empty password");
    }

    @Test
    void shouldDenyMissingMerchantHeader() {
        Map<String, String> headers = goodHeaders();
        headers.remove("x-merchantid");

        HttpResponse<String> response = client.post(SeedRequests.session("order-1").toString(), headers, null);

        assertDenied(response, "x-merchantid header is missing");
    }

    @Test
    void shouldDenyKeyOfAnotherMerchant() {
        Map<String, String> headers = goodHeaders();
        headers.put("x-merchantid", "merchant2");

        HttpResponse<String> response = client.post(SeedRequests.session("order-1").toString(), headers, null);

        assertDenied(response, "API key does not belong to merchant merchant2");
        assertThat(simulator.ordersCreated()).isZero();
    }

    @Test
    void shouldNeverRecordTheAuthorizationValue() {
        client.post(SeedRequests.session("order-1"));

        ReceivedRequest recorded = simulator.requests().get(0);

        assertThat(recorded.header("Authorization")).contains(ReceivedRequest.REDACTED);
        assertThat(recorded.toString()).doesNotContain(basic(SimulatorClient.API_KEY))
                .doesNotContain(SimulatorClient.API_KEY);
    }

    private void assertDenied(HttpResponse<String> response, String message) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo(
                "{\"status\":\"error\",\"error_code\":\"access_denied\",\"error_message\":"
                        + SimulatorClient.JSON.getNodeFactory().textNode(message) + "}");
        assertThat(simulator.responses(401)).isEqualTo(1);
    }
}
