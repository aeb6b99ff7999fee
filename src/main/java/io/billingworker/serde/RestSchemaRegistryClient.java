package io.billingworker.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent schema registry REST API, as served by Confluent's registry,
 * Apicurio ({@code /apis/ccompat/v7}), Karapace and Redpanda. Base URLs may carry a path; with several, a request
 * that cannot connect or times out moves on to the next one (as Confluent's client does).
 *
 * <p>Uses the JDK's {@link HttpClient}: registry traffic is a handful of requests per new schema (everything that
 * cannot change is cached both ways), so a connection pool to size and tune would add nothing, and the JDK client
 * gives connect and per-request timeouts with no dependency, keeping the serde independent of the Juspay client's
 * HttpClient 5 pool. It speaks HTTP/1.1, which every registry serves; TLS verification uses the JDK defaults.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** The Confluent API's content type, sent on POST bodies. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final int MAX_REGISTRY_MESSAGE = 300;
    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

    private final List<String> baseUrls;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger preferredUrl = new AtomicInteger();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    /**
     * Requests in progress, by what they ask: when many records need the same uncached answer at once (a worker
     * starting on a backlog), one request goes to the registry and the others wait for its answer.
     */
    private final SingleFlight<List<Object>, Object> inProgress = new SingleFlight<>();

    /**
     * @param baseUrls registry base URLs, http or https, without user info, e.g. {@code http://127.0.0.1:8080/apis/ccompat/v7}
     * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or empty
     * @param connectTimeout timeout for opening a connection
     * @param requestTimeout timeout for a whole request, from sending to the full response
     */
    public RestSchemaRegistryClient(List<URI> baseUrls, Optional<String> basicAuthUserInfo,
                                    Duration connectTimeout, Duration requestTimeout) {
        Objects.requireNonNull(baseUrls, "baseUrls");
        Objects.requireNonNull(basicAuthUserInfo, "basicAuthUserInfo");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is required");
        }
        this.baseUrls = baseUrls.stream().map(RestSchemaRegistryClient::checkedBaseUrl).toList();
        this.authorization = basicAuthUserInfo
                .map(u -> "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)))
                .orElse(null);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public int register(String subject, Schema schema) {
        return idFor(subject, schema, "/versions", "registering a schema under subject '" + subject + "'");
    }

    @Override
    public int getId(String subject, Schema schema) {
        return idFor(subject, schema, "", "looking up a schema under subject '" + subject + "'");
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        return (Schema) inProgress.run(List.of("id", id), () -> {
            String what = "fetching schema id " + id;
            JsonNode answer = send("/schemas/ids/" + id, null, what, "schema id " + id + " not found in registry");
            Schema schema = parseSchema(answer, "schema id " + id);
            Schema raced = schemasById.putIfAbsent(id, schema);
            return raced != null ? raced : schema;
        });
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        Objects.requireNonNull(subject, "subject");
        String what = "fetching the latest version of subject '" + subject + "'";
        JsonNode answer = send("/subjects/" + pathSegment(subject) + "/versions/latest", null, what,
                "subject '" + subject + "' not found in registry");
        int id = requiredInt(answer, "id", what);
        int version = requiredInt(answer, "version", what);
        Schema schema = schemasById.computeIfAbsent(id, i -> parseSchema(answer, "schema id " + i));
        return new RegisteredSchema(subject, version, id, schema);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + baseUrls;
    }

    private int idFor(String subject, Schema schema, String pathSuffix, String what) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        return (Integer) inProgress.run(List.of(pathSuffix, subject, schema), () -> {
            JsonNode answer = send("/subjects/" + pathSegment(subject) + pathSuffix, requestBody(schema), what,
                    "schema not registered under subject '" + subject + "'");
            int id = requiredInt(answer, "id", what);
            ids.put(schema, id);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    private String requestBody(Schema schema) {
        try {
            // Schema.toString() is the compact JSON Confluent's serializer registers, so both get the same ids.
            return json.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a registry request body", e);
        }
    }

    private JsonNode send(String path, String body, String what, String notFoundMessage) {
        int start = preferredUrl.get();
        List<String> failures = new ArrayList<>();
        IOException lastFailure = null;
        for (int i = 0; i < baseUrls.size(); i++) {
            int index = (start + i) % baseUrls.size();
            String baseUrl = baseUrls.get(index);
            HttpResponse<String> response;
            try {
                response = http.send(request(baseUrl + path, body), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.add(baseUrl + " " + failureText(e));
                lastFailure = e;
                preferredUrl.compareAndSet(index, (index + 1) % baseUrls.size());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException("interrupted while " + what, e);
            }
            return answer(response, baseUrl, what, notFoundMessage);
        }
        String message = "schema registry unreachable while " + what + ": " + String.join("; ", failures);
        LOG.warn("{}", message);
        throw new SchemaRegistryUnavailableException(message, lastFailure);
    }

    private HttpRequest request(String url, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (body == null) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private String failureText(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "timed out (" + e.getClass().getSimpleName() + ", request timeout "
                    + requestTimeout.toMillis() + " ms)";
        }
        return "connection failed (" + e.getClass().getSimpleName() + ")";
    }

    private JsonNode answer(HttpResponse<String> response, String baseUrl, String what, String notFoundMessage) {
        int status = response.statusCode();
        JsonNode body = parseJson(response.body());
        if (status >= 200 && status < 300) {
            if (body == null || !body.isObject()) {
                throw new SchemaRegistryException("schema registry at " + baseUrl + " answered HTTP " + status
                        + " with a body that is not a JSON object while " + what, status, -1);
            }
            return body;
        }
        int errorCode = body != null && body.path("error_code").canConvertToInt() ? body.path("error_code").asInt() : -1;
        String registryMessage = Messages.bounded(body != null ? body.path("message").asText("") : "", MAX_REGISTRY_MESSAGE);
        String detail = " (HTTP " + status + (errorCode >= 0 ? ", error " + errorCode : "") + ")"
                + (registryMessage.isEmpty() ? "" : ": " + registryMessage);
        if (status == 401 || status == 403) {
            throw new SchemaRegistryUnavailableException("schema registry at " + baseUrl + " refused access while " + what
                    + " (HTTP " + status + "); check " + ConfluentAvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE
                    + " and " + ConfluentAvroSerdeConfig.BASIC_AUTH_USER_INFO);
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new SchemaRegistryUnavailableException("schema registry at " + baseUrl + " failed while " + what + detail);
        }
        if (status == 404) {
            throw new SchemaNotFoundException(notFoundMessage + detail, status, errorCode);
        }
        if (status == 409) {
            throw new IncompatibleSchemaException("schema registry refused " + what
                    + ": incompatible with an earlier version" + detail, status, errorCode);
        }
        if (status == 422 && (errorCode == 42201 || errorCode == -1)) {
            throw new InvalidSchemaException("schema registry refused " + what + ": invalid schema" + detail,
                    status, errorCode);
        }
        throw new SchemaRegistryException("schema registry at " + baseUrl + " refused " + what + detail, status, errorCode);
    }

    private JsonNode parseJson(String text) {
        try {
            return text == null || text.isBlank() ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Schema parseSchema(JsonNode answer, String which) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new InvalidSchemaException(which + " is a " + Messages.bounded(type, 20) + " schema, not AVRO", -1, -1);
        }
        if (answer.path("references").size() > 0) {
            throw new InvalidSchemaException(which + " uses schema references, which this client does not support",
                    -1, -1);
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new InvalidSchemaException("the registry's answer for " + which + " has no schema text", -1, -1);
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new InvalidSchemaException(which + " in registry is not a valid Avro schema: "
                    + Messages.bounded(e.getMessage(), MAX_REGISTRY_MESSAGE), e);
        }
    }

    private static int requiredInt(JsonNode answer, String field, String what) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException("schema registry answer has no integer '" + field + "' while " + what,
                    -1, -1);
        }
        return value.asInt();
    }

    private static String pathSegment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String checkedBaseUrl(URI url) {
        Objects.requireNonNull(url, "schema registry URL");
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("schema registry URL must be http(s)://host[:port][/path]");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("schema registry URL must not carry user info; pass it as basic auth");
        }
        String text = url.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
