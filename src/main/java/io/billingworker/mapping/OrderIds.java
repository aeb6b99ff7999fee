package io.billingworker.mapping;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Juspay order ids: the format rule, and the id derived for events that bring none.
 *
 * <p>A derived id is {@code "bs_"} plus 17 base62 characters taken from the SHA-256 of the merchant id
 * and the event id (each UTF-8, prefixed with its byte length, so ("ab", "c") and ("a", "bc") differ).
 * Seventeen base62 characters hold about 101 bits: collisions are negligible. The same inputs give the
 * same id on every JVM, so a retry or a replay of an event reuses its order id.
 */
public final class OrderIds {

    /** Juspay's limit: "Alphanumeric with character length less than 21". */
    public static final int MAX_LENGTH = 20;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");
    private static final String PREFIX = "bs_";
    private static final int HASH_CHARACTERS = MAX_LENGTH - PREFIX.length();
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger RADIX = BigInteger.valueOf(BASE62.length());
    private static final byte[] DOMAIN = "billing-session-order-id:v1".getBytes(StandardCharsets.UTF_8);

    private OrderIds() {
    }

    /** True for 1 to 20 characters of {@code A-Z a-z 0-9 _ -}. */
    public static boolean isValid(String orderId) {
        return orderId != null && VALID.matcher(orderId).matches();
    }

    /**
     * The order id for an event without one.
     *
     * @param merchantId the resolved merchant id (the default merchant's id when the event has none)
     * @param eventId    the event's {@code event_id}
     * @return 20 characters of {@code A-Z a-z 0-9 _}
     */
    public static String derive(String merchantId, String eventId) {
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(eventId, "eventId");
        BigInteger hash = new BigInteger(1, sha256(encode(merchantId, eventId)));
        StringBuilder id = new StringBuilder(MAX_LENGTH).append(PREFIX);
        for (int i = 0; i < HASH_CHARACTERS; i++) {
            BigInteger[] quotientAndRemainder = hash.divideAndRemainder(RADIX);
            id.append(BASE62.charAt(quotientAndRemainder[1].intValue()));
            hash = quotientAndRemainder[0];
        }
        return id.toString();
    }

    private static byte[] encode(String merchantId, String eventId) {
        byte[] merchant = merchantId.getBytes(StandardCharsets.UTF_8);
        byte[] event = eventId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(DOMAIN.length + 8 + merchant.length + event.length)
                .put(DOMAIN)
                .putInt(merchant.length).put(merchant)
                .putInt(event.length).put(event)
                .array();
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
