package io.billingworker.sessionapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A merchant's Juspay API key. The secret never leaves this object except as the {@code Authorization}
 * header value, which only the session API client (same package) asks for. {@link #toString()} is masked,
 * and validation messages never echo the key.
 */
public final class ApiKey {

    static final int MAX_LENGTH = 512;

    private final String secret;
    /** The header value, made once: it is sent with every call. */
    private final String authorization;

    private ApiKey(String secret) {
        this.secret = secret;
        this.authorization = "Basic "
                + Base64.getEncoder().encodeToString((secret + ":").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Wraps an API key.
     *
     * @throws IllegalArgumentException when blank, longer than 512 characters, or holding whitespace or
     *                                  control characters (which would corrupt the header); the message does
     *                                  not contain the key
     */
    public static ApiKey of(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank");
        }
        if (secret.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("apiKey must be at most " + MAX_LENGTH + " characters, was "
                    + secret.length() + " characters");
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("apiKey must not contain whitespace or control characters"
                        + " (position " + i + ")");
            }
        }
        return new ApiKey(secret);
    }

    /** {@code Basic base64(apiKey + ":")}: the key as user name, an empty password (docs/contract.md, "Request"). */
    String basicAuthorization() {
        return authorization;
    }

    /** The raw key, for scrubbing it out of error text; package-private on purpose. */
    String secret() {
        return secret;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKey that && MessageDigest.isEqual(
                secret.getBytes(StandardCharsets.UTF_8), that.secret.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return secret.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKey[****]";
    }
}
