package io.billingworker.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The configured API keys and the merchant each belongs to, and the check Juspay makes on every call:
 * {@code Authorization: Basic base64(api_key + ":")} (docs/contract.md, "Request": the key as user name, an empty
 * password) and an {@code x-merchantid} naming the key's merchant. No message ever contains a key.
 */
final class MerchantKeys {

    /** Who a request authenticated as, or why it did not. */
    record Result(String merchantId, JuspayError error) {
        boolean authenticated() {
            return error == null;
        }
    }

    static final String MISSING_AUTHORIZATION = "Authorization header is missing";
    static final String MALFORMED_AUTHORIZATION =
            "Authorization header must be Basic base64(api_key + \":\") with an empty password";
    static final String UNKNOWN_KEY = "Invalid API key";
    static final String MISSING_MERCHANT = "x-merchantid header is missing";

    private static final String BASIC = "basic ";

    private final Map<String, String> merchantByKey;

    MerchantKeys(Map<String, String> keyByMerchant) {
        Objects.requireNonNull(keyByMerchant, "keyByMerchant");
        Map<String, String> byKey = new HashMap<>();
        keyByMerchant.forEach((merchant, key) -> {
            if (merchant == null || merchant.isBlank()) {
                throw new IllegalArgumentException("a merchant id must not be blank");
            }
            if (key == null || key.isEmpty() || key.indexOf(':') >= 0) {
                throw new IllegalArgumentException(
                        "the API key of merchant " + merchant + " must be non-empty and contain no ':'");
            }
            String previous = byKey.putIfAbsent(key, merchant);
            if (previous != null) {
                throw new IllegalArgumentException(
                        "merchants " + previous + " and " + merchant + " must not share an API key");
            }
        });
        this.merchantByKey = Map.copyOf(byKey);
    }

    Result authenticate(String authorization, String merchantHeader) {
        if (authorization == null || authorization.isBlank()) {
            return denied(MISSING_AUTHORIZATION);
        }
        String key = apiKey(authorization);
        if (key == null) {
            return denied(MALFORMED_AUTHORIZATION);
        }
        String merchant = merchantByKey.get(key);
        if (merchant == null) {
            return denied(UNKNOWN_KEY);
        }
        if (merchantHeader == null || merchantHeader.isBlank()) {
            return denied(MISSING_MERCHANT);
        }
        if (!merchant.equals(merchantHeader)) {
            return denied("API key does not belong to merchant " + merchantHeader);
        }
        return new Result(merchant, null);
    }

    private static Result denied(String message) {
        return new Result(null, JuspayError.accessDenied(message));
    }

    /** The API key from a Basic header with an empty password, or null when it is not one. */
    private static String apiKey(String authorization) {
        if (authorization.length() <= BASIC.length()
                || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon != decoded.length() - 1) {
            return null;
        }
        return decoded.substring(0, colon);
    }
}
