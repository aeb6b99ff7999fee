package io.billingworker.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Self-signed server certificates made with the JDK's {@code keytool}, as an operator would: a PKCS12 key store for
 * the HTTPS simulator and a PKCS12 trust store holding only that certificate for the worker.
 */
final class SelfSignedCertificates {

    static final String KEY_PASSWORD = "server-pass";
    static final String TRUST_PASSWORD = "trust-pass";

    private final Path keyStore;
    private final Path trustStore;

    private SelfSignedCertificates(Path keyStore, Path trustStore) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
    }

    /**
     * Generates a key pair whose certificate names {@code subjectAlternativeName} (e.g. {@code ip:127.0.0.1} or
     * {@code dns:billing.example.test}) and a trust store with that certificate, in {@code directory}.
     */
    static SelfSignedCertificates generate(Path directory, String name, String subjectAlternativeName) {
        Path keyStore = directory.resolve(name + "-server.p12");
        Path certificate = directory.resolve(name + ".crt");
        Path trustStore = directory.resolve(name + "-trust.p12");
        keytool("-genkeypair", "-alias", "simulator", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=session-simulator", "-ext", "san=" + subjectAlternativeName,
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", KEY_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "simulator", "-keystore", keyStore.toString(),
                "-storepass", KEY_PASSWORD, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "simulator", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", TRUST_PASSWORD);
        return new SelfSignedCertificates(keyStore, trustStore);
    }

    Path trustStore() {
        return trustStore;
    }

    /** The server side: an SSL context presenting the self-signed certificate. */
    SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, KEY_PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, KEY_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + keyStore, e);
        }
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
