package io.billingworker.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One error answer in Juspay's shape (docs/contract.md, "Responses"): HTTP status plus a JSON body
 * {@code {"status": ..., "error_code": ..., "error_message": ...}} and, when given, {@code error_info}.
 *
 * <p>Juspay documents 400 as {@code status} "Bad Request" with {@code error_code} e.g.
 * "Mandatory fields are missing"; 401 as {@code status} "error", {@code error_code} "access_denied";
 * 404 and 500 as {@code status} "error", {@code error_code} "Internal server Error" (Juspay lists that
 * code for 404 too, so we follow it). 429, 502 and 503 are not in Juspay's pages; they use the same "error" shape.
 *
 * @param httpStatus   the HTTP status code
 * @param status       the body's {@code status}
 * @param errorCode    the body's {@code error_code}
 * @param errorMessage the body's {@code error_message}
 * @param errorInfo    the body's {@code error_info}, or null to leave it out
 */
public record JuspayError(int httpStatus, String status, String errorCode, String errorMessage, JsonNode errorInfo) {

    /** {@code error_code} of a 400 naming missing keys, verbatim from Juspay's pages. */
    public static final String MANDATORY_FIELDS_MISSING = "Mandatory fields are missing";
    /** {@code error_code} of a 400 naming a key whose value breaks a rule. */
    public static final String INVALID_FIELD_VALUE = "Invalid field value";
    /** {@code error_code} of a 400 whose body is not a JSON object. */
    public static final String INVALID_JSON = "Invalid JSON";
    /** {@code error_code} of a 400 whose Content-Type is not application/json. */
    public static final String INVALID_CONTENT_TYPE = "Invalid Content-Type";
    /** {@code error_code} of every 401, from Juspay's pages. */
    public static final String ACCESS_DENIED = "access_denied";
    /** {@code error_code} of 404 and 500, from Juspay's pages. */
    public static final String INTERNAL_SERVER_ERROR = "Internal server Error";
    /** {@code error_code} of a 429 (not in Juspay's pages). */
    public static final String TOO_MANY_REQUESTS = "too_many_requests";

    public JuspayError {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("an error's HTTP status must be 4xx or 5xx, was " + httpStatus);
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
    }

    /** A 400 {@code {"status":"Bad Request", ...}}. */
    public static JuspayError badRequest(String errorCode, String errorMessage) {
        return new JuspayError(400, "Bad Request", errorCode, errorMessage, null);
    }

    /** A 401 {@code {"status":"error","error_code":"access_denied", ...}}. */
    public static JuspayError accessDenied(String errorMessage) {
        return new JuspayError(401, "error", ACCESS_DENIED, errorMessage, null);
    }

    /** A 404 for a path the simulator does not serve. */
    public static JuspayError notFound(String path) {
        return new JuspayError(404, "error", INTERNAL_SERVER_ERROR, "Resource not found: " + path, null);
    }

    /** A 429 asking the client to slow down. */
    public static JuspayError tooManyRequests() {
        return new JuspayError(429, "error", TOO_MANY_REQUESTS, "Too many requests, please retry later", null);
    }

    /** A 5xx in Juspay's 500 shape; 502 and 503 get their own reason as {@code error_code}. */
    public static JuspayError serverError(int httpStatus) {
        if (httpStatus < 500 || httpStatus > 599) {
            throw new IllegalArgumentException("a server error's HTTP status must be 5xx, was " + httpStatus);
        }
        String code = switch (httpStatus) {
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> INTERNAL_SERVER_ERROR;
        };
        return new JuspayError(httpStatus, "error", code, "Simulated server error " + httpStatus, null);
    }

    /** The same error with another {@code error_message}. */
    public JuspayError withMessage(String message) {
        return new JuspayError(httpStatus, status, errorCode, message, errorInfo);
    }

    /** The same error with {@code error_info} set. */
    public JuspayError withErrorInfo(JsonNode info) {
        return new JuspayError(httpStatus, status, errorCode, errorMessage, info);
    }

    /** The JSON body. */
    public ObjectNode toJson() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", status);
        body.put("error_code", errorCode);
        body.put("error_message", errorMessage);
        if (errorInfo != null) {
            body.set("error_info", errorInfo.deepCopy());
        }
        return body;
    }
}
