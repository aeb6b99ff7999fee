package io.billingworker.sessionapi;

/** Bounding and secret scrubbing of text that ends up in messages, logs and records. */
final class SafeText {

    static final int MAX_MESSAGE = 512;
    static final int MAX_LOCATION = 200;
    private static final String MASK = "****";

    private SafeText() {
    }

    /** {@code text} cut to {@code max} characters (marked with an ellipsis); {@code null} stays {@code null}. */
    static String bound(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max - 1) + "\u2026";
    }

    /**
     * {@code text} with every occurrence of the key, its {@code Authorization} value and that value's base64
     * part replaced by a mask, then bounded to {@link #MAX_MESSAGE}.
     */
    static String scrub(String text, ApiKey key) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        if (key != null) {
            String authorization = key.basicAuthorization();
            scrubbed = scrubbed.replace(authorization, MASK)
                    .replace(authorization.substring("Basic ".length()), MASK)
                    .replace(key.secret(), MASK);
        }
        return bound(scrubbed, MAX_MESSAGE);
    }
}
