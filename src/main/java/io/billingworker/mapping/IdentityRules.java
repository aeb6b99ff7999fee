package io.billingworker.mapping;

import java.util.Optional;

/** Rules for the ids of an event: event, merchant, subscription, order and customer. */
final class IdentityRules {

    static final int CUSTOMER_ID_MAX_LENGTH = 128;

    private static final String NOT_EMPTY = "must not be empty";

    private IdentityRules() {
    }

    static void requireText(String field, String value, Findings findings) {
        if (Text.isEmpty(value)) {
            findings.reject(field, Violation.REQUIRED, NOT_EMPTY);
        }
    }

    /** The merchant must be configured, and its id is sent in the {@code x-merchantid} header. */
    static void checkMerchant(String requested, Optional<MerchantProfile> merchant, Findings findings) {
        if (merchant.isEmpty()) {
            String message = requested == null
                    ? "no default merchant is configured"
                    : "no merchant with id " + Text.printable(requested) + " is configured";
            findings.reject("merchant_id", Violation.UNKNOWN_MERCHANT, message);
        } else if (Text.hasControlCharacter(merchant.get().merchantId())) {
            findings.reject("merchant_id", Violation.CONTROL_CHARACTER,
                    "the configured merchant id must not contain control characters: it is sent in the "
                            + "x-merchantid header");
        }
    }

    /** A given order id must be valid for Juspay; a missing one is derived, so null is fine. */
    static void checkOrderId(String orderId, Findings findings) {
        if (orderId == null) {
            return;
        }
        if (orderId.length() > OrderIds.MAX_LENGTH) {
            findings.reject("order_id", Violation.TOO_LONG, "must be at most 20 characters");
        } else if (!OrderIds.isValid(orderId)) {
            findings.reject("order_id", Violation.BAD_FORMAT, "must be 1 to 20 characters of A-Z a-z 0-9 _ -");
        }
    }

    /** Empty is allowed (guest checkout); the id is sent in the {@code x-routing-id} header. */
    static void checkCustomerId(String customerId, Findings findings) {
        if (customerId == null) {
            findings.reject("customer.customer_id", Violation.REQUIRED,
                    "must be present (an empty string for a guest checkout)");
            return;
        }
        if (customerId.length() > CUSTOMER_ID_MAX_LENGTH) {
            findings.reject("customer.customer_id", Violation.TOO_LONG, "must be at most 128 characters");
        }
        if (Text.hasControlCharacter(customerId)) {
            findings.reject("customer.customer_id", Violation.CONTROL_CHARACTER,
                    "must not contain control characters: it is sent in the x-routing-id header");
        } else if (!Text.isPrintableAscii(customerId)) {
            // HTTP header values are ASCII: the client writes any other character as '?', so every customer id
            // of the same length in, say, Devanagari would share one x-routing-id.
            findings.reject("customer.customer_id", Violation.BAD_FORMAT,
                    "must contain printable ASCII characters only: it is sent in the x-routing-id header");
        }
    }
}
