package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.billingworker.app.Worker;
import io.billingworker.config.ConfigException;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.testsupport.WorkerHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS through the worker's own configuration: the HTTPS simulator presents a keytool-made self-signed certificate.
 * Without {@code juspay.truststore.path} the worker refuses the server (the signup is dead-lettered and the API never
 * sees it); with a truststore holding the certificate the session is created; a trusted certificate issued for
 * another host name is refused too; and a plain {@code http://} base URL is refused at start-up unless
 * {@code juspay.allow-insecure-http} is set.
 */
class TlsEndToEndIT {

    private static final String PASSWORD_ENV = "TLS_IT_TRUSTSTORE_PASSWORD";

    @TempDir
    Path directory;

    @Test
    void shouldRefuseASelfSignedServerWithoutAConfiguredTruststore() {
        SelfSignedCertificates certificates = SelfSignedCertificates.generate(directory, "ip", "ip:127.0.0.1");

        OutcomeLedger.Seen outcome = runOneSignup(certificates, harness -> { });

        assertThat(outcome.kind()).isEqualTo(OutcomeLedger.Kind.DEAD_LETTER);
        assertThat(outcome.header(DeadLetterHeaders.REASON)).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(outcome.header(DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo("javax.net.ssl.SSLHandshakeException");
        assertThat(outcome.header(DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("PKIX path building failed");
    }

    @Test
    void shouldCreateTheSessionWhenTheTruststoreHoldsTheServerCertificate() {
        SelfSignedCertificates certificates = SelfSignedCertificates.generate(directory, "ip", "ip:127.0.0.1");

        OutcomeLedger.Seen outcome = runOneSignup(certificates, harness -> harness
                .set("juspay.truststore.path", certificates.trustStore().toString())
                .set("juspay.truststore.password-env", PASSWORD_ENV));

        assertThat(outcome.kind()).isEqualTo(OutcomeLedger.Kind.CREATED);
        assertThat(outcome.created().getAttempts()).isEqualTo(1);
    }

    @Test
    void shouldRefuseATrustedCertificateIssuedForAnotherHostName() {
        SelfSignedCertificates certificates = SelfSignedCertificates.generate(directory, "dns", "dns:billing.example.test");

        OutcomeLedger.Seen outcome = runOneSignup(certificates, harness -> harness
                .set("juspay.truststore.path", certificates.trustStore().toString())
                .set("juspay.truststore.password-env", PASSWORD_ENV));

        assertThat(outcome.kind()).isEqualTo(OutcomeLedger.Kind.DEAD_LETTER);
        // Host name verification runs inside the handshake (HostnameVerificationPolicy.BOTH), so JSSE refuses it.
        assertThat(outcome.header(DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo("javax.net.ssl.SSLHandshakeException");
        assertThat(outcome.header(DeadLetterHeaders.EXCEPTION_MESSAGE))
                .contains("No subject alternative names matching IP address 127.0.0.1 found");
    }

    @Test
    void shouldRefusePlainHttpUnlessExplicitlyAllowed() {
        try (WorkerHarness harness = WorkerHarness.start(1)) {
            harness.set("juspay.allow-insecure-http", "false");
            String url = harness.simulator().baseUrl();

            assertThatThrownBy(harness::startWorker)
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("invalid configuration:\n  juspay.base-url: plain http is refused; use https, or set "
                            + "juspay.allow-insecure-http=true for the local simulator (was '" + url + "')");
        }
    }

    /** Runs one valid signup through a worker configured by {@code configure} against the HTTPS simulator. */
    private OutcomeLedger.Seen runOneSignup(SelfSignedCertificates certificates, Consumer<WorkerHarness> configure) {
        try (WorkerHarness harness = WorkerHarness.start(1, simulator -> simulator.sslContext(certificates.serverContext()))) {
            harness.set("juspay.allow-insecure-http", "false");
            configure.accept(harness);
            Map<String, String> environment = new HashMap<>(harness.workerEnvironment());
            environment.put(PASSWORD_ENV, SelfSignedCertificates.TRUST_PASSWORD);
            ConfigSource source = new ConfigSource(Map.of(), environment, harness.config());
            assertThat(harness.simulator().baseUrl()).startsWith("https://127.0.0.1:");

            try (Worker worker = new Worker(WorkerConfig.from(source), source, new SimpleMeterRegistry(), Clock.systemUTC());
                    OutcomeLedger ledger = new OutcomeLedger(harness.kafka().bootstrapServers(), harness.topics(),
                            harness.registryUrl())) {
                worker.start();
                harness.publish(CorpusSignups.valid("tls-1", "tls1"));
                List<OutcomeLedger.Seen> outcomes = ledger.await(1, Duration.ofSeconds(60), Duration.ofMillis(500)).all();

                assertThat(outcomes).hasSize(1);
                boolean created = outcomes.getFirst().kind() == OutcomeLedger.Kind.CREATED;
                assertThat(harness.simulator().requestsReceived()).isEqualTo(created ? 1 : 0);
                return outcomes.getFirst();
            }
        }
    }
}
