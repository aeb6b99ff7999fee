package io.billingworker.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops endpoint on its own port (the JDK's HTTP server, no extra dependency): {@code GET /metrics} (Prometheus
 * text format), {@code GET /health/live} and {@code GET /health/ready} (200 when up, 503 when down, a JSON body
 * naming each check). Two threads serve it, so a slow scrape does not hold up a probe.
 */
public final class OpsServer implements AutoCloseable {

    /** Prometheus text exposition format 0.0.4. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @param host      address to bind (0.0.0.0 in a pod, 127.0.0.1 in tests)
     * @param port      port to bind; 0 picks a free one
     * @param scrape    the Prometheus text of all meters
     * @param liveness  checks of {@code /health/live}
     * @param readiness checks of {@code /health/ready}
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static OpsServer start(String host, int port, Supplier<String> scrape, Map<String, HealthCheck> liveness,
            Map<String, HealthCheck> readiness) {
        Objects.requireNonNull(scrape, "scrape");
        Map<String, HealthCheck> live = orderedCopy(liveness);
        Map<String, HealthCheck> ready = orderedCopy(readiness);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the ops endpoint to " + host + ":" + port, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "ops-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> respond(exchange, "/metrics",
                () -> new Response(200, METRICS_CONTENT_TYPE, scrape.get())));
        server.createContext("/health/live", exchange -> respond(exchange, "/health/live", () -> health(live)));
        server.createContext("/health/ready", exchange -> respond(exchange, "/health/ready", () -> health(ready)));
        server.createContext("/", exchange -> respond(exchange, "/", OpsServer::notFound));
        server.start();
        OpsServer ops = new OpsServer(server, executor);
        log.info("ops endpoint listening on {}:{} (/metrics, /health/live, /health/ready)", host, ops.port());
        return ops;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, HealthCheck> orderedCopy(Map<String, HealthCheck> checks) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    private static Response health(Map<String, HealthCheck> checks) {
        HealthReport report = HealthReport.of(checks);
        return new Response(report.up() ? 200 : 503, "application/json", report.toJson() + "\n");
    }

    private static Response notFound() {
        return new Response(404, "text/plain; charset=utf-8", "not found: try /metrics, /health/live or /health/ready\n");
    }

    private static void respond(HttpExchange exchange, String path, Supplier<Response> handler) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            Response response;
            if (!exchange.getRequestURI().getPath().equals(path)) {
                response = notFound();
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                response = new Response(405, "text/plain; charset=utf-8", "method not allowed\n");
            } else {
                try {
                    response = handler.get();
                } catch (RuntimeException e) {
                    log.warn("ops endpoint {} failed: {}", exchange.getRequestURI().getPath(), e.toString());
                    response = new Response(500, "text/plain; charset=utf-8", "internal error\n");
                }
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(response.status(), -1);
                return;
            }
            exchange.sendResponseHeaders(response.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private record Response(int status, String contentType, String body) {
    }
}
