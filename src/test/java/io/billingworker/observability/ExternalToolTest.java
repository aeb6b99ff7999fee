package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExternalToolTest {

    @Test
    void shouldFailWithWhatToInstallWhenAToolIsMissing() {
        assertThatThrownBy(() -> ExternalTool.require("no-such-ops-tool-4711", "Install the no-such package"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("no-such-ops-tool-4711 was not found on PATH (")
                .hasMessageEndingWith("). Install the no-such package; .ci/ops-checks installs every tool the ops "
                        + "checks need.");
    }
}
