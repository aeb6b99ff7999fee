package io.billingworker.observability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the schema registry answers: {@code GET <url>/config} (a tiny document every Confluent-compatible
 * registry serves) must return 2xx from one of the configured URLs. The result is cached for {@code cacheFor}, so
 * probes at any rate cost at most one request per period. {@code mock://} registries (demo, tests) are always up.
 * Details name only the registry's scheme, host and port: never credentials.
 */
public final class RegistryCheck implements HealthCheck {

    private final List<URI> urls;
    private final Optional<String> authorization;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration cacheFor;
    private final Clock clock;
    private Status cached;
    private Instant cachedAt;

    /**
     * @param urls           the registry base URLs (comma separated, as configured)
     * @param basicAuthUser  {@code user:password} for basic auth, if configured
     * @param timeout        per request
     * @param cacheFor       how long a result is reused
     */
    public RegistryCheck(String urls, Optional<String> basicAuthUser, Duration timeout, Duration cacheFor,
            Clock clock) {
        Objects.requireNonNull(urls, "urls");
        this.urls = new ArrayList<>();
        for (String url : urls.split(",")) {
            if (!url.isBlank()) {
                this.urls.add(URI.create(url.trim()));
            }
        }
        this.authorization = Objects.requireNonNull(basicAuthUser, "basicAuthUser")
                .map(user -> "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.cacheFor = Objects.requireNonNull(cacheFor, "cacheFor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public synchronized Status check() {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cachedAt.plus(cacheFor))) {
            return cached;
        }
        cached = probe();
        cachedAt = now;
        return cached;
    }

    private Status probe() {
        if (!urls.isEmpty() && urls.stream().allMatch(url -> "mock".equals(url.getScheme()))) {
            return Status.up("in-memory registry " + urls.getFirst());
        }
        List<String> failures = new ArrayList<>();
        for (URI url : urls) {
            String where = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(configUri(url)).timeout(timeout).GET()
                        .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
                authorization.ifPresent(value -> request.header("Authorization", value));
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return Status.up("reachable: " + where + " answered HTTP " + status);
                }
                failures.add(where + " answered HTTP " + status);
            } catch (IOException | IllegalArgumentException e) {
                failures.add(where + ": " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Status.down("interrupted while probing " + where);
            }
        }
        return Status.down(failures.isEmpty() ? "no registry URL configured" : "unreachable: " + String.join("; ", failures));
    }

    private static URI configUri(URI base) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text : text + "/") + "config");
    }
}
