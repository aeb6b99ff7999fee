package io.billingworker.mapping;

import java.util.Objects;

/**
 * One broken validation rule of a signup event: which field, which rule, and a message for people.
 * The code is stable and meant for machines (dashboards, upstream handling); the message may be reworded.
 *
 * @param field   path of the field in the {@code SubscriptionSignup} event, e.g. {@code customer.email},
 *                {@code mandate.rule_value}, {@code udf.udf3}, {@code merchant_id}
 * @param code    one of the constants of this record, e.g. {@link #REQUIRED}
 * @param message what is wrong, without echoing customer data
 */
public record Violation(String field, String code, String message) {

    /** The field is missing or empty but must be present. */
    public static final String REQUIRED = "REQUIRED";
    /** The value is longer than the field allows. */
    public static final String TOO_LONG = "TOO_LONG";
    /** The value has the wrong shape or characters. */
    public static final String BAD_FORMAT = "BAD_FORMAT";
    /** The value is well formed but outside the allowed range. */
    public static final String OUT_OF_RANGE = "OUT_OF_RANGE";
    /** The field or value is not allowed here (e.g. an unknown udf key, a query string in return_url). */
    public static final String NOT_ALLOWED = "NOT_ALLOWED";
    /** The event names a merchant that is not configured. */
    public static final String UNKNOWN_MERCHANT = "UNKNOWN_MERCHANT";
    /** The value would end up in an HTTP header and contains CR, LF or another control character. */
    public static final String CONTROL_CHARACTER = "CONTROL_CHARACTER";

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
