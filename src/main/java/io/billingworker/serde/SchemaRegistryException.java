package io.billingworker.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The schema registry answered, and the answer was a refusal that retrying will not change: a schema or subject that
 * does not exist, a schema that is invalid or incompatible with the subject's earlier versions, or an unexpected
 * response. Subclasses name the common cases.
 */
public class SchemaRegistryException extends SerializationException {

    private static final long serialVersionUID = 1L;

    /** HTTP status when the refusal came from a REST registry, else -1. */
    private final int httpStatus;
    /** The registry's {@code error_code} (e.g. 40403), else -1. */
    private final int errorCode;

    SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = -1;
    }

    /** HTTP status of the registry's answer, or -1 when there was none (in-memory registry, bad response body). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (Confluent API), or -1 when it gave none. */
    public int errorCode() {
        return errorCode;
    }
}
