package io.billingworker.reliability;

import io.billingworker.app.DemoSignups;
import io.billingworker.avro.SubscriptionSignup;
import java.time.Instant;
import java.util.HashMap;

/**
 * Valid signups to break one field at a time. Every signup carries the same recognisable customer e-mail and
 * phone, so that the secret-leak test can look for them in logs, outcomes and metrics.
 */
final class CorpusSignups {

    /** The customer e-mail every valid signup carries; it must reach the API and nothing else. */
    static final String CUSTOMER_EMAIL = "asha.secretmail@example.com";
    /** The customer phone every valid signup carries; it must reach the API and nothing else. */
    static final String CUSTOMER_PHONE = "9876501234";

    private CorpusSignups() {
    }

    /** A valid signup keyed {@code id}, with event id {@code evt_<id>} and the given order id. */
    static SubscriptionSignup valid(String id, String orderId) {
        SubscriptionSignup signup = DemoSignups.seedShape(id, "evt_" + id, null, null, Instant.now());
        signup.setOrderId(orderId);
        signup.getCustomer().setCustomerId("cust_" + id);
        signup.getCustomer().setEmail(CUSTOMER_EMAIL);
        signup.getCustomer().setPhone(CUSTOMER_PHONE);
        signup.getCustomer().setMobileCountryCode("91");
        signup.setMetadata(new HashMap<>(signup.getMetadata()));
        signup.setUdf(new HashMap<>());
        return signup;
    }
}
