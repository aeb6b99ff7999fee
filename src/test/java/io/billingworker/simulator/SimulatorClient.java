package io.billingworker.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small {@code /session} caller for the simulator's tests, on {@link HttpClient}. */
final class SimulatorClient implements AutoCloseable {

    static final String MERCHANT = "merchant1";
    static final String API_KEY = "key1-secret";
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI sessionUri;

    SimulatorClient(SessionSimulator simulator) {
        this(simulator, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    SimulatorClient(SessionSimulator simulator, HttpClient http) {
        this.http = http;
        this.sessionUri = simulator.sessionUri();
    }

    static String basic(String apiKey) {
        return "Basic " + Base64.getEncoder().encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    /** The headers a correct worker sends for {@link #MERCHANT}. */
    static Map<String, String> goodHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", basic(API_KEY));
        headers.put("x-merchantid", MERCHANT);
        headers.put("x-routing-id", "cth_rPj21roNSjEbumSy");
        headers.put("Content-Type", "application/json");
        return headers;
    }

    HttpResponse<String> post(JsonNode body) {
        return post(body.toString(), goodHeaders(), null);
    }

    HttpResponse<String> post(JsonNode body, Duration timeout) {
        return post(body.toString(), goodHeaders(), timeout);
    }

    HttpResponse<String> post(String body, Map<String, String> headers, Duration timeout) {
        return send(request(sessionUri, body, headers, timeout));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends and returns the exception the client saw, failing when it got an answer instead. */
    IOException sendExpectingIoError(JsonNode body, Duration timeout) {
        try {
            HttpResponse<String> response = http.send(request(sessionUri, body.toString(), goodHeaders(), timeout),
                    HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("expected an I/O error, got " + response.statusCode() + " " + response.body());
        } catch (IOException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest request(URI uri, String body, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        if (timeout != null) {
            builder.timeout(timeout);
        }
        return builder.build();
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
