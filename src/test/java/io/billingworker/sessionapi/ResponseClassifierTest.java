package io.billingworker.sessionapi;

import io.billingworker.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseClassifierTest {

    private static final byte[] INTERNAL_ERROR =
            "{\"status\":\"error\",\"error_code\":\"Internal server Error\"}".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-11-23T10:00:00Z"));
    private final ResponseClassifier classifier = new ResponseClassifier(new ResponseParser(new ObjectMapper()), clock);

    @Test
    void shouldClassify200WithSessionAsSuccess() {
        HttpResult result = classifier.classify(200, bytes(ResponseParserTest.SEED_001_RESPONSE), false, null);

        assertThat(result).isInstanceOfSatisfying(HttpResult.Success.class, success -> {
            assertThat(success.httpStatus()).isEqualTo(200);
            assertThat(success.response().juspayOrderId()).isEqualTo("ordeh_xxxxxxxxxxxxxxxxxxxx");
        });
        assertThat(result.statusClass()).isEqualTo("2xx");
    }

    @Test
    void shouldClassify200WithUnreadableBodyAsRetryable() {
        HttpResult result = classifier.classify(200, bytes("<html>maintenance</html>"), false, null);

        assertThat(result).isEqualTo(new HttpResult.Retryable(FailureKind.MALFORMED_RESPONSE, 200, null, null, null,
                "HTTP 200 with an unreadable session response (JsonParseException)"));
        assertThat(result.statusClass()).isEqualTo("2xx");
    }

    @Test
    void shouldClassifyTruncated200AsRetryable() {
        HttpResult result = classifier.classify(200, bytes("{\"status\":\"NEW\""), true, null);

        assertThat(result).isEqualTo(new HttpResult.Retryable(FailureKind.MALFORMED_RESPONSE, 200, null, null, null,
                "HTTP 200 with an unreadable session response (body longer than 15 bytes)"));
    }

    @Test
    void shouldClassify400AsRejected() {
        byte[] body = bytes("{\"status\":\"Bad Request\",\"error_code\":\"Mandatory fields are missing\","
                + "\"error_message\":\"amount\"}");

        HttpResult result = classifier.classify(400, body, false, null);

        assertThat(result).isEqualTo(new HttpResult.Rejected(
                new ApiError(400, "Bad Request", "Mandatory fields are missing", "amount", null)));
        assertThat(result.statusClass()).isEqualTo("4xx");
    }

    @ParameterizedTest
    @ValueSource(ints = {405, 409, 410, 415, 422})
    void shouldClassifyOtherClientErrorsAsRejected(int status) {
        HttpResult result = classifier.classify(status, new byte[0], false, null);

        assertThat(result).isEqualTo(new HttpResult.Rejected(ApiError.empty(status)));
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void shouldClassifyAuthenticationErrorsAsAuthFailure(int status) {
        byte[] body = bytes("{\"status\":\"error\",\"error_code\":\"access_denied\"}");

        HttpResult result = classifier.classify(status, body, false, null);

        assertThat(result).isEqualTo(new HttpResult.AuthFailure(
                new ApiError(status, "error", "access_denied", null, null)));
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 500, 502, 503, 504})
    void shouldClassifyServerErrorsAnd404AsRetryable(int status) {
        HttpResult result = classifier.classify(status, INTERNAL_ERROR, false, null);

        assertThat(result).isEqualTo(new HttpResult.Retryable(FailureKind.HTTP_STATUS, status,
                new ApiError(status, "error", "Internal server Error", null, null), null, null,
                "HTTP " + status + " status=error error_code=Internal server Error"));
        assertThat(result.statusClass()).isEqualTo(status == 404 ? "4xx" : "5xx");
    }

    @Test
    void shouldClassify408AsRetryable() {
        HttpResult result = classifier.classify(408, new byte[0], false, null);

        assertThat(result).isInstanceOf(HttpResult.Retryable.class);
    }

    @Test
    void shouldClassify429WithRetryAfterSeconds() {
        HttpResult result = classifier.classify(429, new byte[0], false, "7");

        assertThat(result).isEqualTo(new HttpResult.Retryable(FailureKind.HTTP_STATUS, 429, ApiError.empty(429),
                Duration.ofSeconds(7), null, "HTTP 429"));
    }

    @Test
    void shouldClassify429WithRetryAfterHttpDate() {
        HttpResult result = classifier.classify(429, new byte[0], false, "Sun, 23 Nov 2025 10:00:42 GMT");

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class,
                retryable -> assertThat(retryable.retryAfter()).isEqualTo(Duration.ofSeconds(42)));
    }

    @Test
    void shouldHonourRetryAfterOn503() {
        HttpResult result = classifier.classify(503, INTERNAL_ERROR, false, "3");

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class,
                retryable -> assertThat(retryable.retryAfter()).isEqualTo(Duration.ofSeconds(3)));
    }

    @ParameterizedTest
    @ValueSource(ints = {302, 307, 100})
    void shouldClassifyUnexpectedStatusesAsRetryable(int status) {
        HttpResult result = classifier.classify(status, new byte[0], false, null);

        assertThat(result).isEqualTo(new HttpResult.Retryable(FailureKind.HTTP_STATUS, status,
                ApiError.empty(status), null, null, "unexpected HTTP " + status));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
