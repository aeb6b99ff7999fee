package io.billingworker.sessionapi;

import static io.billingworker.sessionapi.Fixtures.API_KEY;
import static io.billingworker.sessionapi.Fixtures.API_KEY_TEXT;
import static io.billingworker.sessionapi.Fixtures.AUTHORIZATION;
import static io.billingworker.sessionapi.Fixtures.client;
import static io.billingworker.sessionapi.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.mapping.SessionRequest;
import io.billingworker.sessionapi.ScriptedHttpServer.Received;
import io.billingworker.sessionapi.ScriptedHttpServer.Reply;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionApiClientTest {

    private static final String INTERNAL_ERROR = "{\"status\":\"error\",\"error_code\":\"Internal server Error\"}";

    private ScriptedHttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = ScriptedHttpServer.http();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void shouldPostOnceWithHeadersAndBody() {
        server.reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE));
        SessionRequest request = request("mandate_juspay", "ord_1");

        try (SessionApiClient client = client(server.clientSettings())) {
            client.send(request, API_KEY);
        }

        assertThat(server.received()).hasSize(1);
        Received received = server.received().getFirst();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/session");
        assertThat(received.headers())
                .containsEntry("authorization", AUTHORIZATION)
                .containsEntry("x-merchantid", "mandate_juspay")
                .containsEntry("x-routing-id", "cth_rPj21roNSjEbumSy")
                .containsEntry("content-type", "application/json");
        assertThat(received.body()).isEqualTo(request.bodyBytes());
    }

    @Test
    void shouldParseSeedResponseOverHttp() {
        server.reply(Reply.json(200, ResponseParserTest.SEED_000_RESPONSE));

        HttpResult result;
        try (SessionApiClient client = client(server.clientSettings())) {
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(result).isInstanceOfSatisfying(HttpResult.Success.class, success -> {
            assertThat(success.httpStatus()).isEqualTo(200);
            assertThat(success.response().status()).isEqualTo("PENDING_VBV");
            assertThat(success.response().txnUuid()).isEqualTo("mozFS1mNCmY96k3aHHp");
        });
    }

    @Test
    void shouldReturnRetryAfterOn429() {
        server.reply(Reply.json(429, "{}").withHeader("Retry-After", "12"));

        HttpResult result;
        try (SessionApiClient client = client(server.clientSettings())) {
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(result).isEqualTo(new HttpResult.Retryable(FailureKind.HTTP_STATUS, 429, ApiError.empty(429),
                Duration.ofSeconds(12), null, "HTTP 429"));
    }

    @Test
    void shouldReturnRetryableOn500WithoutRetryingItself() {
        server.reply(Reply.json(500, INTERNAL_ERROR));

        HttpResult result;
        try (SessionApiClient client = client(server.clientSettings())) {
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(result).isInstanceOf(HttpResult.Retryable.class);
        assertThat(result.statusClass()).isEqualTo("5xx");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void shouldReturnAuthFailureOn401() {
        server.reply(Reply.json(401, "{\"status\":\"error\",\"error_code\":\"access_denied\"}"));

        HttpResult result;
        try (SessionApiClient client = client(server.clientSettings())) {
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(result).isEqualTo(new HttpResult.AuthFailure(
                new ApiError(401, "error", "access_denied", null, null)));
        assertThat(result.toString()).doesNotContain(API_KEY_TEXT).doesNotContain(AUTHORIZATION);
    }

    @Test
    void shouldReturnRetryableOnUnreadable200() {
        server.reply(new Reply(200, java.util.Map.of("Content-Type", "text/html"), "<html>ok</html>".getBytes(),
                Duration.ZERO));

        HttpResult result;
        try (SessionApiClient client = client(server.clientSettings())) {
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class,
                retryable -> assertThat(retryable.kind()).isEqualTo(FailureKind.INVALID_RESPONSE));
    }

    @Test
    void shouldTreatOversized200AsUnreadable() {
        String big = "{\"status\":\"NEW\",\"padding\":\"" + "x".repeat(5000) + "\"}";
        server.reply(Reply.json(200, big));

        HttpResult result;
        try (SessionApiClient client = client(server.clientSettings().maxResponseBytes(1024))) {
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
            assertThat(retryable.kind()).isEqualTo(FailureKind.INVALID_RESPONSE);
            assertThat(retryable.message()).matches("HTTP 200 with an invalid session response: body longer than the"
                    + " 1024-byte limit \\(juspay.max-response-bytes\\); content type application/json, more than 1024"
                    + " bytes, sha256 [0-9a-f]{12}");
        });
    }

    @Test
    void shouldCutAHugeBodyAtTheLimitAndStillAnswerTheNextCall() {
        byte[] huge = new byte[8 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        server.reply(new Reply(200, java.util.Map.of("Content-Type", "application/json"), huge, Duration.ZERO))
                .reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE));

        HttpResult first;
        HttpResult second;
        try (SessionApiClient client = client(server.clientSettings().maxResponseBytes(64 * 1024))) {
            first = client.send(request("mandate_juspay", "ord_1"), API_KEY);
            second = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(first).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> assertThat(
                retryable.message()).matches("HTTP 200 with an invalid session response: body longer than the 65536-byte"
                        + " limit \\(juspay.max-response-bytes\\); content type application/json, more than 65536 bytes,"
                        + " sha256 [0-9a-f]{12}"));
        assertThat(second).isInstanceOf(HttpResult.Success.class);
        // The cut connection was dropped, not handed to the next call with the rest of the body still on it.
        assertThat(server.received()).hasSize(2);
        assertThat(server.received().get(1).clientPort()).isNotEqualTo(server.received().get(0).clientPort());
    }

    @Test
    void shouldReuseTheConnectionAfterACompleteBody() {
        server.reply(Reply.json(500, INTERNAL_ERROR)).reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE))
                .reply(Reply.json(200, ResponseParserTest.SEED_000_RESPONSE));

        try (SessionApiClient client = client(server.clientSettings())) {
            for (int i = 0; i < 3; i++) {
                client.send(request("mandate_juspay", "ord_1"), API_KEY);
                // The I/O reactor hands the connection back to the pool just after the answer reaches the caller.
                await().atMost(Duration.ofSeconds(5)).until(() -> client.leasedConnections() == 0);
            }
        }

        assertThat(server.received()).extracting(ScriptedHttpServer.Received::clientPort).hasSize(3)
                .containsOnly(server.received().getFirst().clientPort());
    }

    @Test
    void shouldStopReadingAnEndlessBodyAtTheLimit() {
        server.reply(Reply.endless(200)).reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE));

        HttpResult first;
        HttpResult second;
        try (SessionApiClient client = client(server.clientSettings().maxResponseBytes(64 * 1024))) {
            first = client.send(request("mandate_juspay", "ord_1"), API_KEY);
            second = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(first).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> assertThat(
                retryable.message()).contains("body longer than the 65536-byte limit"));
        assertThat(second).isInstanceOf(HttpResult.Success.class);
    }

    @Test
    void shouldNotFollowRedirects() {
        server.reply(new Reply(302, java.util.Map.of("Location", server.baseUrl() + "/elsewhere"), new byte[0],
                Duration.ZERO));

        HttpResult result;
        try (SessionApiClient client = client(server.clientSettings())) {
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(result).isEqualTo(new HttpResult.Redirect(302, server.baseUrl() + "/elsewhere",
                "HTTP 302 redirect to Location " + server.baseUrl() + "/elsewhere (not followed: check juspay.base-url"
                        + " and any proxy in between)"));
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void shouldTimeOutWhenServerAnswersTooLate() {
        server.reply(Reply.json(200, "{}").delayedBy(Duration.ofSeconds(5)));
        long start = System.nanoTime();

        HttpResult result;
        try (SessionApiClient client = client(server.clientSettings().responseTimeout(Duration.ofMillis(300)))) {
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
            assertThat(retryable.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(retryable.exceptionClass()).isEqualTo("java.net.SocketTimeoutException");
            assertThat(retryable.httpStatus()).isNull();
            assertThat(retryable.message()).startsWith("POST /session failed: SocketTimeoutException")
                    .doesNotContain(API_KEY_TEXT).doesNotContain(AUTHORIZATION);
        });
        assertThat(result.statusClass()).isEqualTo("timeout");
        assertThat(elapsedMillis).isLessThan(4000);
    }

    @Test
    void shouldReportConnectionRefusedOnClosedPort() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }

        HttpResult result;
        try (SessionApiClient client = client(SessionApiSettings.builder()
                .baseUrl("http://127.0.0.1:" + closedPort).allowInsecureHttp(true))) {
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
            assertThat(retryable.kind()).isEqualTo(FailureKind.CONNECTION);
            assertThat(retryable.exceptionClass()).isEqualTo("org.apache.hc.client5.http.HttpHostConnectException");
            assertThat(retryable.message()).contains("127.0.0.1:" + closedPort)
                    .doesNotContain(API_KEY_TEXT).doesNotContain(AUTHORIZATION)
                    .doesNotContain(AUTHORIZATION.substring("Basic ".length()));
        });
        assertThat(result.statusClass()).isEqualTo("io");
    }

    @Test
    void shouldReportConnectionDroppedWithoutAnswerOnce() {
        server.reply(Reply.noAnswer());

        HttpResult result;
        try (SessionApiClient client = client(server.clientSettings())) {
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
            assertThat(retryable.kind()).isEqualTo(FailureKind.CONNECTION);
            assertThat(retryable.exceptionClass()).isEqualTo("org.apache.hc.core5.http.NoHttpResponseException");
        });
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void shouldAllowAsManyConcurrentCallsAsConfiguredConnections() throws Exception {
        int concurrency = 20;
        server.reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE)).holdUntilConcurrent(concurrency);

        List<HttpResult> results = new ArrayList<>();
        try (SessionApiClient client = client(server.clientSettings().maxConnections(concurrency));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResult>> calls = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                String orderId = "ord_" + i;
                calls.add(threads.submit(() -> client.send(request("mandate_juspay", orderId), API_KEY)));
            }
            for (Future<HttpResult> call : calls) {
                results.add(call.get(30, TimeUnit.SECONDS));
            }
        }

        assertThat(server.maxInFlight()).isEqualTo(concurrency);
        assertThat(results).hasSize(concurrency).allMatch(HttpResult.Success.class::isInstance);
    }
}
