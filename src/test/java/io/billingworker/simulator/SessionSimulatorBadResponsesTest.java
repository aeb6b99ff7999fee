package io.billingworker.simulator;

import static io.billingworker.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The responses a real API, or a proxy in front of it, sends on a bad day, scripted per order. */
class SessionSimulatorBadResponsesTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    final SimulatorFixture fixture = SimulatorFixture.started();
    private final SessionSimulator simulator = fixture.simulator();
    private final SimulatorClient client = fixture.client();

    @Test
    void shouldAnswerRawStatusContentTypeAndBody() {
        simulator.script("raw-1", Behaviour.raw(500, "text/html", "<html><body>Maintenance</body></html>"));

        HttpResponse<String> response = client.post(SeedRequests.billing("raw-1"));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(response.body()).isEqualTo("<html><body>Maintenance</body></html>");
        assertThat(simulator.ordersCreated()).isZero();
    }

    @Test
    void shouldAnswerAnEmptyBodyWithLengthZero() {
        simulator.script("empty-1", Behaviour.raw(200, "application/json", ""));

        HttpResponse<String> response = client.post(SeedRequests.billing("empty-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue("0");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void shouldSendNoContentTypeWhenNoneIsGiven() {
        simulator.script("bare-1", Behaviour.raw(200, null, "{not json"));

        HttpResponse<String> response = client.post(SeedRequests.billing("bare-1"));

        assertThat(response.headers().firstValue("Content-Type")).isEmpty();
        assertThat(response.body()).isEqualTo("{not json");
    }

    @Test
    void shouldRedirectWithLocation() {
        simulator.script("moved-1", Behaviour.redirect(302, "https://elsewhere.invalid/session"));

        HttpResponse<String> response = client.post(SeedRequests.billing("moved-1"));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue("https://elsewhere.invalid/session");
        assertThat(simulator.responses(302)).isEqualTo(1);
    }

    @Test
    void shouldAnnounceMoreThanItSendsThenCloseTheConnection() {
        simulator.script("cut-1", Behaviour.cutShort(200, "application/json", 1000, "{\"status\":\"NE"));

        IOException error = client.sendExpectingIoError(SeedRequests.billing("cut-1"), BOUND);

        assertThat(error).hasMessageContaining("1000");
        assertThat(simulator.ordersCreated()).isZero();
    }

    @Test
    void shouldStreamAHugeBodyOfExactlyTheRequestedSize() {
        simulator.script("huge-1", Behaviour.hugeBody(200, 8L * 1024 * 1024));

        HttpResponse<String> response = client.post(SeedRequests.billing("huge-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(8 * 1024 * 1024).startsWith("{\"padding\":\"   ").endsWith("   \"}");
        assertThat(json(response).path("padding").asText()).isBlank();
    }

    @Test
    void shouldCreateTheOrderAndAlterItsUsualBody() {
        simulator.script("altered-1", Behaviour.succeedWith(body -> {
            body.remove("payment_links");
            body.put("status", 5);
            return body;
        }));

        HttpResponse<String> response = client.post(SeedRequests.billing("altered-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).has("payment_links")).isFalse();
        assertThat(json(response).path("status").isNumber()).isTrue();
        assertThat(json(response).path("order_id").asText()).isEqualTo("altered-1");
        assertThat(simulator.ordersCreated()).isEqualTo(1);
    }

    @Test
    void shouldRefuseBehavioursThatCannotBeSent() {
        assertThatThrownBy(() -> Behaviour.redirect(200, "https://x.invalid"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a redirect needs a 3xx status, was 200");
        assertThatThrownBy(() -> Behaviour.cutShort(200, "application/json", 3, "abcd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("announcedLength must exceed the body's 4 bytes, was 3");
        assertThatThrownBy(() -> Behaviour.hugeBody(200, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size must be at least 16 bytes, was 4");
        assertThatThrownBy(() -> Behaviour.raw(700, null, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status must be between 100 and 599, was 700");
    }
}
