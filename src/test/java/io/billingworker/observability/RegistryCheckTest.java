package io.billingworker.observability;

import io.billingworker.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryCheckTest {

    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private HttpServer registry;
    private String url;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"compatibilityLevel\":\"BACKWARD\"}".getBytes();
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        url = "http://127.0.0.1:" + registry.getAddress().getPort() + "/apis/ccompat/v7";
    }

    @AfterEach
    void stopRegistry() {
        registry.stop(0);
    }

    @Test
    void shouldBeUpWhenTheRegistryServesItsConfig() {
        RegistryCheck check = new RegistryCheck(url, Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(15),
                clock);

        HealthCheck.Status result = check.check();

        assertThat(result).isEqualTo(HealthCheck.Status.up("reachable: http://127.0.0.1:"
                + registry.getAddress().getPort() + " answered HTTP 200"));
        assertThat(requests).containsExactly("GET /apis/ccompat/v7/config null");
    }

    @Test
    void shouldSendBasicAuthWithoutEverNamingTheCredentials() {
        status.set(401);
        RegistryCheck check = new RegistryCheck(url, Optional.of("user:s3cret"), Duration.ofSeconds(2),
                Duration.ofSeconds(15), clock);

        HealthCheck.Status result = check.check();

        assertThat(requests).containsExactly("GET /apis/ccompat/v7/config Basic dXNlcjpzM2NyZXQ=");
        assertThat(result).isEqualTo(HealthCheck.Status.down("unreachable: http://127.0.0.1:"
                + registry.getAddress().getPort() + " answered HTTP 401"));
        assertThat(result.detail()).doesNotContain("s3cret").doesNotContain("dXNlcjpzM2NyZXQ=");
    }

    @Test
    void shouldReuseAResultForTheCachePeriodThenProbeAgain() {
        RegistryCheck check = new RegistryCheck(url, Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(15),
                clock);
        check.check();
        status.set(503);

        HealthCheck.Status cached = check.check();
        clock.advance(Duration.ofSeconds(15));
        HealthCheck.Status fresh = check.check();

        assertThat(cached.up()).isTrue();
        assertThat(fresh.up()).isFalse();
        assertThat(requests).hasSize(2);
    }

    @Test
    void shouldTryTheNextUrlAndReportEveryFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RegistryCheck check = new RegistryCheck("http://127.0.0.1:" + closedPort + "," + url, Optional.empty(),
                Duration.ofSeconds(2), Duration.ofSeconds(15), clock);
        RegistryCheck allDown = new RegistryCheck("http://127.0.0.1:" + closedPort, Optional.empty(),
                Duration.ofSeconds(2), Duration.ofSeconds(15), clock);

        HealthCheck.Status second = check.check();
        HealthCheck.Status down = allDown.check();

        assertThat(second.up()).isTrue();
        assertThat(down).isEqualTo(HealthCheck.Status.down("unreachable: http://127.0.0.1:" + closedPort
                + ": ConnectException"));
    }

    @Test
    void shouldTreatAnInMemoryRegistryAsUp() {
        RegistryCheck check = new RegistryCheck("mock://demo", Optional.empty(), Duration.ofSeconds(2),
                Duration.ofSeconds(15), clock);

        HealthCheck.Status result = check.check();

        assertThat(result).isEqualTo(HealthCheck.Status.up("in-memory registry mock://demo"));
    }
}
