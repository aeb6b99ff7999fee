package io.billingworker.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/** Builds the {@link SchemaRegistryClient} a serde config asks for: in-memory for {@code mock://}, else REST. */
public final class SchemaRegistryClients {

    private static final String MOCK_PREFIX = "mock://";

    private SchemaRegistryClients() {
    }

    /**
     * The client for {@code configs} (Confluent key names, see {@link ConfluentAvroSerdeConfig}).
     *
     * @throws ConfigException naming the key when the URLs or credentials are missing or malformed
     */
    public static SchemaRegistryClient forConfig(Map<String, ?> configs) {
        return forConfig(new ConfluentAvroSerdeConfig(configs));
    }

    static SchemaRegistryClient forConfig(ConfluentAvroSerdeConfig config) {
        List<String> urls = config.schemaRegistryUrls();
        if (urls.isEmpty()) {
            throw new ConfigException("Missing required configuration \"" + ConfluentAvroSerdeConfig.SCHEMA_REGISTRY_URL
                    + "\" which has no default value.");
        }
        if (urls.stream().anyMatch(u -> u.startsWith(MOCK_PREFIX))) {
            return MockSchemaRegistry.forScope(mockScope(urls));
        }
        List<URI> baseUrls = new ArrayList<>();
        Optional<String> urlUserInfo = Optional.empty();
        for (String text : urls) {
            URI url = parseUrl(text);
            if (url.getRawUserInfo() != null) {
                if (urlUserInfo.isEmpty()) {
                    urlUserInfo = Optional.of(URLDecoder.decode(url.getRawUserInfo(), StandardCharsets.UTF_8));
                }
                url = withoutUserInfo(url);
            }
            baseUrls.add(url);
        }
        Optional<String> userInfo = config.credentialsFromUserInfo() ? requiredUserInfo(config) : urlUserInfo;
        return new RestSchemaRegistryClient(baseUrls, userInfo, config.connectTimeout(), config.requestTimeout());
    }

    private static String mockScope(List<String> urls) {
        if (urls.size() > 1) {
            throw new ConfigException(ConfluentAvroSerdeConfig.SCHEMA_REGISTRY_URL, String.join(",", urls),
                    "a mock:// URL cannot be combined with other URLs");
        }
        String scope = urls.getFirst().substring(MOCK_PREFIX.length());
        if (scope.isBlank()) {
            throw new ConfigException(ConfluentAvroSerdeConfig.SCHEMA_REGISTRY_URL, urls.getFirst(),
                    "a mock:// URL needs a scope name, e.g. mock://tests");
        }
        return scope;
    }

    private static URI parseUrl(String text) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(ConfluentAvroSerdeConfig.SCHEMA_REGISTRY_URL, redacted(text), "not a valid URL");
        }
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
            throw new ConfigException(ConfluentAvroSerdeConfig.SCHEMA_REGISTRY_URL, redacted(text),
                    "expected http(s)://host[:port][/path] or mock://<scope>");
        }
        return url;
    }

    private static Optional<String> requiredUserInfo(ConfluentAvroSerdeConfig config) {
        Optional<String> userInfo = config.basicAuthUserInfo();
        if (userInfo.isEmpty() || userInfo.get().indexOf(':') < 1) {
            throw new ConfigException(ConfluentAvroSerdeConfig.BASIC_AUTH_USER_INFO, "[hidden]",
                    "with " + ConfluentAvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE
                            + "=USER_INFO it must be set to user:password");
        }
        return userInfo;
    }

    private static URI withoutUserInfo(URI url) {
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new ConfigException(ConfluentAvroSerdeConfig.SCHEMA_REGISTRY_URL, redacted(url.toString()),
                    "not a valid URL");
        }
    }

    /** The URL with any user info masked, for messages. */
    static String redacted(String url) {
        return url.replaceAll("//[^/@]*@", "//[hidden]@");
    }
}
