package io.billingworker.sessionapi;

import static io.billingworker.sessionapi.Fixtures.API_KEY;
import static io.billingworker.sessionapi.Fixtures.API_KEY_TEXT;
import static io.billingworker.sessionapi.Fixtures.AUTHORIZATION;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class IoFailuresTest {

    @Test
    void shouldScrubKeyAndAuthorizationFromExceptionMessage() {
        IOException failure = new IOException("proxy said: Authorization: " + AUTHORIZATION + " rejected; key="
                + API_KEY_TEXT + "; token=" + AUTHORIZATION.substring("Basic ".length()));

        HttpResult.Retryable result = IoFailures.classify(failure, API_KEY);

        assertThat(result.message()).isEqualTo(
                "POST /session failed: IOException: proxy said: Authorization: **** rejected; key=****; token=****");
        assertThat(result.exceptionClass()).isEqualTo("java.io.IOException");
        assertThat(result.kind()).isEqualTo(FailureKind.CONNECTION);
    }

    @Test
    void shouldClassifyTimeouts() {
        HttpResult.Retryable result = IoFailures.classify(new SocketTimeoutException("Read timed out"), API_KEY);

        assertThat(result).isEqualTo(new HttpResult.Retryable(FailureKind.TIMEOUT, null, null, null,
                "java.net.SocketTimeoutException", "POST /session failed: SocketTimeoutException: Read timed out"));
    }

    @Test
    void shouldBoundLongMessages() {
        HttpResult.Retryable result = IoFailures.classify(new IOException("x".repeat(10_000)), API_KEY);

        assertThat(result.message()).hasSize(512).endsWith("\u2026");
    }

    @Test
    void shouldHandleMissingMessage() {
        HttpResult.Retryable result = IoFailures.classify(new IOException(), API_KEY);

        assertThat(result.message()).isEqualTo("POST /session failed: IOException");
    }
}
