package io.billingworker.sessionapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseParserTest {

    /** Seed 000, "Sample Response": the direct-transaction shape. */
    static final String SEED_000_RESPONSE = """
            {
                "payment": {
                    "authentication": {
                        "method": "GET",
                        "url": "https://sandbox.juspay.in/v2/pay/start/eulerqa_sandbox/mozFS1mNCmY96k3aHHp?cardIssuerBankName%3DUPI_COLLECT%26cardType%3DUPI%26paymentMethod%3DUPI_COLLECT%26paymentMethodType%3DUPI"
                    }
                },
                "status": "PENDING_VBV",
                "txn_uuid": "mozFS1mNCmY96k3aHHp",
                "offer_details": {
                    "offers": []
                },
                "order_id": "Ord_1765191076",
                "txn_id": "suc-Ord_1765191076-1"
            }
            """;

    /** Seed 001, the response with UPI deep links: the session shape, {@code "expiry": "null"}. */
    static final String SEED_001_RESPONSE = """
            {
              "status": "NEW",
              "id": "ordeh_xxxxxxxxxxxxxxxxxxxx",
              "order_id": "testing-order-one",
              "payment_links": {
                "web": "https://api.juspay.in/orders/ordeh_xxxxxxxxxxxxxxxxxxxx/payment-page",
                "expiry" : "null",
                "deep_link": "upi://pay?tr=3xxxxxxxxx&tid=PYxxxxx&mc=xxx&pa=pxxxxx&pn=xxxxxxx&am=1&cu=INR"
              },
              "sdk_payload": {
                  "requestId": "12398b5571d74c3388a74004bc24370c",
                  "service": "in.juspay.hyperpay",
                  "payload": {
                      "clientId": "yourClientId",
                      "amount": "1.0",
                      "merchantId": "yourMerchantId",
                      "clientAuthToken": "tkn_xxxxxxxxxxxxxxxxxxxxx",
                      "clientAuthTokenExpiry": "2022-03-12T20:29:23Z",
                      "environment": "production",
                      "options.getUpiDeepLinks": "true",
                      "lastName": "wick",
                      "action": "paymentPage",
                      "customerId": "testing-customer-one",
                      "returnUrl": "https://shop.merchant.com",
                      "currency": "INR",
                      "firstName": "John",
                      "customerPhone": "9876543210",
                      "customerEmail": "test@mail.com",
                      "orderId": "testing-order-one",
                      "description": "Complete your payment"
                  }
              }
            }
            """;

    private static final String SEED_001_SDK_PAYLOAD = "{\"requestId\":\"12398b5571d74c3388a74004bc24370c\","
            + "\"service\":\"in.juspay.hyperpay\",\"payload\":{\"clientId\":\"yourClientId\",\"amount\":\"1.0\","
            + "\"merchantId\":\"yourMerchantId\",\"clientAuthToken\":\"tkn_xxxxxxxxxxxxxxxxxxxxx\","
            + "\"clientAuthTokenExpiry\":\"2022-03-12T20:29:23Z\",\"environment\":\"production\","
            + "\"options.getUpiDeepLinks\":\"true\",\"lastName\":\"wick\",\"action\":\"paymentPage\","
            + "\"customerId\":\"testing-customer-one\",\"returnUrl\":\"https://shop.merchant.com\","
            + "\"currency\":\"INR\",\"firstName\":\"John\",\"customerPhone\":\"9876543210\","
            + "\"customerEmail\":\"test@mail.com\",\"orderId\":\"testing-order-one\","
            + "\"description\":\"Complete your payment\"}}";

    private final ResponseParser parser = new ResponseParser(new ObjectMapper());

    @Test
    void shouldParseSeed000TransactionShapeFieldForField() throws InvalidResponseException {
        SessionResponse response = parser.parseSession(bytes(SEED_000_RESPONSE));

        assertThat(response).isEqualTo(new SessionResponse(
                "PENDING_VBV",
                null,
                "Ord_1765191076",
                null,
                null,
                null,
                "https://sandbox.juspay.in/v2/pay/start/eulerqa_sandbox/mozFS1mNCmY96k3aHHp?cardIssuerBankName"
                        + "%3DUPI_COLLECT%26cardType%3DUPI%26paymentMethod%3DUPI_COLLECT%26paymentMethodType%3DUPI",
                "GET",
                "suc-Ord_1765191076-1",
                "mozFS1mNCmY96k3aHHp",
                null));
    }

    @Test
    void shouldParseSeed001SessionShapeFieldForField() throws InvalidResponseException {
        SessionResponse response = parser.parseSession(bytes(SEED_001_RESPONSE));

        assertThat(response).isEqualTo(new SessionResponse(
                "NEW",
                "ordeh_xxxxxxxxxxxxxxxxxxxx",
                "testing-order-one",
                "https://api.juspay.in/orders/ordeh_xxxxxxxxxxxxxxxxxxxx/payment-page",
                null,
                "upi://pay?tr=3xxxxxxxxx&tid=PYxxxxx&mc=xxx&pa=pxxxxx&pn=xxxxxxx&am=1&cu=INR",
                null,
                null,
                null,
                null,
                SEED_001_SDK_PAYLOAD));
    }

    @Test
    void shouldKeepRealExpiry() throws InvalidResponseException {
        String body = "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"order_id\":\"o1\","
                + "\"payment_links\":{\"web\":\"https://x\",\"expiry\":\"2026-01-01T10:00:00Z\"}}";

        SessionResponse response = parser.parseSession(bytes(body));

        assertThat(response.paymentLinkExpiry()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void shouldTreatJsonNullAsAbsentAndIgnoreUnknownFields() throws InvalidResponseException {
        String body = "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"order_id\":\"o1\",\"payment_links\":{\"web\":"
                + "\"https://x\",\"expiry\":null,\"deep_link\":null},\"payment\":null,\"txn_id\":null,"
                + "\"brand_new_field\":{\"a\":1},\"sdk_payload\":null}";

        SessionResponse response = parser.parseSession(bytes(body));

        assertThat(response).isEqualTo(new SessionResponse("NEW", "ordeh_1", "o1", "https://x", null, null, null,
                null, null, null, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"status\":5,\"id\":[\"x\"],\"order_id\":\"o1\",\"payment_links\":\"nope\"}| status is a number, expected a string",
        "{\"status\":\"NEW\",\"id\":[\"x\"],\"order_id\":\"o1\"}                    | id is an array, expected a string",
        "{\"status\":\"NEW\",\"id\":\"i\",\"order_id\":\"o1\",\"payment_links\":\"nope\"}| payment_links is a string, expected an object",
        "{\"status\":\"NEW\",\"order_id\":\"o1\",\"payment_links\":{\"web\":true}}     | payment_links.web is a boolean, expected a string",
        "{\"status\":\"NEW\",\"order_id\":\"o1\",\"payment\":{\"authentication\":[]}} | payment.authentication is an array, expected an object",
        "{\"status\":\"NEW\",\"order_id\":\"o1\",\"sdk_payload\":7}                  | sdk_payload is a number, expected an object",
        "{}                                                                   | status is missing",
        "{\"status\":\" \",\"order_id\":\"o1\"}                                       | status is missing",
        "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"payment_links\":{\"web\":\"https://x\"}} | order_id is missing",
        "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"order_id\":\"o1\",\"sdk_payload\":{}}   | payment_links.web is missing",
        "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"order_id\":\"o1\",\"txn_id\":\"t\",\"payment\":{\"authentication\":{\"url\":\"https://x\"}}} | payment_links.web is missing",
        "{\"status\":\"NEW\",\"order_id\":\"o1\",\"txn_id\":\"t\"}                   | no payment link: payment_links.web and payment.authentication.url are both missing",
        "{\"status\":\"NEW\",\"order_id\":\"o1\",\"payment_links\":{\"web\":\"https://x\"}} | id (Juspay's order id) is missing beside payment_links.web",
        "{\"status\":\"NEW\",\"order_id\":\"o1\",\"payment\":{\"authentication\":{\"url\":\"https://x\"}}} | txn_id is missing beside payment.authentication.url",
        "[1,2]                                                                | not a JSON object but an array",
        "{not json                                                            | not JSON (JsonParseException at byte 1)",
        "{\"status\":\"NEW\"                                                       | not JSON (JsonEOFException at byte 15)",
        "'   '                                                                | empty body",
    })
    void shouldNameWhatMakesASessionResponseInvalid(String body, String message) {
        assertThatThrownBy(() -> parser.parseSession(bytes(body)))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessage(message);
    }

    @Test
    void shouldRejectEmptyAndHtmlBodies() {
        assertThatThrownBy(() -> parser.parseSession(new byte[0]))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessage("empty body");
        assertThatThrownBy(() -> parser.parseSession(bytes("<html>oops</html>")))
                .isInstanceOf(InvalidResponseException.class)
                .hasMessage("not JSON (JsonParseException at byte 0)");
    }

    @Test
    void shouldParse400ErrorShape() {
        String body = "{\"status\":\"Bad Request\",\"error_code\":\"Mandatory fields are missing\","
                + "\"error_message\":\"Missing fields: amount\"}";

        ApiError error = parser.parseError(400, bytes(body));

        assertThat(error).isEqualTo(new ApiError(400, "Bad Request", "Mandatory fields are missing",
                "Missing fields: amount", null));
    }

    @Test
    void shouldParse401ErrorShape() {
        ApiError error = parser.parseError(401, bytes("{\"status\":\"error\",\"error_code\":\"access_denied\"}"));

        assertThat(error).isEqualTo(new ApiError(401, "error", "access_denied", null, null));
    }

    @Test
    void shouldParse404And500ErrorShapes() {
        String body = "{\"status\":\"error\",\"error_code\":\"Internal server Error\"}";

        ApiError notFound = parser.parseError(404, bytes(body));
        ApiError serverError = parser.parseError(500, bytes(body));

        assertThat(notFound).isEqualTo(new ApiError(404, "error", "Internal server Error", null, null));
        assertThat(serverError).isEqualTo(new ApiError(500, "error", "Internal server Error", null, null));
    }

    @Test
    void shouldKeepErrorInfoAsJsonText() {
        String body = "{\"status\":\"error\",\"error_code\":\"INVALID\",\"error_info\":{\"code\":\"E1\","
                + "\"fields\":[\"amount\"]}}";

        ApiError error = parser.parseError(400, bytes(body));

        assertThat(error.errorInfoJson()).isEqualTo("{\"code\":\"E1\",\"fields\":[\"amount\"]}");
    }

    @Test
    void shouldGiveEmptyErrorForNonJsonBody() {
        ApiError error = parser.parseError(502, bytes("<html><body>Bad Gateway</body></html>"));

        assertThat(error).isEqualTo(new ApiError(502, null, null, null, null));
    }

    @Test
    void shouldBoundErrorTextLengths() {
        String body = "{\"status\":\"" + "s".repeat(500) + "\",\"error_code\":\"" + "c".repeat(500)
                + "\",\"error_message\":\"" + "m".repeat(5000) + "\",\"error_info\":\"" + "i".repeat(9000) + "\"}";

        ApiError error = parser.parseError(400, bytes(body));

        assertThat(error.status()).hasSize(128).endsWith("\u2026");
        assertThat(error.errorCode()).hasSize(256);
        assertThat(error.errorMessage()).hasSize(1024);
        assertThat(error.errorInfoJson()).hasSize(4096);
    }

    @Test
    void shouldSummarizeErrorOnOneLine() {
        ApiError error = new ApiError(400, "Bad Request", "Mandatory fields are missing", "amount", null);

        String summary = error.summary();

        assertThat(summary).isEqualTo(
                "HTTP 400 status=Bad Request error_code=Mandatory fields are missing error_message=amount");
    }

    /**
     * A compact ASCII body is read in one streaming pass, {@code sdk_payload} taken as sent; any other body as a whole
     * tree. Both must give the same answer: each body here is parsed as it is and pretty-printed (which always takes
     * the tree path), and the results compared.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"order_id\":\"o1\",\"payment_links\":{\"web\":\"https://x/p\",\"expiry\":null},\"sdk_payload\":{\"requestId\":\"r\",\"payload\":{\"a\":[1,-2,true,false,null,\"q\\\"x\\\\y\"],\"b\":{}}}}",
        "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"order_id\":\"o1\",\"payment_links\":{\"web\":\"https://x/p\"},\"sdk_payload\":{\"amount\":1.50,\"e\":1e2,\"z\":-0}}",
        "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"order_id\":\"o1\",\"payment_links\":{\"web\":\"https://x/p\"},\"sdk_payload\":{\"url\":\"https:\\/\\/x\",\"t\":\"a\\tb\\u0041\"}}",
        "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"order_id\":\"o1\",\"payment_links\":{\"web\":\"https://x/p\"},\"sdk_payload\":{\"name\":\"Jos\u00e9\"}}",
        "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"order_id\":\"o1\",\"payment_links\":{\"web\":\"https://x/p\"},\"sdk_payload\":\"{\\\"as\\\":\\\"text\\\"}\"}",
        "{\"status\":\"NEW\",\"id\":\"ordeh_1\",\"order_id\":\"o1\",\"payment_links\":{\"web\":\"https://x/p\"},\"sdk_payload\":null,\"extra\":[{\"deep\":[1,2,{\"x\":3.5}]}]}",
        "{\"status\":\"PENDING_VBV\",\"order_id\":\"o1\",\"txn_id\":\"t1\",\"payment\":{\"authentication\":{\"method\":\"GET\",\"url\":\"https://x/a\"}},\"unknown\":{\"k\":\"v\"}}",
        "{\"order_id\":\"o1\",\"status\":\"NEW\",\"id\":\"first\",\"id\":\"ordeh_2\",\"payment_links\":{\"web\":\"https://x/p\"},\"sdk_payload\":{\"k\":1,\"k\":2}}",
    })
    void shouldReadACompactBodyInOnePassExactlyAsTheWholeTree(String body) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        String pretty = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(body));

        SessionResponse streamed = parser.parseSession(bytes(body));
        SessionResponse tree = parser.parseSession(bytes(pretty));

        assertThat(streamed).isEqualTo(tree);
    }

    @Test
    void shouldStreamTheCompactAsciiBodiesJuspayAndTheSimulatorSend() throws Exception {
        String compact = new ObjectMapper().readTree(SEED_001_RESPONSE).toString();

        assertThat(parser.stream(bytes(compact))).isNotNull()
                .satisfies(streamed -> assertThat(streamed.sdkPayloadObject()).isEqualTo(SEED_001_SDK_PAYLOAD));
        assertThat(parser.stream(bytes(SEED_001_RESPONSE))).as("pretty-printed: read as a tree").isNull();
        assertThat(parser.stream(bytes("{\"id\":1,\"id\":2}"))).as("duplicate key: read as a tree").isNull();
        assertThat(parser.parseSession(bytes(compact))).isEqualTo(parser.parseSession(bytes(SEED_001_RESPONSE)));
    }

    @Test
    void shouldTakeAnSdkPayloadAsSentOnlyWhenThatIsItsCompactText() {
        assertThat(compact("{\"a\":[1,-2,true,false,null],\"b\":\"q\\\"\\\\\",\"c\":{}}")).isTrue();
        assertThat(compact("{\"a\": 1}")).isFalse();
        assertThat(compact("{\"a\":1.0}")).isFalse();
        assertThat(compact("{\"a\":1e3}")).isFalse();
        assertThat(compact("{\"a\":-0}")).isFalse();
        assertThat(compact("{\"a\":-0,\"b\":-01}")).isFalse();
        assertThat(compact("{\"a\":-10}")).isTrue();
        assertThat(compact("{\"a\":\"x\\/y\"}")).isFalse();
        assertThat(compact("{\"a\":\"\\u0041\"}")).isFalse();
        assertThat(compact("{\"a\":\"\\n\"}")).isFalse();
        assertThat(compact("{\"true\":true,\"e\":\"e.E\"}")).isTrue();
    }

    private static boolean compact(String json) {
        byte[] text = bytes(json);
        return ResponseParser.isCompact(text, 0, text.length);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
