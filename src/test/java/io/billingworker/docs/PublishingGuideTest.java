package io.billingworker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/publishing.md shows the Java producer that {@code PublishingGuideIT} runs, character for character. */
class PublishingGuideTest {

    static final Path GUIDE = Path.of("docs", "publishing.md");
    static final Path JAVA_EXAMPLE = Path.of("src", "test", "java", "com", "acme", "billing", "PublishSignup.java");

    @Test
    void shouldShowTheJavaExampleExactlyAsTheSourceFileTheTestRuns() throws IOException {
        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);

        String block = codeBlock(guide, "```java\n");

        assertThat(block).isEqualTo(Files.readString(JAVA_EXAMPLE, StandardCharsets.UTF_8));
        assertThat(guide).containsOnlyOnce("```java\n");
    }

    @Test
    void shouldBeLinkedFromTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains("(docs/publishing.md)");
    }

    /** The text of the first fenced block opened by {@code fence}, without the fences. */
    static String codeBlock(String markdown, String fence) {
        int start = markdown.indexOf(fence);
        assertThat(start).as("a block opened by " + fence.strip()).isNotNegative();
        int from = start + fence.length();
        return markdown.substring(from, markdown.indexOf("```\n", from));
    }
}
