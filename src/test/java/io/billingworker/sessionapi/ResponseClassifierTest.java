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
    void shouldClassify200WithUnreadableBodyAsInvalidResponse() {
        HttpResult result = classifier.classify(200, bytes("{not json"), false, null);

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
            assertThat(retryable.kind()).isEqualTo(FailureKind.INVALID_RESPONSE);
            assertThat(retryable.httpStatus()).isEqualTo(200);
            assertThat(retryable.message()).matches("HTTP 200 with an invalid session response: not JSON "
                    + "\\(JsonParseException at byte 1\\); content type application/json, 9 bytes, sha256 [0-9a-f]{12}");
        });
        assertThat(result.statusClass()).isEqualTo("invalid");
    }

    @Test
    void shouldClassifyTruncated200AsInvalidResponse() {
        HttpResult result = classifier.classify(200, bytes("{\"status\":\"NEW\""), true, null);

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> assertThat(
                retryable.message()).matches("HTTP 200 with an invalid session response: body longer than the 15-byte"
                        + " limit \\(juspay.max-response-bytes\\); content type application/json, more than 15 bytes,"
                        + " sha256 [0-9a-f]{12}"));
    }

    @Test
    void shouldClassify200HtmlPageAsInvalidResponseNamingItsContentType() {
        ResponseBody page = ResponseBody.complete(bytes("<!DOCTYPE html><html><title>Down for 30 minutes"),
                "text/html; charset=utf-8");

        HttpResult result = classifier.classify(200, page, null, null);

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> assertThat(
                retryable.message()).matches("HTTP 200 with an invalid session response: Content-Type text/html is"
                        + " not JSON; content type text/html, 47 bytes, sha256 [0-9a-f]{12}, starts with"
                        + " '<!DOCTYPE html><html><title>Down'"));
    }

    @Test
    void shouldClassify200CutShortAsInvalidResponse() {
        ResponseBody cut = new ResponseBody(bytes("{\"status\":\"NEW\""), "application/json",
                ResponseBody.End.CUT_SHORT, 1000);

        HttpResult result = classifier.classify(200, cut, null, null);

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> assertThat(
                retryable.message()).matches("HTTP 200 with an invalid session response: body cut short: the"
                        + " connection ended before the body did; content type application/json, 15 bytes of 1000"
                        + " announced, sha256 [0-9a-f]{12}"));
    }

    @Test
    void shouldNeverQuoteAJsonBodyThatMayHoldCustomerData() {
        byte[] body = bytes("{\"status\":\"NEW\",\"order_id\":\"o1\",\"sdk_payload\":{\"payload\":{"
                + "\"customerEmail\":\"asha@example.com\",\"customerPhone\":\"9876543210\",\"firstName\":\"Asha\"}}}");

        HttpResult result = classifier.classify(200, body, false, null);

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> assertThat(
                retryable.message()).startsWith("HTTP 200 with an invalid session response: payment_links.web is"
                        + " missing; content type application/json, ").doesNotContain("asha", "Asha", "9876543210", "customer"));
    }

    @Test
    void shouldClassifyRedirectAsFinalWithLocationWithoutQuery() {
        HttpResult result = classifier.classify(302, ResponseBody.complete(new byte[0], null),
                "https://login.example.net/sso/session?token=abc", null);

        assertThat(result).isEqualTo(new HttpResult.Redirect(302, "https://login.example.net/sso/session (query left out)",
                "HTTP 302 redirect to Location https://login.example.net/sso/session (query left out) (not followed:"
                        + " check juspay.base-url and any proxy in between)"));
        assertThat(result.statusClass()).isEqualTo("3xx");
    }

    @Test
    void shouldClassifyRedirectWithoutLocation() {
        HttpResult result = classifier.classify(307, ResponseBody.complete(new byte[0], null), null, null);

        assertThat(result).isEqualTo(new HttpResult.Redirect(307, null, "HTTP 307 redirect to no Location"
                + " (not followed: check juspay.base-url and any proxy in between)"));
    }

    @Test
    void shouldDescribeAnHtmlErrorPageOfA5xx() {
        ResponseBody page = ResponseBody.complete(bytes("<html><body>Maintenance</body></html>"), "text/html");

        HttpResult result = classifier.classify(500, page, null, null);

        assertThat(result).isInstanceOfSatisfying(HttpResult.Retryable.class, retryable -> {
            assertThat(retryable.kind()).isEqualTo(FailureKind.HTTP_STATUS);
            assertThat(retryable.message()).matches("HTTP 500 \\(not a JSON error: content type text/html, 37 bytes,"
                    + " sha256 [0-9a-f]{12}, starts with '<html><body>Maintenance</body></'\\)");
        });
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
    @ValueSource(ints = {100, 199})
    void shouldClassifyUnexpectedStatusesAsRetryable(int status) {
        HttpResult result = classifier.classify(status, new byte[0], false, null);

        assertThat(result).isEqualTo(new HttpResult.Retryable(FailureKind.HTTP_STATUS, status,
                ApiError.empty(status), null, null, "unexpected HTTP " + status));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
