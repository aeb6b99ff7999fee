package io.billingworker.sessionapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.billingworker.mapping.SessionRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Blocking {@code POST /session} client on Apache HttpClient 5's minimal async (NIO) client, meant to be called from
 * many virtual threads at once: one or two I/O reactor threads do all socket work, and each caller parks on its
 * exchange's future (cheap for a virtual thread) instead of blocking in socket reads. Each {@link #send} is exactly
 * one HTTP attempt: the minimal client has no retries, redirects, cookies, authentication or content decoding;
 * retrying is the {@link SessionGateway}'s job.
 * A body is read up to {@link SessionApiSettings#maxResponseBytes()}; a longer one, or one broken off, drops the
 * connection rather than reading on ({@link BoundedResponseConsumer}).
 *
 * <p>The pool holds {@link SessionApiSettings#maxConnections()} HTTP/1.1 connections in total and per route (the
 * library defaults would cap a concurrent worker at 5). TLS verification and host name verification are always
 * on. The API key only ever appears in the {@code Authorization} header; failure messages are scrubbed of it.
 *
 * <p>An interrupt while waiting cancels the exchange (its connection is dropped, not reused); the result is then a
 * retryable failure and the interrupt flag stays set. {@link #close()} aborts calls in flight.
 */
public final class SessionApiClient implements SessionApi, AutoCloseable {

    static final String MERCHANT_ID_HEADER = "x-merchantid";
    static final String ROUTING_ID_HEADER = "x-routing-id";
    static final String USER_AGENT = "billing-session-worker";
    private static final Header ACCEPT_JSON = new BasicHeader(HttpHeaders.ACCEPT, "application/json");
    private static final Header USER_AGENT_HEADER = new BasicHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(2);
    /** Socket work needs little CPU per call: two reactor threads at most, one on a single core. */
    private static final int IO_THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    private final SessionApiSettings settings;
    private final HttpHost target;
    private final String path;
    private final PoolingAsyncClientConnectionManager connections;
    private final MinimalHttpAsyncClient http;
    private final RequestConfig requestConfig;
    private final ResponseClassifier classifier;
    private volatile boolean closed;

    public SessionApiClient(SessionApiSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock resolves {@code Retry-After} dates */
    public SessionApiClient(SessionApiSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        URI endpoint = settings.sessionEndpoint();
        this.target = HttpHost.create(endpoint);
        this.path = endpoint.getRawPath();
        // Jackson recycles its parse buffers per thread by default, which a virtual thread per call defeats.
        ObjectMapper json = new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build());
        this.classifier = new ResponseClassifier(new ResponseParser(json), clock);
        this.connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .setTlsStrategy(new DefaultClientTlsStrategy(sslContext(settings.truststore()),
                        HostnameVerificationPolicy.BOTH, HttpsSupport.getDefaultHostnameVerifier()))
                // HTTP/1.1 only, as before: one exchange per pooled connection, no HTTP/2 multiplexing.
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout(settings.connectTimeout()))
                        .setSocketTimeout(timeout(settings.responseTimeout()))
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .build();
        this.requestConfig = RequestConfig.custom()
                .setConnectionRequestTimeout(timeout(settings.connectionRequestTimeout()))
                .setResponseTimeout(timeout(settings.responseTimeout()))
                .setRedirectsEnabled(false)
                .build();
        // The minimal client: no redirects, retries, cookies, authentication or content decoding, each of which
        // the full client's exec chain checks on every request; this client wants none of them.
        this.http = HttpAsyncClients.createMinimal(HttpVersionPolicy.FORCE_HTTP_1, H2Config.DEFAULT,
                Http1Config.DEFAULT, IOReactorConfig.custom().setIoThreadCount(IO_THREADS).build(), connections);
        http.start();
    }

    @Override
    public HttpResult send(SessionRequest request, ApiKey key) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(key, "key");
        if (closed) {
            throw new IllegalStateException("Connection pool shut down");
        }
        if (Thread.currentThread().isInterrupted()) {
            // Nothing sent: the caller is being stopped.
            return IoFailures.classify(interrupted(new InterruptedException()), key);
        }
        BasicHttpRequest post = new BasicHttpRequest(Method.POST, target, path);
        post.addHeader(HttpHeaders.AUTHORIZATION, key.basicAuthorization());
        post.addHeader(MERCHANT_ID_HEADER, request.merchantId());
        post.addHeader(ROUTING_ID_HEADER, request.routingId());
        post.addHeader(ACCEPT_JSON);
        post.addHeader(USER_AGENT_HEADER);
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig);
        Lease lease = new Lease();
        http.lease(target, context, lease);
        AsyncClientEndpoint endpoint;
        try {
            // The pool expires a waiting lease only when a connection comes back; this wait is bounded regardless.
            endpoint = lease.endpoint.get(settings.connectionRequestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            lease.abandon();
            Thread.currentThread().interrupt();
            return IoFailures.classify(interrupted(e), key);
        } catch (TimeoutException e) {
            lease.abandon();
            return IoFailures.classify(new ConnectionRequestTimeoutException("Timed out after "
                    + settings.connectionRequestTimeout().toMillis() + " ms waiting for a pooled connection"), key);
        } catch (CancellationException e) {
            // Refused by close().
            return IoFailures.classify(ioFailure(e, null), key);
        } catch (ExecutionException e) {
            return IoFailures.classify(ioFailure(e.getCause(), null), key);
        }
        BoundedResponseConsumer consumer = new BoundedResponseConsumer(settings.maxResponseBytes());
        BoundedResponseConsumer.Answer answer;
        boolean reusable = false;
        try {
            Future<BoundedResponseConsumer.Answer> exchange = endpoint.execute(
                    new BasicRequestProducer(post, new JsonBodyProducer(request.bodyBytes())), consumer, context, null);
            answer = exchange.get();
            // A body cut at the limit completes the answer while the rest is still arriving: that connection goes.
            reusable = answer.body().end() == ResponseBody.End.COMPLETE;
        } catch (InterruptedException e) {
            // The connection is dropped (finally), which ends the exchange; the caller sees the interrupt flag.
            Thread.currentThread().interrupt();
            return IoFailures.classify(interrupted(e), key);
        } catch (CancellationException e) {
            // Aborted by close().
            return IoFailures.classify(ioFailure(e, consumer), key);
        } catch (ExecutionException e) {
            answer = consumer.brokenOff(e.getCause());
            if (answer == null) {
                return IoFailures.classify(ioFailure(e.getCause(), consumer), key);
            }
        } finally {
            if (reusable) {
                endpoint.releaseAndReuse();
            } else {
                endpoint.releaseAndDiscard();
            }
        }
        return classifier.classify(answer.status(), answer.body(), answer.location(), answer.retryAfter());
    }

    public SessionApiSettings settings() {
        return settings;
    }

    /** Connections leased from the pool right now (an exchange in progress holds one). */
    int leasedConnections() {
        return connections.getTotalStats().getLeased();
    }

    /** Closes the client and its pool; calls in flight are aborted. */
    @Override
    public void close() {
        closed = true;
        // The pool first: its connections, in use or not, close now, which aborts the exchanges on them; then the
        // reactor has nothing left to wait for.
        connections.close(CloseMode.GRACEFUL);
        http.close(CloseMode.GRACEFUL);
    }

    /**
     * Hands a leased connection to the caller waiting for it, or back to the pool when the caller stopped waiting
     * (interrupted) before the lease completed: a lease is never lost, whichever comes first.
     */
    private static final class Lease implements FutureCallback<AsyncClientEndpoint> {

        final CompletableFuture<AsyncClientEndpoint> endpoint = new CompletableFuture<>();

        @Override
        public void completed(AsyncClientEndpoint leased) {
            if (!endpoint.complete(leased)) {
                leased.releaseAndReuse();
            }
        }

        @Override
        public void failed(Exception cause) {
            endpoint.completeExceptionally(cause);
        }

        @Override
        public void cancelled() {
            endpoint.cancel(false);
        }

        /** The caller no longer waits: a connection leased already, or later, goes back to the pool. */
        void abandon() {
            if (!endpoint.cancel(false)) {
                AsyncClientEndpoint leased = endpoint.getNow(null);
                if (leased != null) {
                    leased.releaseAndReuse();
                }
            }
        }
    }

    /**
     * The exception the classic (blocking) client threw for the same failure, so that {@link IoFailures} classifies
     * it the same way: a pool lease timeout is a {@link ConnectionRequestTimeoutException}, a protocol error a
     * {@link ClientProtocolException}, a connection closed before any answer a {@link NoHttpResponseException}.
     */
    static IOException ioFailure(Throwable cause, BoundedResponseConsumer consumer) {
        if (cause instanceof ConnectionClosedException && (consumer == null || !consumer.responseReceived())) {
            NoHttpResponseException noResponse = new NoHttpResponseException("The target server failed to respond");
            noResponse.initCause(cause);
            return noResponse;
        }
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof TimeoutException timeout) {
            ConnectionRequestTimeoutException lease = new ConnectionRequestTimeoutException(timeout.getMessage());
            lease.initCause(timeout);
            return lease;
        }
        if (cause instanceof HttpException protocol) {
            return new ClientProtocolException(protocol.getMessage(), protocol);
        }
        if (cause instanceof CancellationException) {
            return new ConnectionClosedException("Request aborted: client closed");
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    private static InterruptedIOException interrupted(InterruptedException e) {
        InterruptedIOException interrupted = new InterruptedIOException("Request aborted: interrupted");
        interrupted.initCause(e);
        return interrupted;
    }

    /** The TLS context: the JVM's default trust, or the configured truststore's; also used by the benchmark's client. */
    static SSLContext sslContext(SessionApiSettings.Truststore truststore) {
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

    static Timeout timeout(Duration duration) {
        return Timeout.ofMilliseconds(duration.toMillis());
    }
}
