package io.billingworker.sessionapi;

import static io.billingworker.sessionapi.Fixtures.API_KEY;
import static io.billingworker.sessionapi.Fixtures.API_KEY_TEXT;
import static io.billingworker.sessionapi.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.billingworker.sessionapi.ScriptedHttpServer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against a self-signed server whose certificates {@code keytool} generates at test time: verification
 * and host name verification must both hold.
 */
class SessionApiClientTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path tempDir;

    private static Path goodServerKeys;
    private static Path goodTruststore;
    private static Path wrongHostServerKeys;
    private static Path wrongHostTruststore;

    @BeforeAll
    static void generateCertificates() throws Exception {
        goodServerKeys = generateKeyPair("good", "SAN=ip:127.0.0.1,dns:localhost");
        goodTruststore = truststoreFor(goodServerKeys, "good");
        wrongHostServerKeys = generateKeyPair("wrong", "SAN=dns:wrong.example");
        wrongHostTruststore = truststoreFor(wrongHostServerKeys, "wrong");
    }

    @Test
    void shouldFailVerificationOfSelfSignedServerWithoutTruststore() throws Exception {
        Exchange exchange = call(goodServerKeys, SessionApiSettings.builder());

        assertThat(exchange.result()).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
            assertThat(retryable.kind()).isEqualTo(FailureKind.CONNECTION);
            assertThat(retryable.exceptionClass()).isEqualTo("javax.net.ssl.SSLHandshakeException");
            assertThat(retryable.message()).doesNotContain(API_KEY_TEXT);
        });
        assertThat(exchange.received()).isEmpty();
    }

    @Test
    void shouldTrustServerFromConfiguredTruststore() throws Exception {
        Exchange exchange = call(goodServerKeys, SessionApiSettings.builder()
                .truststore(SessionApiSettings.Truststore.pkcs12(goodTruststore, PASSWORD)));

        assertThat(exchange.result()).isInstanceOf(HttpResult.Success.class);
        assertThat(exchange.received()).hasSize(1);
    }

    @Test
    void shouldFailHostNameVerificationEvenWhenCertificateIsTrusted() throws Exception {
        Exchange exchange = call(wrongHostServerKeys, SessionApiSettings.builder()
                .truststore(SessionApiSettings.Truststore.pkcs12(wrongHostTruststore, PASSWORD)));

        assertThat(exchange.result()).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
            assertThat(retryable.kind()).isEqualTo(FailureKind.CONNECTION);
            assertThat(retryable.exceptionClass()).isEqualTo("javax.net.ssl.SSLHandshakeException");
            assertThat(retryable.message()).isEqualTo("POST /session failed: SSLHandshakeException:"
                    + " (certificate_unknown) No subject alternative names matching IP address 127.0.0.1 found");
        });
        assertThat(exchange.received()).isEmpty();
    }

    @Test
    void shouldRefuseTruststoreWithWrongPassword() {
        SessionApiSettings settings = SessionApiSettings.builder()
                .baseUrl("https://127.0.0.1:9")
                .truststore(SessionApiSettings.Truststore.pkcs12(goodTruststore, "wrong-password"))
                .build();

        assertThatThrownBy(() -> new SessionApiClient(settings).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truststore could not be loaded from '" + goodTruststore + "' as PKCS12: IOException")
                .message().doesNotContain("wrong-password");
    }

    /**
     * Starts an HTTPS server with {@code serverKeys} that answers Juspay's sample response, sends one request to it with a client
     * built from {@code settings}, and returns what the client got and what the server received.
     */
    private static Exchange call(Path serverKeys, SessionApiSettings.Builder settings) throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.https(serverTls(serverKeys))) {
            server.reply(Reply.json(200, ResponseParserTest.SEED_001_RESPONSE));

            HttpResult result;
            try (SessionApiClient client = new SessionApiClient(settings.baseUrl(server.baseUrl()).build())) {
                result = client.send(request("mandate_juspay", "ord_1"), API_KEY);
            }
            return new Exchange(result, server.received());
        }
    }

    private static Path generateKeyPair(String name, String subjectAltNames) throws Exception {
        Path keys = tempDir.resolve(name + "-server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name + " test server", "-ext", subjectAltNames, "-validity", "2",
                "-keystore", keys.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool failed: " + output);
        }
        return keys;
    }

    private static Path truststoreFor(Path serverKeys, String name) throws Exception {
        Certificate certificate = load(serverKeys).getCertificate("server");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        Path file = tempDir.resolve(name + "-trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private static SSLContext serverTls(Path serverKeys) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(load(serverKeys), PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        return tls;
    }

    private static KeyStore load(Path file) throws IOException, java.security.GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private record Exchange(HttpResult result, List<ScriptedHttpServer.Received> received) {
    }
}
