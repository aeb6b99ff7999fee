package io.billingworker.sessionapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionApiSettingsTest {

    @TempDir
    Path tempDir;

    @Test
    void shouldApplyDefaults() {
        SessionApiSettings settings = SessionApiSettings.builder().baseUrl("https://sandbox.juspay.in").build();

        assertThat(settings.sessionEndpoint()).isEqualTo(URI.create("https://sandbox.juspay.in/session"));
        assertThat(settings.allowInsecureHttp()).isFalse();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.connectionRequestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxConnections()).isEqualTo(256);
        assertThat(settings.maxResponseBytes()).isEqualTo(1024 * 1024);
        assertThat(settings.truststore()).isNull();
    }

    @Test
    void shouldDropTrailingSlashesAndKeepPathPrefix() {
        SessionApiSettings settings = SessionApiSettings.builder().baseUrl("https://gw.example.com/juspay//").build();

        URI endpoint = settings.sessionEndpoint();

        assertThat(endpoint).isEqualTo(URI.create("https://gw.example.com/juspay/session"));
    }

    @Test
    void shouldRequireHttpsUnlessInsecureHttpIsAllowed() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder().baseUrl("http://127.0.0.1:8080");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must use https (allowInsecureHttp is for the local simulator only),"
                        + " was 'http://127.0.0.1:8080'");
        assertThat(builder.allowInsecureHttp(true).build().sessionEndpoint())
                .isEqualTo(URI.create("http://127.0.0.1:8080/session"));
    }

    @Test
    void shouldRejectOtherSchemes() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder().baseUrl("ftp://sandbox.juspay.in");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must use https, was 'ftp://sandbox.juspay.in'");
    }

    @Test
    void shouldRejectUserInfoWithoutEchoingIt() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder().baseUrl("https://key:pw@sandbox.juspay.in");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must not contain user info");
    }

    @Test
    void shouldRejectRelativeUrl() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder().baseUrl("sandbox.juspay.in");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must be an absolute URL with a host, was 'sandbox.juspay.in'");
    }

    @Test
    void shouldRejectQuery() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder().baseUrl("https://sandbox.juspay.in?a=b");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must not have a query or fragment, was 'https://sandbox.juspay.in?a=b'");
    }

    @Test
    void shouldRejectMissingBaseUrl() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder();

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl is required");
    }

    @Test
    void shouldRejectUnparseableBaseUrl() {
        assertThatThrownBy(() -> SessionApiSettings.builder().baseUrl("https://sandbox juspay.in"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl is not a valid URL (Illegal character in authority)");
    }

    @Test
    void shouldRejectSubMillisecondTimeout() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder().baseUrl("https://sandbox.juspay.in")
                .responseTimeout(Duration.ZERO);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("responseTimeout must be at least 1 ms, was PT0S");
    }

    @Test
    void shouldRejectMissingConnectTimeout() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder().baseUrl("https://sandbox.juspay.in")
                .connectTimeout(null);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout is required");
    }

    @Test
    void shouldRejectNegativeConnectionRequestTimeout() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder().baseUrl("https://sandbox.juspay.in")
                .connectionRequestTimeout(Duration.ofSeconds(-1));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectionRequestTimeout must be at least 1 ms, was PT-1S");
    }

    @Test
    void shouldRejectZeroMaxConnections() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder().baseUrl("https://sandbox.juspay.in")
                .maxConnections(0);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConnections must be between 1 and 10000, was 0");
    }

    @Test
    void shouldRejectTinyMaxResponseBytes() {
        SessionApiSettings.Builder builder = SessionApiSettings.builder().baseUrl("https://sandbox.juspay.in")
                .maxResponseBytes(10);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxResponseBytes must be at least 1024, was 10");
    }

    @Test
    void shouldRejectMissingTruststoreFile() {
        Path missing = tempDir.resolve("missing.p12");

        assertThatThrownBy(() -> SessionApiSettings.Truststore.pkcs12(missing, "changeit"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truststore.path is not a readable file, was '" + missing + "'");
    }

    @Test
    void shouldRejectBlankTruststoreType() throws Exception {
        Path file = Files.createFile(tempDir.resolve("trust.p12"));

        assertThatThrownBy(() -> new SessionApiSettings.Truststore(file, " ", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truststore.type must not be blank, was ' '");
    }

    @Test
    void shouldMaskTruststorePassword() throws Exception {
        Path file = Files.createFile(tempDir.resolve("trust.p12"));

        String text = SessionApiSettings.Truststore.pkcs12(file, "s3cret-pass").toString();

        assertThat(text).isEqualTo("Truststore[path=" + file + ", type=PKCS12, password=****]");
    }
}
