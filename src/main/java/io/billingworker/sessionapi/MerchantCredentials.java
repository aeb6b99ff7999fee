package io.billingworker.sessionapi;

import java.util.Objects;

/**
 * The identity a {@code /session} call is made with: {@code x-merchantid} and the merchant's API key.
 * {@link #toString()} shows the merchant id and a masked key.
 */
public record MerchantCredentials(String merchantId, ApiKey apiKey) {

    public MerchantCredentials {
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(apiKey, "apiKey");
        if (merchantId.isBlank()) {
            throw new IllegalArgumentException("merchantId must not be blank");
        }
    }
}
