package io.billingworker.mapping;

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
    private static final long RADIX = BASE62.length();
    private static final MessageDigest SHA_256 = newSha256();
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
        // The hash as an unsigned big-endian number in 32-bit words, divided by 62 in place: each remainder is the
        // next base62 digit, least significant first (the same digits BigInteger.divideAndRemainder gives, without
        // its allocations, which were a fifth of the worker's garbage).
        ByteBuffer hash = ByteBuffer.wrap(sha256(encode(merchantId, eventId)));
        int[] words = new int[hash.remaining() / Integer.BYTES];
        for (int i = 0; i < words.length; i++) {
            words[i] = hash.getInt();
        }
        char[] id = new char[MAX_LENGTH];
        PREFIX.getChars(0, PREFIX.length(), id, 0);
        for (int digit = 0; digit < HASH_CHARACTERS; digit++) {
            long remainder = 0;
            for (int i = 0; i < words.length; i++) {
                long dividend = (remainder << Integer.SIZE) | Integer.toUnsignedLong(words[i]);
                words[i] = (int) (dividend / RADIX);
                remainder = dividend % RADIX;
            }
            id[PREFIX.length() + digit] = BASE62.charAt((int) remainder);
        }
        return new String(id);
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
            // A clone of a ready digest skips the provider lookup of MessageDigest.getInstance on every call.
            return ((MessageDigest) SHA_256.clone()).digest(input);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the platform's SHA-256 cannot be cloned", e);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
