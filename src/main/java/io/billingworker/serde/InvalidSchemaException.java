package io.billingworker.serde;

/**
 * A schema that is not usable Avro: refused by the registry as invalid (HTTP 422), or returned by the registry in a
 * form this client cannot parse or of another type (PROTOBUF, JSON).
 */
public final class InvalidSchemaException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    InvalidSchemaException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }

    InvalidSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
