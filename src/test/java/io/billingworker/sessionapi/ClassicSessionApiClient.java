package io.billingworker.sessionapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.billingworker.mapping.SessionRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
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
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;

/**
 * The {@code POST /session} client as it was before the async exchange, kept for {@link ClientModelBenchmark}: Apache HttpClient 5 (classic, pooled), meant to be called from
 * many virtual threads at once. Each {@link #send} is exactly one HTTP attempt: HttpClient's own retries and
 * redirects are off; retrying is the {@link SessionGateway}'s job. A body is read up to
 * {@link SessionApiSettings#maxResponseBytes()}; a longer one, or one broken off, drops the connection rather than
 * reading on.
 *
 * <p>The pool holds {@link SessionApiSettings#maxConnections()} connections in total and per route (the
 * library defaults would cap a concurrent worker at 5). TLS verification and host name verification are
 * always on. The API key only ever appears in the {@code Authorization} header; failure messages are
 * scrubbed of it.
 */
public final class ClassicSessionApiClient implements SessionApi, AutoCloseable {

    static final String MERCHANT_ID_HEADER = "x-merchantid";
    static final String ROUTING_ID_HEADER = "x-routing-id";
    private static final ContentType JSON = ContentType.create("application/json");
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(2);

    private final SessionApiSettings settings;
    private final URI endpoint;
    private final HttpHost target;
    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient http;
    private final ResponseClassifier classifier;

    public ClassicSessionApiClient(SessionApiSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock resolves {@code Retry-After} dates */
    public ClassicSessionApiClient(SessionApiSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.endpoint = settings.sessionEndpoint();
        this.target = HttpHost.create(endpoint);
        // Jackson recycles its parse buffers per thread by default, which a virtual thread per call defeats.
        ObjectMapper json = new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build());
        this.classifier = new ResponseClassifier(new ResponseParser(json), clock);
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(SessionApiClient.sslContext(settings.truststore()),
                        HostnameVerificationPolicy.BOTH, HttpsSupport.getDefaultHostnameVerifier()))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(SessionApiClient.timeout(settings.connectTimeout()))
                        .setSocketTimeout(SessionApiClient.timeout(settings.responseTimeout()))
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(SessionApiClient.timeout(settings.connectionRequestTimeout()))
                        .setResponseTimeout(SessionApiClient.timeout(settings.responseTimeout()))
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
        ClassicHttpResponse response;
        try {
            response = http.executeOpen(target, post, null);
        } catch (IOException e) {
            return IoFailures.classify(e, key);
        }
        boolean whole = false;
        try {
            ResponseBody body = readBody(response.getEntity(), settings.maxResponseBytes());
            whole = body.end() == ResponseBody.End.COMPLETE;
            return classifier.classify(response.getCode(), body, headerValue(response, HttpHeaders.LOCATION),
                    headerValue(response, HttpHeaders.RETRY_AFTER));
        } catch (IOException e) {
            return IoFailures.classify(e, key);
        } finally {
            if (!whole) {
                // A body longer than the limit or broken off: drop the connection instead of reading the rest.
                post.cancel();
            }
            closeQuietly(response);
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

    private static String headerValue(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // The connection was dropped on purpose, or broke: the answer is already classified.
        }
    }

    /**
     * Reads the body up to {@code maxBytes}. A body longer than that stops there ({@code TOO_LONG}); a connection
     * that ends or breaks before the body does gives what arrived ({@code CUT_SHORT}). A read timeout is thrown. The
     * stream is closed (and the connection released for reuse) only when the body was read to its end: closing it
     * earlier would read the rest, however long; the caller drops the connection instead.
     */
    static ResponseBody readBody(HttpEntity entity, int maxBytes) throws IOException {
        if (entity == null) {
            return ResponseBody.complete(new byte[0], null);
        }
        String contentType = entity.getContentType();
        long announced = entity.getContentLength();
        // Sized to the announced length when there is one, so a typical 1-2 KB answer costs one right-sized array.
        int capacity = announced >= 0 && announced < maxBytes ? (int) announced : Math.min(maxBytes, 16 * 1024);
        byte[] buffer = new byte[Math.max(capacity, 1)];
        int length = 0;
        InputStream in = entity.getContent();
        try {
            while (true) {
                if (length == buffer.length) {
                    int next = in.read();
                    if (next < 0) {
                        closeAtEnd(in);
                        return new ResponseBody(buffer, contentType, ResponseBody.End.COMPLETE, announced);
                    }
                    if (length >= maxBytes) {
                        return new ResponseBody(buffer, contentType, ResponseBody.End.TOO_LONG, announced);
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min((long) maxBytes, 2L * buffer.length));
                    buffer[length++] = (byte) next;
                    continue;
                }
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    closeAtEnd(in);
                    return new ResponseBody(Arrays.copyOf(buffer, length), contentType, ResponseBody.End.COMPLETE,
                            announced);
                }
                length += read;
            }
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            return new ResponseBody(Arrays.copyOf(buffer, length), contentType, ResponseBody.End.CUT_SHORT, announced);
        }
    }

    /** Closes a body stream read to its end, which hands the connection back to the pool. */
    private static void closeAtEnd(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // The body is complete; a connection that fails to close is not reused.
        }
    }
}
