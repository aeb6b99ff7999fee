package io.billingworker.sessionapi;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Connection settings of the {@code POST /session} client: where Juspay is, how long to wait, and how many
 * connections to keep. Validated when built; every message names the setting and the bad value.
 *
 * <p>TLS verification and host name verification are always on. {@code allowInsecureHttp} permits an
 * {@code http://} base URL and exists only for the local simulator.
 *
 * @param baseUrl                  e.g. {@code https://sandbox.juspay.in}; the client posts to {@code baseUrl + "/session"}
 * @param allowInsecureHttp        permit {@code http://} (local simulator only)
 * @param connectTimeout           TCP and TLS connect timeout
 * @param responseTimeout          longest wait for response data (socket read timeout) once the request is sent
 * @param connectionRequestTimeout longest wait to lease a connection from the pool
 * @param maxConnections           pool size, total and per route; size it to the worker's concurrency (the
 *                                 library defaults of 25 total / 5 per route would silently cap it)
 * @param maxResponseBytes         longest response body read; a longer body counts as unreadable
 * @param truststore               certificates to trust instead of the JDK's, or {@code null} for the JDK's
 */
public record SessionApiSettings(
        URI baseUrl,
        boolean allowInsecureHttp,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration connectionRequestTimeout,
        int maxConnections,
        int maxResponseBytes,
        Truststore truststore) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECTION_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
    static final int MAX_CONNECTIONS_LIMIT = 10_000;

    public SessionApiSettings {
        baseUrl = validBaseUrl(baseUrl, allowInsecureHttp);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("responseTimeout", responseTimeout);
        requirePositive("connectionRequestTimeout", connectionRequestTimeout);
        if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS_LIMIT) {
            throw new IllegalArgumentException("maxConnections must be between 1 and " + MAX_CONNECTIONS_LIMIT
                    + ", was " + maxConnections);
        }
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 1024, was " + maxResponseBytes);
        }
    }

    /** The endpoint every call posts to: {@code baseUrl + "/session"}. */
    public URI sessionEndpoint() {
        return URI.create(baseUrl + "/session");
    }

    public static Builder builder() {
        return new Builder();
    }

    private static URI validBaseUrl(URI url, boolean allowInsecureHttp) {
        if (url == null) {
            throw new IllegalArgumentException("baseUrl is required");
        }
        // Checked before anything echoes the value: user info would be a credential.
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUrl must not contain user info");
        }
        if (!url.isAbsolute() || url.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute URL with a host, was '" + url + "'");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && !allowInsecureHttp) {
            throw new IllegalArgumentException("baseUrl must use https (allowInsecureHttp is for the local simulator"
                    + " only), was '" + url + "'");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("baseUrl must use https, was '" + url + "'");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query or fragment, was '" + url + "'");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme + "://" + url.getRawAuthority() + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl is not a valid URL, was '" + url + "'", e);
        }
    }

    static void requirePositive(String name, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, was " + value);
        }
    }

    /**
     * A trust store holding the certificates to trust for the base URL's server. When set, only these
     * certificates are trusted (not the JDK's); host name verification still applies.
     *
     * @param path     a readable key store file
     * @param type     key store type, e.g. {@code PKCS12} or {@code JKS}
     * @param password key store password, or {@code null} when it has none; never shown by {@link #toString()}
     */
    public record Truststore(Path path, String type, String password) {

        public Truststore {
            if (path == null) {
                throw new IllegalArgumentException("truststore.path is required");
            }
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new IllegalArgumentException("truststore.path is not a readable file, was '" + path + "'");
            }
            if (type == null || type.isBlank()) {
                throw new IllegalArgumentException("truststore.type must not be blank, was '" + type + "'");
            }
        }

        /** A PKCS12 trust store. */
        public static Truststore pkcs12(Path path, String password) {
            return new Truststore(path, "PKCS12", password);
        }

        @Override
        public String toString() {
            return "Truststore[path=" + path + ", type=" + type + ", password=" + (password == null ? "none" : "****")
                    + "]";
        }
    }

    /** Builds {@link SessionApiSettings} with the defaults above; {@link #build()} validates. */
    public static final class Builder {
        private URI baseUrl;
        private boolean allowInsecureHttp;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private Duration connectionRequestTimeout = DEFAULT_CONNECTION_REQUEST_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private Truststore truststore;

        private Builder() {
        }

        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Parses {@code baseUrl}; an unparseable value fails here without echoing it (it may hold credentials). */
        public Builder baseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            try {
                this.baseUrl = new URI(baseUrl.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("baseUrl is not a valid URL (" + e.getReason() + ")");
            }
            return this;
        }

        public Builder allowInsecureHttp(boolean allowInsecureHttp) {
            this.allowInsecureHttp = allowInsecureHttp;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        public Builder connectionRequestTimeout(Duration connectionRequestTimeout) {
            this.connectionRequestTimeout = connectionRequestTimeout;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder maxResponseBytes(int maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        public Builder truststore(Truststore truststore) {
            this.truststore = truststore;
            return this;
        }

        public SessionApiSettings build() {
            return new SessionApiSettings(baseUrl, allowInsecureHttp, connectTimeout, responseTimeout,
                    connectionRequestTimeout, maxConnections, maxResponseBytes, truststore);
        }
    }
}
