package io.billingworker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration table of docs/configuration.md is the one the code generates. */
class ConfigReferenceDocTest {

    @Test
    void shouldHaveTheGeneratedConfigurationReferenceInTheConfigurationDoc() throws IOException {
        String readme = Files.readString(Path.of("docs/configuration.md"), StandardCharsets.UTF_8);

        String start = "<!-- config-reference:start -->\n";
        String documented = readme.substring(readme.indexOf(start) + start.length(),
                readme.indexOf("<!-- config-reference:end -->"));

        assertThat(documented).isEqualTo(ConfigKeys.markdownReference());
    }
}
