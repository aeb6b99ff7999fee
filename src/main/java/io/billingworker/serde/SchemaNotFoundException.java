package io.billingworker.serde;

/** The registry has no such schema id, subject, version, or schema under a subject (HTTP 404). */
public final class SchemaNotFoundException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    SchemaNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
