package io.billingworker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST client against a scripted stand-in for the Confluent API on 127.0.0.1 (the JDK's built-in HTTP server):
 * paths under a base path, headers, bodies, caching, error mapping, timeouts and fail-over.
 */
class RestSchemaRegistryClientTest {

    private static final String TINY_TEXT = TestRecords.TINY.toString();

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Header names as the JDK server normalizes them: first letter upper case, the rest lower case. */
    private final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private volatile String lastBody;

    record Reply(int status, String body, long delayMillis) {
    }

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    @Test
    void shouldRegisterWithConfluentRequestUnderBasePathAndCacheTheId() {
        replies.put("POST /apis/ccompat/v7/subjects/orders%20v1-value/versions", new Reply(200, "{\"id\":7}", 0));
        RestSchemaRegistryClient client = client(Optional.of("user:pa:ss"));

        int first = client.register("orders v1-value", TestRecords.TINY);
        int second = client.register("orders v1-value", TestRecords.TINY);
        Schema byId = client.getById(7);

        assertThat(first).isEqualTo(7);
        assertThat(second).isEqualTo(7);
        assertThat(byId).isEqualTo(TestRecords.TINY);
        assertThat(requests).containsExactly("POST /apis/ccompat/v7/subjects/orders%20v1-value/versions");
        assertThat(lastHeaders).containsEntry("Content-type", "application/vnd.schemaregistry.v1+json")
                .containsEntry("Authorization", "Basic dXNlcjpwYTpzcw==");
        assertThat(lastBody).isEqualTo("{\"schema\":" + jsonString(TINY_TEXT) + "}");
    }

    @Test
    void shouldSendOneRequestWhenManyRecordsNeedTheSameUncachedIdAtOnce() throws Exception {
        // A worker starting on a backlog: hundreds of records publish their first outcome at the same moment.
        replies.put("POST /apis/ccompat/v7/subjects/created-value/versions", new Reply(200, "{\"id\":7}", 300));
        RestSchemaRegistryClient client = client(Optional.empty());

        List<Integer> ids = new CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            callers.add(Thread.ofVirtual().start(() -> ids.add(client.register("created-value", TestRecords.TINY))));
        }
        for (Thread caller : callers) {
            caller.join(10_000);
        }

        assertThat(ids).hasSize(50).containsOnly(7);
        assertThat(requests).containsExactly("POST /apis/ccompat/v7/subjects/created-value/versions");
    }

    @Test
    void shouldGiveEveryWaitingCallerTheFailureAndAskAgainOnTheNextCall() throws Exception {
        replies.put("POST /apis/ccompat/v7/subjects/created-value/versions",
                new Reply(500, "{\"error_code\":50001,\"message\":\"store down\"}", 300));
        RestSchemaRegistryClient client = client(Optional.empty());

        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    client.register("created-value", TestRecords.TINY);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread caller : callers) {
            caller.join(10_000);
        }
        assertThat(failures).hasSize(10).allSatisfy(e -> assertThat(e).isInstanceOf(SchemaRegistryUnavailableException.class));
        assertThat(requests).hasSize(1);

        replies.put("POST /apis/ccompat/v7/subjects/created-value/versions", new Reply(200, "{\"id\":8}", 0));
        assertThat(client.register("created-value", TestRecords.TINY)).isEqualTo(8);
        assertThat(requests).hasSize(2);
    }

    @Test
    void shouldFetchSchemaByIdOnceAndSendNoAuthorizationWithoutCredentials() {
        replies.put("GET /apis/ccompat/v7/schemas/ids/3",
                new Reply(200, "{\"schema\":" + jsonString(TINY_TEXT) + ",\"schemaType\":\"AVRO\",\"references\":[]}", 0));
        RestSchemaRegistryClient client = client(Optional.empty());

        Schema first = client.getById(3);
        Schema second = client.getById(3);

        assertThat(first).isEqualTo(TestRecords.TINY).isSameAs(second);
        assertThat(requests).containsExactly("GET /apis/ccompat/v7/schemas/ids/3");
        assertThat(lastHeaders).doesNotContainKey("Authorization");
    }

    @Test
    void shouldLookUpWithoutRegistering() {
        replies.put("POST /apis/ccompat/v7/subjects/t-value",
                new Reply(200, "{\"subject\":\"t-value\",\"version\":2,\"id\":5,\"schema\":" + jsonString(TINY_TEXT) + "}", 0));
        RestSchemaRegistryClient client = client(Optional.empty());

        int id = client.getId("t-value", TestRecords.TINY);

        assertThat(id).isEqualTo(5);
        assertThat(requests).containsExactly("POST /apis/ccompat/v7/subjects/t-value");
    }

    @Test
    void shouldFetchLatestVersionEveryTime() {
        replies.put("GET /apis/ccompat/v7/subjects/t-value/versions/latest",
                new Reply(200, "{\"subject\":\"t-value\",\"version\":2,\"id\":5,\"schema\":" + jsonString(TINY_TEXT) + "}", 0));
        RestSchemaRegistryClient client = client(Optional.empty());

        RegisteredSchema latest = client.getLatest("t-value");
        client.getLatest("t-value");

        assertThat(latest).isEqualTo(new RegisteredSchema("t-value", 2, 5, TestRecords.TINY));
        assertThat(requests).hasSize(2);
    }

    @Test
    void shouldReportUnknownIdAsNotFound() {
        replies.put("GET /apis/ccompat/v7/schemas/ids/42",
                new Reply(404, "{\"message\":\"No content with ID '42' was found.\",\"error_code\":40403}", 0));

        assertThatThrownBy(() -> client(Optional.empty()).getById(42))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                })
                .hasMessage("schema id 42 not found in registry (HTTP 404, error 40403): No content with ID '42' was found.");
    }

    @Test
    void shouldReportIncompatibleSchema() {
        replies.put("POST /apis/ccompat/v7/subjects/t-value/versions",
                new Reply(409, "{\"message\":\"Incompatible\\nartifact\",\"error_code\":409}", 0));

        assertThatThrownBy(() -> client(Optional.empty()).register("t-value", TestRecords.TINY))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessage("schema registry refused registering a schema under subject 't-value': incompatible with "
                        + "an earlier version (HTTP 409, error 409): Incompatible artifact");
    }

    @Test
    void shouldReportInvalidSchema() {
        replies.put("POST /apis/ccompat/v7/subjects/t-value/versions",
                new Reply(422, "{\"message\":\"bad\",\"error_code\":42201}", 0));

        assertThatThrownBy(() -> client(Optional.empty()).register("t-value", TestRecords.TINY))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessage("schema registry refused registering a schema under subject 't-value': invalid schema "
                        + "(HTTP 422, error 42201): bad");
    }

    @Test
    void shouldRefuseNonAvroSchemas() {
        replies.put("GET /apis/ccompat/v7/schemas/ids/9",
                new Reply(200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}", 0));

        assertThatThrownBy(() -> client(Optional.empty()).getById(9))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessage("schema id 9 is a PROTOBUF schema, not AVRO");
    }

    @Test
    void shouldReportServerErrorsAsUnavailable() {
        replies.put("GET /apis/ccompat/v7/schemas/ids/3", new Reply(503, "<html>down</html>", 0));

        assertThatThrownBy(() -> client(Optional.empty()).getById(3))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessage("schema registry at " + baseUrl() + " failed while fetching schema id 3 (HTTP 503)");
    }

    @Test
    void shouldReportRefusedCredentialsAsUnavailableWithoutEchoingThem() {
        replies.put("GET /apis/ccompat/v7/schemas/ids/3", new Reply(401, "{\"message\":\"Unauthorized\"}", 0));

        assertThatThrownBy(() -> client(Optional.of("user:secret")).getById(3))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessage("schema registry at " + baseUrl() + " refused access while fetching schema id 3 (HTTP 401); "
                        + "check basic.auth.credentials.source and basic.auth.user.info")
                .hasMessageNotContaining("secret");
    }

    @Test
    void shouldReportTimeoutAsUnavailable() {
        replies.put("GET /apis/ccompat/v7/schemas/ids/3", new Reply(200, "{}", 2_000));
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(List.of(URI.create(baseUrl())),
                Optional.empty(), Duration.ofSeconds(1), Duration.ofMillis(200));

        assertThatThrownBy(() -> client.getById(3))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessage("schema registry unreachable while fetching schema id 3: " + baseUrl()
                        + " timed out (HttpTimeoutException, request timeout 200 ms)");
    }

    @Test
    void shouldFailOverToTheNextUrlWhenOneCannotBeReached() throws IOException {
        replies.put("GET /apis/ccompat/v7/schemas/ids/3", new Reply(200, "{\"schema\":" + jsonString(TINY_TEXT) + "}", 0));
        String closed = "http://127.0.0.1:" + closedPort() + "/apis/ccompat/v7";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                List.of(URI.create(closed), URI.create(baseUrl() + "/")), Optional.empty(),
                Duration.ofSeconds(1), Duration.ofSeconds(2));

        Schema schema = client.getById(3);

        assertThat(schema).isEqualTo(TestRecords.TINY);
        assertThat(client).hasToString("RestSchemaRegistryClient[" + closed + ", " + baseUrl() + "]");
    }

    private RestSchemaRegistryClient client(Optional<String> userInfo) {
        return new RestSchemaRegistryClient(List.of(URI.create(baseUrl())), userInfo,
                Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
        requests.add(key);
        exchange.getRequestHeaders().forEach((name, values) -> lastHeaders.put(name, values.getFirst()));
        lastBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Reply reply = replies.getOrDefault(key, new Reply(500, "{\"message\":\"unscripted " + key + "\"}", 0));
        if (reply.delayMillis() > 0) {
            try {
                Thread.sleep(reply.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(reply.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
