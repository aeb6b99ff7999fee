package io.billingworker.outcome;

import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.BillingSessionFailed;
import java.util.Objects;

/** The one place a consumed record ends: created, failed, or dead letter (docs/contract.md, "Outcome records"). */
public sealed interface Outcome {

    /** Short name used in logs and metrics: created, failed or dead_letter. */
    String kind();

    /** A session was created; published to the created topic keyed by subscription id. */
    record Created(String key, BillingSessionCreated value) implements Outcome {
        public Created {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String kind() {
            return "created";
        }
    }

    /** The signup can never succeed as sent; published to the failed topic keyed by subscription id. */
    record Failed(String key, BillingSessionFailed value) implements Outcome {
        public Failed {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String kind() {
            return "failed";
        }
    }

    /**
     * The original record goes to the dead-letter topic byte for byte, with headers saying why.
     *
     * @param reason         why
     * @param exceptionClass class of the exception behind it, or null
     * @param message        what went wrong, free of secrets and customer data; bounded when written
     * @param httpStatus     the last HTTP status from Juspay, or null
     * @param attempts       HTTP attempts made (0 when the record never reached the API)
     * @param merchantId     the merchant, when known, or null
     */
    record DeadLetter(
            DeadLetterReason reason,
            String exceptionClass,
            String message,
            Integer httpStatus,
            int attempts,
            String merchantId) implements Outcome {
        public DeadLetter {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String kind() {
            return "dead_letter";
        }
    }
}
