package io.billingworker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image runs the artifact {@code ./mvnw package} builds (no Docker engine here, so the file is read, not built):
 * the shipped stage holds the jar and its {@code lib/} side by side, as the manifest's Class-Path expects, and
 * starts it with {@code java -jar}; only the {@code dev} stage carries the developer tools.
 */
class DockerfileTest {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile");

    @Test
    void shouldShipThePackagedJarWithItsLibFolderAndRunItWithJavaJar() throws IOException {
        List<List<String>> stages = stages();
        List<String> shipped = stages.getLast();
        List<String> runtime = stage(stages, "AS runtime");

        assertThat(shipped.getFirst()).isEqualTo("FROM runtime");
        assertThat(shipped).contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/billing-session-worker.jar\"]");
        assertThat(runtime).contains("COPY --from=build /build/target/lib/ /app/lib/",
                "COPY --from=build /build/target/billing-session-worker-*.jar /app/billing-session-worker.jar");
        assertThat(String.join("\n", runtime) + String.join("\n", shipped))
                .doesNotContain("test-classes", "dev-lib", "DevMain");
        assertThat(stage(stages, "AS build")).anySatisfy(line -> assertThat(line).contains("package -DskipTests"));
    }

    @Test
    void shouldKeepTheDeveloperToolsInTheDevStage() throws IOException {
        List<String> dev = stage(stages(), "AS dev");

        assertThat(dev.getFirst()).isEqualTo("FROM runtime AS dev");
        assertThat(String.join("\n", dev)).contains("/app/dev/classes", "io.billingworker.app.DevMain");
    }

    private static List<String> stage(List<List<String>> stages, String suffix) {
        return stages.stream().filter(stage -> stage.getFirst().endsWith(suffix)).findFirst().orElseThrow();
    }

    /** The Dockerfile's instructions by stage, continuation lines joined, comments dropped. */
    private static List<List<String>> stages() throws IOException {
        List<List<String>> stages = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKERFILE, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String instruction = pending.append(line).toString();
            pending.setLength(0);
            if (instruction.startsWith("FROM ")) {
                stages.add(new ArrayList<>());
            }
            stages.getLast().add(instruction);
        }
        return stages;
    }
}
