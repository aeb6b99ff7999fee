package io.billingworker.mapping;

import java.util.Objects;

/**
 * What the mapping needs to know about a merchant: no secrets, only the values that go into the request.
 *
 * @param merchantId          sent as {@code x-merchantid}
 * @param paymentPageClientId sent as {@code payment_page_client_id}
 * @param defaultReturnUrl    used when the event has no {@code return_url}; may be null
 * @param createMandate       {@code options.create_mandate}: REQUIRED or OPTIONAL
 * @param getUpiDeepLinks     {@code options.get_upi_deep_links}
 */
public record MerchantProfile(
        String merchantId,
        String paymentPageClientId,
        String defaultReturnUrl,
        String createMandate,
        boolean getUpiDeepLinks) {

    public MerchantProfile {
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(paymentPageClientId, "paymentPageClientId");
        Objects.requireNonNull(createMandate, "createMandate");
    }
}
