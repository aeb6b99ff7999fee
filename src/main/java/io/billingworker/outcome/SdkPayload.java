package io.billingworker.outcome;

import io.billingworker.avro.BillingSessionCreated;

/**
 * What a created outcome carries of Juspay's {@code sdk_payload} ({@code outcome.sdk-payload}). Juspay returns it for
 * the checkout SDK, and it holds the customer's email and phone (docs/contract.md, "Outcome records"): {@link #FULL}
 * passes it on verbatim as {@code sdk_payload_json}, {@link #OMIT} leaves the field null for deployments whose
 * created-topic subscribers must not see contact data.
 */
public enum SdkPayload {
    FULL,
    OMIT;

    /** {@code outcome} as this setting wants it published; only a created outcome under {@link #OMIT} changes. */
    public Outcome apply(Outcome outcome) {
        if (this == OMIT && outcome instanceof Outcome.Created created && created.value().getSdkPayloadJson() != null) {
            BillingSessionCreated value = BillingSessionCreated.newBuilder(created.value()).setSdkPayloadJson(null)
                    .build();
            return new Outcome.Created(created.key(), value);
        }
        return outcome;
    }
}
