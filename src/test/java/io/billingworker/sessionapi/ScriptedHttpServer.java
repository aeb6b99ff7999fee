package io.billingworker.sessionapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A tiny HTTP(S) server on 127.0.0.1 answering from a script (status, headers, body, delay) and recording
 * what it received. The last reply repeats once the script runs out.
 */
final class ScriptedHttpServer implements AutoCloseable {

    /** One scripted answer. */
    record Reply(int status, Map<String, String> headers, byte[] body, Duration delay) {

        private static final String ENDLESS = "X-Scripted-Endless";

        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"),
                    body.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
        }

        /**
         * Announces a JSON body of 1 TiB and streams spaces until the client goes away: a client that read on would
         * never finish.
         */
        static Reply endless(int status) {
            return new Reply(status, Map.of("Content-Type", "application/json", ENDLESS, "true"), new byte[0],
                    Duration.ZERO);
        }

        /** Reads the request, then closes the connection without answering. */
        static Reply noAnswer() {
            return new Reply(0, Map.of(), new byte[0], Duration.ZERO);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> all = new TreeMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, body, delay);
        }

        Reply delayedBy(Duration wait) {
            return new Reply(status, headers, body, wait);
        }
    }

    /** One request as received; header names lower-cased. */
    /** One request as received; {@code clientPort} tells connections apart (a reused connection keeps its port). */
    record Received(String method, String path, Map<String, String> headers, byte[] body, int clientPort) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile CountDownLatch gate;
    private Reply last;

    private ScriptedHttpServer(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static ScriptedHttpServer http() throws IOException {
        return new ScriptedHttpServer(HttpServer.create(loopback(), 0));
    }

    static ScriptedHttpServer https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(loopback(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new ScriptedHttpServer(server);
    }

    synchronized ScriptedHttpServer reply(Reply reply) {
        script.add(reply);
        return this;
    }

    /** Holds every request until {@code count} are in flight at once (or 10 s pass), then answers. */
    ScriptedHttpServer holdUntilConcurrent(int count) {
        gate = new CountDownLatch(count);
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String baseUrl() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + port();
    }

    /** Client settings for this server; plain HTTP is allowed, for the test. */
    SessionApiSettings.Builder clientSettings() {
        return SessionApiSettings.builder().baseUrl(baseUrl()).allowInsecureHttp(true);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    body, exchange.getRemoteAddress().getPort()));
            awaitGate();
            Reply reply = next();
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay());
            }
            if (reply.status() == 0) {
                // The JDK server drops the connection when a handler fails before answering.
                throw new IllegalStateException("scripted: no answer");
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            if (reply.headers().containsKey(Reply.ENDLESS)) {
                streamEndlessly(exchange, reply.status());
                return;
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Writes spaces until the client closes the connection (the write then fails). */
    private static void streamEndlessly(HttpExchange exchange, int status) throws IOException {
        byte[] spaces = new byte[64 * 1024];
        java.util.Arrays.fill(spaces, (byte) ' ');
        spaces[0] = '{';
        exchange.sendResponseHeaders(status, 1L << 40);
        OutputStream out = exchange.getResponseBody();
        out.write(spaces);
        spaces[0] = ' ';
        while (true) {
            out.write(spaces);
        }
    }

    private void awaitGate() throws InterruptedException {
        CountDownLatch current = gate;
        if (current != null) {
            current.countDown();
            current.await(10, TimeUnit.SECONDS);
        }
    }

    private synchronized Reply next() {
        if (!script.isEmpty()) {
            last = script.poll();
        }
        if (last == null) {
            throw new IllegalStateException("no scripted reply");
        }
        return last;
    }

    private static InetSocketAddress loopback() throws IOException {
        return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
    }
}
