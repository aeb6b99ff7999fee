package io.billingworker.sessionapi;

import static io.billingworker.sessionapi.Fixtures.API_KEY;
import static io.billingworker.sessionapi.Fixtures.API_KEY_TEXT;
import static io.billingworker.sessionapi.Fixtures.client;
import static io.billingworker.sessionapi.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.sessionapi.ScriptedHttpServer.Received;
import io.billingworker.sessionapi.ScriptedHttpServer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the async exchange adds to {@link SessionApiClientTest}: interrupts, pool leases after timeouts and cancels,
 * the headers actually sent, a body broken off on the wire, and close while calls are in flight.
 */
class SessionApiClientExchangeTest {

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
    void shouldSendOnlyTheHeadersTheApiNeeds() {
        server.reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE));
        var request = request("mandate_juspay", "ord_1");

        try (SessionApiClient client = client(server.clientSettings())) {
            client.send(request, API_KEY);
        }

        Received received = server.received().getFirst();
        assertThat(received.headers())
                .containsEntry("accept", "application/json")
                .containsEntry("content-type", "application/json")
                .containsEntry("content-length", String.valueOf(request.bodyBytes().length))
                .containsEntry("user-agent", "billing-session-worker")
                .doesNotContainKeys("transfer-encoding", "accept-encoding", "cookie", "expect");
        assertThat(received.headers().keySet()).containsOnly("authorization", "x-merchantid", "x-routing-id",
                "accept", "content-type", "content-length", "user-agent", "host", "connection");
    }

    @Test
    void shouldCancelTheExchangeOnInterruptKeepTheFlagAndFreeTheConnection() throws Exception {
        server.reply(Reply.json(200, "{}").delayedBy(Duration.ofSeconds(3)))
                .reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE));

        try (SessionApiClient client = oneConnectionClient(Duration.ofMillis(500))) {
            AtomicReference<HttpResult> interruptedResult = new AtomicReference<>();
            AtomicBoolean flagKept = new AtomicBoolean();
            Thread caller = Thread.ofVirtual().start(() -> {
                interruptedResult.set(client.send(request("mandate_juspay", "ord_1"), API_KEY));
                flagKept.set(Thread.currentThread().isInterrupted());
            });
            awaitReceived(1);
            long start = System.nanoTime();
            caller.interrupt();
            assertThat(caller.join(Duration.ofSeconds(2))).isTrue();

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
            assertThat(flagKept).isTrue();
            assertThat(interruptedResult.get()).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
                assertThat(retryable.kind()).isEqualTo(FailureKind.TIMEOUT);
                assertThat(retryable.exceptionClass()).isEqualTo("java.io.InterruptedIOException");
            });
            // The pool's only connection is free again (lease timeout 500 ms), and a new one: the old was dropped.
            HttpResult next = client.send(request("mandate_juspay", "ord_2"), API_KEY);
            assertThat(next).isInstanceOf(HttpResult.Success.class);
        }
        assertThat(server.received()).hasSize(2);
        assertThat(server.received().get(1).clientPort()).isNotEqualTo(server.received().get(0).clientPort());
    }

    @Test
    void shouldSendNothingWhenAlreadyInterrupted() {
        server.reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE));

        HttpResult result;
        boolean flagKept;
        try (SessionApiClient client = client(server.clientSettings())) {
            Thread.currentThread().interrupt();
            result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
            flagKept = Thread.interrupted();
        }

        assertThat(flagKept).isTrue();
        assertThat(result).isInstanceOf(HttpResult.Retryable.class);
        assertThat(server.received()).isEmpty();
    }

    @Test
    void shouldNotLeakPoolConnectionsAfterTimeoutsAndCancels() throws Exception {
        int pool = 4;
        for (int i = 0; i < 6; i++) {
            server.reply(Reply.json(200, "{}").delayedBy(Duration.ofSeconds(4)));
        }
        server.reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE));

        // 2 timeouts and 4 cancels on a pool of 4: leaked leases would leave no connection for the calls below.
        // Generous timeouts: the JDK's test server sometimes takes up to a second to read the next request on a
        // kept-alive connection.
        try (SessionApiClient client = client(server.clientSettings().maxConnections(pool)
                .responseTimeout(Duration.ofSeconds(2)).connectionRequestTimeout(Duration.ofSeconds(10)))) {
            for (int i = 0; i < 2; i++) {
                HttpResult timedOut = client.send(request("mandate_juspay", "ord_t" + i), API_KEY);
                assertThat(timedOut.statusClass()).isEqualTo("timeout");
            }
            for (int i = 0; i < pool; i++) {
                int before = server.received().size();
                Thread caller = Thread.ofVirtual().start(
                        () -> client.send(request("mandate_juspay", "ord_c"), API_KEY));
                awaitReceived(before + 1);
                caller.interrupt();
                assertThat(caller.join(Duration.ofSeconds(2))).isTrue();
            }

            List<HttpResult> results = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<HttpResult>> calls = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String orderId = "ord_" + i;
                    calls.add(threads.submit(() -> client.send(request("mandate_juspay", orderId), API_KEY)));
                }
                for (Future<HttpResult> call : calls) {
                    results.add(call.get(30, TimeUnit.SECONDS));
                }
            }
            assertThat(results).hasSize(200).allMatch(HttpResult.Success.class::isInstance);
            // The reactor hands a connection back just after it completes the answer: give it a moment.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (client.leasedConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(client.leasedConnections()).isZero();
        }
        assertThat(server.received()).hasSize(206);
    }

    @Test
    void shouldTimeOutWaitingForAPoolConnectionLikeTheBlockingClient() throws Exception {
        server.reply(Reply.json(200, "{}").delayedBy(Duration.ofSeconds(4)));

        try (SessionApiClient client = oneConnectionClient(Duration.ofMillis(200))) {
            Thread holder = Thread.ofVirtual().start(() -> client.send(request("mandate_juspay", "ord_1"), API_KEY));
            awaitReceived(1);

            long start = System.nanoTime();
            HttpResult result = client.send(request("mandate_juspay", "ord_2"), API_KEY);

            // Bounded by the lease timeout itself, not by the next connection coming back (after 4 s).
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);

            assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
                assertThat(retryable.kind()).isEqualTo(FailureKind.TIMEOUT);
                assertThat(retryable.exceptionClass())
                        .isEqualTo("org.apache.hc.core5.http.ConnectionRequestTimeoutException");
                assertThat(retryable.message()).doesNotContain(API_KEY_TEXT);
            });
            holder.join(Duration.ofSeconds(7));
        }
    }

    @Test
    void shouldHandBackTheConnectionOfALeaseItsCallerStoppedWaitingFor() throws Exception {
        server.reply(Reply.json(200, "{}").delayedBy(Duration.ofSeconds(1)))
                .reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE));

        try (SessionApiClient client = oneConnectionClient(Duration.ofSeconds(10))) {
            Thread holder = Thread.ofVirtual().start(() -> client.send(request("mandate_juspay", "ord_1"), API_KEY));
            awaitReceived(1);
            AtomicReference<HttpResult> waiterResult = new AtomicReference<>();
            Thread waiter = Thread.ofVirtual().start(
                    () -> waiterResult.set(client.send(request("mandate_juspay", "ord_2"), API_KEY)));
            Thread.sleep(100);
            waiter.interrupt();
            assertThat(waiter.join(Duration.ofSeconds(2))).isTrue();
            assertThat(waiterResult.get()).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable ->
                    assertThat(retryable.exceptionClass()).isEqualTo("java.io.InterruptedIOException"));
            assertThat(holder.join(Duration.ofSeconds(5))).isTrue();

            // The pool's only connection: granted to the abandoned lease once the holder is done, then handed back.
            HttpResult next = client.send(request("mandate_juspay", "ord_3"), API_KEY);

            assertThat(next).isInstanceOf(HttpResult.Success.class);
        }
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void shouldDropTheConnectionOfABodyLongerThanTheLimit() {
        server.reply(Reply.json(200, "{\"padding\":\"" + "x".repeat(40_000) + "\"}"))
                .reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE));

        HttpResult second;
        try (SessionApiClient client = client(server.clientSettings().maxResponseBytes(16 * 1024))) {
            client.send(request("mandate_juspay", "ord_1"), API_KEY);
            second = client.send(request("mandate_juspay", "ord_1"), API_KEY);
        }

        assertThat(second).isInstanceOf(HttpResult.Success.class);
        assertThat(server.received().get(1).clientPort()).isNotEqualTo(server.received().get(0).clientPort());
    }

    @Test
    void shouldClassifyABodyBrokenOffOnTheWireAsCutShort() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> answerOnceWithAShortBody(raw));
            HttpResult result;
            try (SessionApiClient client = client(SessionApiSettings.builder()
                    .baseUrl("http://127.0.0.1:" + raw.getLocalPort()).allowInsecureHttp(true))) {
                result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
            }

            assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
                assertThat(retryable.kind()).isEqualTo(FailureKind.INVALID_RESPONSE);
                assertThat(retryable.message()).contains("content type application/json, 10 bytes of 500 announced");
            });
        }
    }

    @Test
    void shouldAbortCallsInFlightOnClose() throws Exception {
        server.reply(Reply.json(200, "{}").delayedBy(Duration.ofSeconds(5)));
        SessionApiClient client = client(server.clientSettings());
        AtomicReference<HttpResult> result = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(
                () -> result.set(client.send(request("mandate_juspay", "ord_1"), API_KEY)));
        awaitReceived(1);
        long start = System.nanoTime();

        client.close();

        assertThat(caller.join(Duration.ofSeconds(3))).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
        assertThat(result.get()).isInstanceOfSatisfying(HttpResult.Retryable.class,
                retryable -> assertThat(retryable.kind()).isEqualTo(FailureKind.CONNECTION));
    }

    private static void answerOnceWithAShortBody(ServerSocket raw) {
        try (Socket socket = raw.accept()) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            StringBuilder head = new StringBuilder();
            while (!head.toString().contains("\r\n\r\n")) {
                int read = in.read(buffer);
                if (read < 0) {
                    return;
                }
                head.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
                    + "{\"status\":").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(100);
        } catch (IOException | InterruptedException e) {
            // The test sees what the client made of it.
        }
    }

    private void awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.received().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("server received " + server.received().size() + " of " + count);
            }
            Thread.sleep(10);
        }
    }

    /** A client with one pooled connection, whose callers wait at most {@code leaseWait} for it. */
    private SessionApiClient oneConnectionClient(Duration leaseWait) {
        return client(server.clientSettings().maxConnections(1).connectionRequestTimeout(leaseWait));
    }
}
