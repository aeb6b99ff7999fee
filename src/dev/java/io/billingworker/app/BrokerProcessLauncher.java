package io.billingworker.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code java kafka.Kafka <properties>} as a child process on this JVM's class path, for the benchmark's broker
 * and the tests' killable broker: the same command line, working directory and output handling for both.
 */
public final class BrokerProcessLauncher {

    private BrokerProcessLauncher() {
    }

    /**
     * Launches the broker.
     *
     * @param jvmOptions the broker JVM's options (heap, collector)
     * @param rootDir    working and temporary directory of the process
     * @param properties the broker's {@code server.properties}
     * @param output     file the process's standard output and error are appended to
     */
    public static Process launch(List<String> jvmOptions, Path rootDir, Path properties, Path output) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (Runtime.version().feature() >= 23) {
            // Kafka unmaps log segments through sun.misc.Unsafe, which JDK 23+ warns about on every start.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-Djava.io.tmpdir=" + rootDir);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("kafka.Kafka");
        command.add(properties.toString());
        try {
            return new ProcessBuilder(command)
                    .directory(rootDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(output.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch the Kafka broker process: " + command.getFirst(), e);
        }
    }
}
