package io.billingworker.mapping;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** An immutable {@link MerchantDirectory} over a fixed set of profiles. */
final class FixedMerchantDirectory implements MerchantDirectory {

    private final MerchantProfile defaultMerchant;
    private final Map<String, MerchantProfile> byId;

    FixedMerchantDirectory(MerchantProfile defaultMerchant, Collection<MerchantProfile> others) {
        this.defaultMerchant = Objects.requireNonNull(defaultMerchant, "defaultMerchant");
        Objects.requireNonNull(others, "others");
        Map<String, MerchantProfile> profiles = new HashMap<>();
        profiles.put(defaultMerchant.merchantId(), defaultMerchant);
        for (MerchantProfile profile : others) {
            Objects.requireNonNull(profile, "others must not contain null");
            MerchantProfile previous = profiles.putIfAbsent(profile.merchantId(), profile);
            if (previous != null && !previous.equals(profile)) {
                throw new IllegalArgumentException(
                        "merchant id " + Text.printable(profile.merchantId()) + " is configured twice");
            }
        }
        this.byId = Map.copyOf(profiles);
    }

    @Override
    public Optional<MerchantProfile> find(String merchantIdOrNull) {
        if (merchantIdOrNull == null) {
            return Optional.of(defaultMerchant);
        }
        return Optional.ofNullable(byId.get(merchantIdOrNull));
    }
}
