package io.billingworker.simulator;

import static io.billingworker.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scripts that cover a whole merchant, and answers padded to a chosen size. */
class SessionSimulatorMerchantScriptTest {

    private static final String OTHER_MERCHANT = "merchant2";
    private static final String OTHER_KEY = "key2-secret";

    @RegisterExtension
    final SimulatorFixture fixture = SimulatorFixture.started(builder -> builder.merchant(OTHER_MERCHANT, OTHER_KEY));
    private final SessionSimulator simulator = fixture.simulator();
    private final SimulatorClient client = fixture.client();

    @Test
    void shouldScriptEveryOrderOfOneMerchantAndNoOther() {
        simulator.scriptMerchant(OTHER_MERCHANT, Behaviour.serverError(503));

        List<Integer> statuses = List.of(
                otherMerchant("m2-order-1").statusCode(),
                otherMerchant("m2-order-2").statusCode(),
                otherMerchant("m2-order-1").statusCode(),
                client.post(SeedRequests.session("m1-order-1")).statusCode());

        assertThat(statuses).containsExactly(503, 503, 503, 200);
        assertThat(simulator.ordersCreated()).isEqualTo(1);
    }

    @Test
    void shouldWalkAMerchantsStepsPerOrder() {
        simulator.scriptMerchant(OTHER_MERCHANT, Behaviour.serverError(502), Behaviour.succeed());

        List<Integer> statuses = List.of(
                otherMerchant("m2-flaky-1").statusCode(),
                otherMerchant("m2-flaky-2").statusCode(),
                otherMerchant("m2-flaky-1").statusCode(),
                otherMerchant("m2-flaky-2").statusCode());

        assertThat(statuses).containsExactly(502, 502, 200, 200);
    }

    @Test
    void shouldPreferAnOrderScriptOverItsMerchantsScript() {
        simulator.scriptMerchant(OTHER_MERCHANT, Behaviour.serverError(503));
        simulator.script("m2-special", Behaviour.succeed());

        int special = otherMerchant("m2-special").statusCode();
        int other = otherMerchant("m2-plain").statusCode();

        assertThat(List.of(special, other)).containsExactly(200, 503);
    }

    @Test
    void shouldForgetAMerchantsScriptWhenCleared() {
        simulator.scriptMerchant(OTHER_MERCHANT, Behaviour.serverError(503));
        simulator.clearScripts();

        int status = otherMerchant("m2-cleared").statusCode();

        assertThat(status).isEqualTo(200);
    }

    @Test
    void shouldPadTheSdkPayloadOfASuccessfulAnswer() {
        simulator.script("padded-1", Behaviour.succeedPadded(200_000));

        HttpResponse<String> response = client.post(SeedRequests.billing("padded-1"));
        HttpResponse<String> repeat = client.post(SeedRequests.billing("padded-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("sdk_payload").get("padding").asText()).isEqualTo("x".repeat(200_000));
        assertThat(json(response).get("sdk_payload").get("requestId").asText()).isNotEmpty();
        assertThat(json(response).get("id").asText()).isEqualTo(json(repeat).get("id").asText());
        assertThat(simulator.ordersCreated()).isEqualTo(1);
    }

    @Test
    void shouldPadTheBodyWhenTheShapeHasNoSdkPayload() {
        simulator.responseShape(ResponseShape.BILLING);
        simulator.script("padded-2", Behaviour.succeedPadded(10));

        HttpResponse<String> response = client.post(SeedRequests.billing("padded-2"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("padding").asText()).isEqualTo("xxxxxxxxxx");
        assertThat(json(response).get("txn_uuid").asText()).isNotEmpty();
    }

    private HttpResponse<String> otherMerchant(String orderId) {
        Map<String, String> headers = SimulatorClient.goodHeaders();
        headers.put("Authorization", SimulatorClient.basic(OTHER_KEY));
        headers.put("x-merchantid", OTHER_MERCHANT);
        return client.post(SeedRequests.session(orderId).toString(), headers, null);
    }
}
