package io.billingworker.sessionapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.mapping.SessionRequest;
import java.io.UncheckedIOException;
import java.time.Duration;

/** Requests, keys and results shared by the tests. */
final class Fixtures {

    static final String API_KEY_TEXT = "1D6ALxxSECRETxxU5QTIxQzNFNTQwNkFDMEZC";
    static final ApiKey API_KEY = ApiKey.of(API_KEY_TEXT);
    /** {@code "Basic " + base64(API_KEY_TEXT + ":")}, computed independently of {@link ApiKey}. */
    static final String AUTHORIZATION = "Basic MUQ2QUx4eFNFQ1JFVHh4VTVRVEl4UXpORk5UUXdOa0ZETUVaQzo=";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static SessionRequest request(String merchantId, String orderId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("order_id", orderId);
        body.put("amount", "1.0");
        body.put("customer_id", "cth_rPj21roNSjEbumSy");
        body.put("payment_page_client_id", "stageott");
        body.put("action", "paymentPage");
        body.putObject("payment_rules").putObject("payment_flows").putObject("billing_creation")
                .put("status", "REQUIRED").putObject("info").put("plan_id", "sample_fixed_plan");
        try {
            return new SessionRequest(merchantId, orderId, "cth_rPj21roNSjEbumSy", "cth_rPj21roNSjEbumSy",
                    JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionApiClient client(SessionApiSettings.Builder settings) {
        return new SessionApiClient(settings.build());
    }

    static MerchantCredentials credentials(String merchantId) {
        return new MerchantCredentials(merchantId, API_KEY);
    }

    static HttpResult.Success created(String orderId) {
        return new HttpResult.Success(200, new SessionResponse("NEW", "ordeh_1", orderId,
                "https://api.juspay.in/orders/ordeh_1/payment-page", null, null, null, null, null, null, "{}"));
    }

    static HttpResult.Retryable serverError(int status) {
        return new HttpResult.Retryable(FailureKind.HTTP_STATUS, status,
                new ApiError(status, "error", "Internal server Error", null, null), null, null,
                "HTTP " + status + " status=error error_code=Internal server Error");
    }

    static HttpResult.Retryable tooManyRequests(Duration retryAfter) {
        return new HttpResult.Retryable(FailureKind.HTTP_STATUS, 429, ApiError.empty(429), retryAfter, null,
                "HTTP 429");
    }

    static HttpResult.Retryable connectionRefused() {
        return new HttpResult.Retryable(FailureKind.CONNECTION, null, null, null,
                "org.apache.hc.client5.http.HttpHostConnectException",
                "POST /session failed: HttpHostConnectException: Connect to http://127.0.0.1:1 failed");
    }

    static HttpResult.Rejected badRequest() {
        return new HttpResult.Rejected(new ApiError(400, "Bad Request", "Mandatory fields are missing",
                "order_id is missing", null));
    }

    static HttpResult.AuthFailure unauthorized(int status) {
        return new HttpResult.AuthFailure(new ApiError(status, "error", "access_denied", null, null));
    }
}
