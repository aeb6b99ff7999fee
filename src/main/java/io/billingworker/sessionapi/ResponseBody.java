package io.billingworker.sessionapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A response body as far as it was read: at most {@code juspay.max-response-bytes}, its {@code Content-Type}, and how
 * reading ended. {@link #describe()} says what it was without echoing its content: a body may carry customer data.
 *
 * @param bytes           the bytes read
 * @param contentType     the {@code Content-Type} header value, or {@code null}
 * @param end             how reading ended
 * @param announcedLength the {@code Content-Length}, or -1 when there was none
 */
record ResponseBody(byte[] bytes, String contentType, End end, long announcedLength) {

    /** How reading a body ended. */
    enum End {
        /** The whole body was read. */
        COMPLETE,
        /** The body was longer than the limit: reading stopped there. */
        TOO_LONG,
        /** The connection ended before the body did (fewer bytes than {@code Content-Length}, or a reset). */
        CUT_SHORT
    }

    private static final int MAX_PREFIX = 32;
    private static final String JSON_CONTENT_TYPE = "application/json";
    private static final String JSON_UTF8_CONTENT_TYPE = "application/json; charset=utf-8";
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]{1,32}/[a-z0-9!#$&^_.+*-]{1,64}");

    ResponseBody {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(end, "end");
    }

    /** A body read to its end. */
    static ResponseBody complete(byte[] bytes, String contentType) {
        return new ResponseBody(bytes, contentType, End.COMPLETE, bytes.length);
    }

    /**
     * The media type of {@code Content-Type}, lower case and without parameters: {@code none} when absent,
     * {@code unreadable} when it is not a media type.
     */
    String mediaType() {
        if (contentType == null || contentType.isBlank()) {
            return "none";
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        return MEDIA_TYPE.matcher(type).matches() ? type : "unreadable";
    }

    /** Whether the {@code Content-Type} is absent or JSON ({@code application/json}, {@code ...+json}). */
    boolean jsonOrUnlabelled() {
        // The usual values, exactly as sent: no parsing needed.
        if (JSON_CONTENT_TYPE.equals(contentType) || JSON_UTF8_CONTENT_TYPE.equals(contentType)) {
            return true;
        }
        String type = mediaType();
        return type.equals("none") || type.equals("application/json") || type.endsWith("+json");
    }

    /**
     * What an operator needs to recognise the body, with nothing that could be personal: content type, size, the
     * first 12 hex digits of its SHA-256, and, only for markup (a proxy's HTML page), its first characters up to
     * the first digit or {@code @}.
     */
    String describe() {
        StringBuilder text = new StringBuilder("content type ").append(mediaType()).append(", ");
        switch (end) {
            case COMPLETE -> text.append(bytes.length).append(" bytes");
            case TOO_LONG -> text.append("more than ").append(bytes.length).append(" bytes");
            case CUT_SHORT -> text.append(bytes.length).append(" bytes")
                    .append(announcedLength >= 0 ? " of " + announcedLength + " announced" : "");
        }
        if (bytes.length > 0) {
            text.append(", sha256 ").append(sha256Prefix());
        }
        String prefix = safePrefix();
        if (!prefix.isEmpty()) {
            text.append(", starts with '").append(prefix).append('\'');
        }
        return text.toString();
    }

    /**
     * The body's first characters when it is markup (starts with {@code <}), cut before the first character that is
     * not printable ASCII, a digit, {@code @} or a quote: a page title or a tag, never a number or an address.
     */
    String safePrefix() {
        String head = new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.ISO_8859_1).stripLeading();
        if (!head.startsWith("<")) {
            return "";
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < head.length() && prefix.length() < MAX_PREFIX; i++) {
            char c = head.charAt(i);
            if (c < 0x20 || c > 0x7e || Character.isDigit(c) || c == '@' || c == '\'' || c == '"') {
                break;
            }
            prefix.append(c);
        }
        return prefix.toString();
    }

    private String sha256Prefix() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
