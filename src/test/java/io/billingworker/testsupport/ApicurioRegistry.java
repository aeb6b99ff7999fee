package io.billingworker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry (Confluent-compatible API at {@code /apis/ccompat/v7}) running as a separate process on
 * 127.0.0.1 for integration tests, with in-memory storage and BACKWARD compatibility like Confluent's default.
 *
 * <p>The build unpacks the registry into the directory in system property {@code apicurio.dir}. The process runs on
 * the test JVM's own java unless system property {@code apicurio.java} names another java executable.
 *
 * <p>Use {@link #start()} in try-with-resources for a registry of one's own (e.g. to stop it mid-test), or
 * {@link #shared()} for one registry per test JVM, stopped by a shutdown hook; tests sharing it should use subjects
 * (topics) of their own.
 */
public final class ApicurioRegistry implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int LOG_TAIL = 6_000;
    private static ApicurioRegistry shared;

    private final Process process;
    private final Path workDir;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ApicurioRegistry(Process process, Path workDir, Path log, int port) {
        this.process = process;
        this.workDir = workDir;
        this.log = log;
        this.port = port;
    }

    /** Starts a registry of its own; close it to stop the process. */
    public static ApicurioRegistry start() {
        Path runner = runnerJar();
        int port = freePort();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("apicurio-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = workDir.resolve("registry.log");
        List<String> command = List.of(javaExecutable(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dapicurio.ccompat.use-canonical-hash=true", "-Djava.io.tmpdir=" + workDir,
                "-jar", runner.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Apicurio Registry: " + command, e);
        }
        ApicurioRegistry registry = new ApicurioRegistry(process, workDir, log, port);
        try {
            registry.awaitReady();
            registry.setCompatibility("BACKWARD");
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /** The registry shared by all tests of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized ApicurioRegistry shared() {
        if (shared == null || !shared.process.isAlive()) {
            ApicurioRegistry started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "apicurio-registry-stop"));
            shared = started;
        }
        return shared;
    }

    /** The Confluent-compatible API's base URL, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /** Whether the registry process is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Sets the global compatibility rule through the Confluent API, e.g. BACKWARD or NONE. */
    public void setCompatibility(String level) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/config"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("setting compatibility " + level + " failed: HTTP "
                    + response.statusCode() + " " + response.body());
        }
    }

    /** Stops the process (waiting for it to exit) and deletes its temporary directory. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly(workDir);
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        URI health = URI.create("http://127.0.0.1:" + port + "/health/ready");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with status " + process.exitValue()
                        + " before it was ready; its output:\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(health)
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
            }
            pause();
        }
        throw new IllegalStateException("Apicurio Registry not ready at " + health + " within " + START_TIMEOUT
                + "; its output:\n" + logTail());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String logTail() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() <= LOG_TAIL ? text : "..." + text.substring(text.length() - LOG_TAIL);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
        }
    }

    private static Path runnerJar() {
        String dir = System.getProperty("apicurio.dir");
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("system property apicurio.dir is not set; run the integration tests "
                    + "through Maven (./mvnw verify), which unpacks Apicurio Registry there");
        }
        try (Stream<Path> files = Files.walk(Paths.get(dir))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-runner.jar under apicurio.dir " + dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search apicurio.dir " + dir, e);
        }
    }

    private static String javaExecutable() {
        String configured = System.getProperty("apicurio.java");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path path : paths) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
