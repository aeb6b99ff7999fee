package io.billingworker.sessionapi;

/**
 * An error answer of {@code /session} (docs/contract.md, "Responses": 400, 401, 404, 500 all carry {@code status} and
 * {@code error_code}; 400 also {@code error_message}). Fields the body did not hold are {@code null};
 * a body that is not JSON leaves them all {@code null}. Text is cut to bounded lengths.
 *
 * @param httpStatus    the HTTP status code
 * @param status        {@code status}, e.g. {@code error} or {@code Bad Request}
 * @param errorCode     {@code error_code}, e.g. {@code access_denied}
 * @param errorMessage  {@code error_message}
 * @param errorInfoJson {@code error_info} as compact JSON text
 */
public record ApiError(int httpStatus, String status, String errorCode, String errorMessage, String errorInfoJson) {

    static final int MAX_STATUS = 128;
    static final int MAX_ERROR_CODE = 256;
    static final int MAX_ERROR_MESSAGE = 1024;
    static final int MAX_ERROR_INFO = 4096;

    public ApiError {
        status = SafeText.bound(status, MAX_STATUS);
        errorCode = SafeText.bound(errorCode, MAX_ERROR_CODE);
        errorMessage = SafeText.bound(errorMessage, MAX_ERROR_MESSAGE);
        errorInfoJson = SafeText.bound(errorInfoJson, MAX_ERROR_INFO);
    }

    /** An error whose body held nothing readable. */
    static ApiError empty(int httpStatus) {
        return new ApiError(httpStatus, null, null, null, null);
    }

    /** One line for logs and dead-letter messages: {@code HTTP 500 status=error error_code=...}. */
    public String summary() {
        StringBuilder text = new StringBuilder("HTTP ").append(httpStatus);
        append(text, "status", status);
        append(text, "error_code", errorCode);
        append(text, "error_message", errorMessage);
        return text.toString();
    }

    private static void append(StringBuilder text, String name, String value) {
        if (value != null) {
            text.append(' ').append(name).append('=').append(value);
        }
    }
}
