package io.billingworker.sessionapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.billingworker.mapping.SessionRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Blocking {@code POST /session} client on Apache HttpClient 5 (classic, pooled), meant to be called from
 * many virtual threads at once. Each {@link #send} is exactly one HTTP attempt: HttpClient's own retries and
 * redirects are off; retrying is the {@link SessionGateway}'s job.
 *
 * <p>The pool holds {@link SessionApiSettings#maxConnections()} connections in total and per route (the
 * library defaults would cap a concurrent worker at 5). TLS verification and host name verification are
 * always on. The API key only ever appears in the {@code Authorization} header; failure messages are
 * scrubbed of it.
 */
public final class SessionApiClient implements SessionApi, AutoCloseable {

    static final String MERCHANT_ID_HEADER = "x-merchantid";
    static final String ROUTING_ID_HEADER = "x-routing-id";
    private static final ContentType JSON = ContentType.create("application/json");
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(2);

    private final SessionApiSettings settings;
    private final URI endpoint;
    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient http;
    private final ResponseClassifier classifier;

    public SessionApiClient(SessionApiSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock resolves {@code Retry-After} dates */
    public SessionApiClient(SessionApiSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.endpoint = settings.sessionEndpoint();
        // Jackson recycles its parse buffers per thread by default, which a virtual thread per call defeats.
        ObjectMapper json = new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build());
        this.classifier = new ResponseClassifier(new ResponseParser(json), clock);
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(sslContext(settings.truststore()),
                        HostnameVerificationPolicy.BOTH, HttpsSupport.getDefaultHostnameVerifier()))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout(settings.connectTimeout()))
                        .setSocketTimeout(timeout(settings.responseTimeout()))
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout(settings.connectionRequestTimeout()))
                        .setResponseTimeout(timeout(settings.responseTimeout()))
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    @Override
    public HttpResult send(SessionRequest request, ApiKey key) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(key, "key");
        HttpPost post = new HttpPost(endpoint);
        post.setHeader(HttpHeaders.AUTHORIZATION, key.basicAuthorization());
        post.setHeader(MERCHANT_ID_HEADER, request.merchantId());
        post.setHeader(ROUTING_ID_HEADER, request.routingId());
        post.setHeader(HttpHeaders.ACCEPT, "application/json");
        post.setEntity(new ByteArrayEntity(request.bodyBytes(), JSON));
        try {
            return http.execute(post, this::classify);
        } catch (IOException e) {
            return IoFailures.classify(e, key);
        }
    }

    public SessionApiSettings settings() {
        return settings;
    }

    /** Closes the pool; calls in flight are aborted. */
    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
        connections.close(CloseMode.GRACEFUL);
    }

    private HttpResult classify(ClassicHttpResponse response) throws IOException {
        Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
        BoundedBody body = BoundedBody.read(response.getEntity(), settings.maxResponseBytes());
        return classifier.classify(response.getCode(), body.bytes(), body.truncated(),
                retryAfter == null ? null : retryAfter.getValue());
    }

    private static SSLContext sslContext(SessionApiSettings.Truststore truststore) {
        if (truststore == null) {
            return SSLContexts.createSystemDefault();
        }
        try (InputStream in = java.nio.file.Files.newInputStream(truststore.path())) {
            KeyStore keyStore = KeyStore.getInstance(truststore.type());
            keyStore.load(in, truststore.password() == null ? null : truststore.password().toCharArray());
            return SSLContexts.custom().loadTrustMaterial(keyStore, null).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("truststore could not be loaded from '" + truststore.path()
                    + "' as " + truststore.type() + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static Timeout timeout(Duration duration) {
        return Timeout.ofMilliseconds(duration.toMillis());
    }

    /** A response body read up to a limit. */
    private record BoundedBody(byte[] bytes, boolean truncated) {

        static BoundedBody read(HttpEntity entity, int maxBytes) throws IOException {
            if (entity == null) {
                return new BoundedBody(new byte[0], false);
            }
            try (InputStream in = entity.getContent()) {
                // readNBytes(n) starts with a buffer of min(n, 16 KiB) and copies at the end: read the announced
                // length when there is one (the connection never yields more), so a typical 1-2 KB answer costs one
                // right-sized array instead of 16 KiB plus a copy per call.
                long announced = entity.getContentLength();
                byte[] bytes = in.readNBytes(announced >= 0 && announced < maxBytes ? (int) announced : maxBytes);
                boolean truncated = bytes.length == maxBytes && in.read() != -1;
                return new BoundedBody(bytes, truncated);
            }
        }
    }
}
