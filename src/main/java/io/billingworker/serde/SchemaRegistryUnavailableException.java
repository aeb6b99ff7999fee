package io.billingworker.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The schema registry could not answer now, for reasons that are not the record's fault: unreachable, timed out,
 * overloaded (HTTP 5xx, 408, 429) or refusing our credentials (HTTP 401/403, a configuration problem).
 * Retriable: the caller should back off and retry (or halt), never dead-letter the record for it.
 * Schemas already cached keep working while the registry is down.
 */
public final class SchemaRegistryUnavailableException extends RetriableException {

    private static final long serialVersionUID = 1L;

    SchemaRegistryUnavailableException(String message) {
        super(message);
    }

    SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
