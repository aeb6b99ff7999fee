package io.billingworker.mapping;

import java.util.Collection;
import java.util.Optional;

/**
 * Looks up the request-relevant settings of a merchant by the {@code merchant_id} of a signup event.
 * The configuration implements it; {@link #of} is a plain implementation for tests and simple callers.
 */
public interface MerchantDirectory {

    /**
     * @param merchantIdOrNull the event's {@code merchant_id}; null selects the default merchant
     * @return the merchant, or empty when no such merchant (or no default) is configured
     */
    Optional<MerchantProfile> find(String merchantIdOrNull);

    /**
     * A fixed directory.
     *
     * @param defaultMerchant used for events without a merchant id; also found by its own id
     * @param others          further merchants, found by id; may repeat the default merchant
     * @throws IllegalArgumentException when two different profiles share a merchant id
     */
    static MerchantDirectory of(MerchantProfile defaultMerchant, Collection<MerchantProfile> others) {
        return new FixedMerchantDirectory(defaultMerchant, others);
    }
}
