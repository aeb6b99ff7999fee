package io.billingworker.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting on loopback, HTTPS, and a close that stops everything. */
class SessionSimulatorLifecycleTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void shouldListenOnLoopbackEphemeralPort() {
        try (SessionSimulator simulator = started()) {

            String baseUrl = simulator.baseUrl();

            assertThat(simulator.port()).isPositive();
            assertThat(baseUrl).isEqualTo("http://127.0.0.1:" + simulator.port());
            assertThat(simulator.sessionUri()).hasToString(baseUrl + "/session");
        }
    }

    @Test
    void shouldRefuseConnectionsAfterClose() {
        SessionSimulator simulator = started();
        int port = simulator.port();

        simulator.close();

        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldReleaseWaitingRequestsOnClose() {
        SessionSimulator simulator = SessionSimulator.builder()
                .merchant(SimulatorClient.MERCHANT, SimulatorClient.API_KEY)
                .latency(LatencyModel.fixed(Duration.ofMinutes(5)))
                .start();
        SimulatorClient client = new SimulatorClient(simulator);
        CompletableFuture<IOException> waiting = CompletableFuture.supplyAsync(
                () -> client.sendExpectingIoError(SeedRequests.session("waiting-1"), Duration.ofMinutes(1)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> simulator.inFlight() == 1);

        simulator.close();

        assertThat(waiting.orTimeout(5, TimeUnit.SECONDS).join()).isNotNull();
        assertThat(simulator.inFlight()).isZero();
        client.close();
    }

    @Test
    void shouldCloseTwiceWithoutError() {
        SessionSimulator simulator = started();
        simulator.close();

        simulator.close();

        assertThat(simulator.inFlight()).isZero();
    }

    @Test
    void shouldRequireAMerchant() {
        assertThatThrownBy(() -> SessionSimulator.builder().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("at least one merchant and API key must be configured");
    }

    @Test
    void shouldReportPortInUse() {
        try (SessionSimulator first = started()) {

            assertThatThrownBy(() -> SessionSimulator.builder().merchant("m", "k").port(first.port()).start())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("cannot start the session simulator on 127.0.0.1:" + first.port());
        }
    }

    @Test
    void shouldServeHttpsWithTheGivenContext() throws Exception {
        KeyStore keyStore = selfSignedKeyStore();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), null, null);
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("simulator", keyStore.getCertificate("simulator"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, trust.getTrustManagers(), null);

        try (SessionSimulator simulator = SessionSimulator.builder()
                .merchant(SimulatorClient.MERCHANT, SimulatorClient.API_KEY)
                .sslContext(serverContext)
                .start();
             SimulatorClient trusting = new SimulatorClient(simulator,
                     HttpClient.newBuilder().sslContext(clientContext).build());
             SimulatorClient defaultTrust = new SimulatorClient(simulator)) {

            HttpResponse<String> response = trusting.post(SeedRequests.session("tls-1"));

            assertThat(simulator.baseUrl()).startsWith("https://127.0.0.1:");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> defaultTrust.post(SeedRequests.session("tls-2")))
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    private static SessionSimulator started() {
        return SessionSimulator.builder().merchant(SimulatorClient.MERCHANT, SimulatorClient.API_KEY).start();
    }

    /** A key pair and certificate for 127.0.0.1, made by the running JDK's keytool. */
    private KeyStore selfSignedKeyStore() throws Exception {
        Path file = dir.resolve("simulator.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "simulator",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool: " + output).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, PASSWORD);
        }
        return keyStore;
    }
}
