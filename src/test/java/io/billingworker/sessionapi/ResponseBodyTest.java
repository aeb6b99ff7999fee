package io.billingworker.sessionapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseBodyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "application/json                  | application/json | true",
        "Application/JSON; charset=UTF-8   | application/json | true",
        "application/json; charset=utf-8   | application/json | true",
        "application/jsonp                 | application/jsonp | false",
        "application/problem+json          | application/problem+json | true",
        "NULL                              | none             | true",
        "text/html; charset=utf-8          | text/html        | false",
        "'asha@example.com 9876543210'     | unreadable       | false",
    })
    void shouldNameTheMediaTypeOnly(String contentType, String mediaType, boolean json) {
        ResponseBody body = ResponseBody.complete(new byte[0], contentType);

        assertThat(body.mediaType()).isEqualTo(mediaType);
        assertThat(body.jsonOrUnlabelled()).isEqualTo(json);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<html><head><title>Maintenance</title></head></html>   | <html><head><title>Maintenance</",
        "'  <p>Write to asha@example.com</p>'                     | <p>Write to asha",
        "<h1>Back at 10:45</h1>                                 | <h",
        "<title>Back at 10:45</title>                           | '<title>Back at '",
        "<a href=\"https://x\">                                  | <a href=",
        "{\"customerEmail\":\"asha\"}                            | ''",
        "Service Unavailable                                    | ''",
    })
    void shouldShowOnlyMarkupUpToTheFirstDigitAtSignOrQuote(String text, String prefix) {
        ResponseBody body = ResponseBody.complete(text.getBytes(StandardCharsets.UTF_8), "text/html");

        assertThat(body.safePrefix()).isEqualTo(prefix);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "COMPLETE  | 5   | content type application/json, 5 bytes, sha256 ",
        "TOO_LONG  | -1  | content type application/json, more than 5 bytes, sha256 ",
        "CUT_SHORT | 100 | content type application/json, 5 bytes of 100 announced, sha256 ",
    })
    void shouldDescribeSizeByHowReadingEnded(ResponseBody.End end, long announced, String description) {
        ResponseBody body = new ResponseBody("{\"a\":".getBytes(StandardCharsets.UTF_8), "application/json", end,
                announced);

        assertThat(body.describe()).startsWith(description).matches(".*sha256 [0-9a-f]{12}");
    }
}
