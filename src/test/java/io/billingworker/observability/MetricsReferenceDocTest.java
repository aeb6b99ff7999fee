package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The metrics table of docs/operations.md is the one the catalog generates. */
class MetricsReferenceDocTest {

    @Test
    void shouldHaveTheGeneratedMetricsTableInTheOperationsDoc() throws IOException {
        String readme = Files.readString(Path.of("docs/operations.md"), StandardCharsets.UTF_8);

        String start = "<!-- metrics-reference:start -->\n";
        String documented = readme.substring(readme.indexOf(start) + start.length(),
                readme.indexOf("<!-- metrics-reference:end -->"));

        assertThat(documented).isEqualTo(MetricsCatalog.markdownReference());
    }
}
