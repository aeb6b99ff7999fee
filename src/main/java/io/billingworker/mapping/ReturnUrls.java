package io.billingworker.mapping;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The {@code return_url} rule of docs/contract.md, "Validation rules": an https URL with a host name (not an IP
 * address), no query string, at most 255 characters. Public so that configuration can check a merchant's default URL with
 * the same rule at start-up.
 */
public final class ReturnUrls {

    /** Juspay's limit for {@code return_url}. */
    public static final int MAX_LENGTH = 255;

    /** A last label that makes a host an IPv4 address in some notation: decimal, octal or hex. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");

    /** URLs that passed the rule, at most {@value #MAX_REMEMBERED}; cleared when full. */
    private static final Map<String, Boolean> ACCEPTED = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED = 4_096;

    private ReturnUrls() {
    }

    /**
     * @param field the field path to report, e.g. {@code return_url}
     * @param url   the URL to check, not null
     * @return the first broken rule, or empty when the URL may be sent
     */
    public static Optional<Violation> check(String field, String url) {
        // Most signups carry one of a few return URLs (or none, and the merchant's default is checked): remember
        // which URLs passed, so that each is parsed once rather than once per signup.
        if (ACCEPTED.containsKey(url)) {
            return Optional.empty();
        }
        Optional<Violation> violation = parse(field, url);
        if (violation.isEmpty()) {
            if (ACCEPTED.size() >= MAX_REMEMBERED) {
                ACCEPTED.clear();
            }
            ACCEPTED.put(url, Boolean.TRUE);
        }
        return violation;
    }

    private static Optional<Violation> parse(String field, String url) {
        if (url.length() > MAX_LENGTH) {
            return Optional.of(new Violation(field, Violation.TOO_LONG, "must be at most 255 characters"));
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return bad(field, "must be an absolute https URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
            return bad(field, "must be an absolute https URL");
        }
        if (uri.getRawAuthority() == null) {
            return bad(field, "must have a host name");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority().contains("@")) {
            return notAllowed(field, "must not contain user information");
        }
        if (isIpAddress(hostPart(uri.getRawAuthority()))) {
            return notAllowed(field, "must not use an IP address as host");
        }
        if (uri.getHost() == null) {
            return bad(field, "must have a host name");
        }
        if (uri.getRawQuery() != null) {
            return notAllowed(field, "must not have a query string");
        }
        return Optional.empty();
    }

    /**
     * The host of an authority without user information, also when {@link URI#getHost()} gives up on it
     * (it does for "127.1" or "0x7f.1", which resolvers still read as IPv4 addresses).
     */
    private static String hostPart(String authority) {
        if (authority.startsWith("[")) {
            return authority;
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    private static boolean isIpAddress(String host) {
        if (host.startsWith("[")) {
            return true;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String lastLabel = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return NUMERIC_LABEL.matcher(lastLabel).matches();
    }

    private static Optional<Violation> bad(String field, String message) {
        return Optional.of(new Violation(field, Violation.BAD_FORMAT, message));
    }

    private static Optional<Violation> notAllowed(String field, String message) {
        return Optional.of(new Violation(field, Violation.NOT_ALLOWED, message));
    }
}
