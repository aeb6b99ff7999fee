package io.billingworker.mapping;

/** Small string checks shared by the validation rules. */
final class Text {

    private static final int PRINTABLE_LIMIT = 64;

    private Text() {
    }

    static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    /** True when the value holds CR, LF, TAB, DEL or any other ISO control character. */
    static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    /** True when every character is printable ASCII, space to tilde. */
    static boolean isPrintableAscii(String value) {
        return value.chars().allMatch(c -> c >= ' ' && c <= '~');
    }

    /** True when every character is an ASCII digit and there is at least one. */
    static boolean isDigits(String value) {
        return !value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    static boolean isAsciiLetterOrDigit(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** The value in double quotes, made {@link #escaped} for a message. */
    static String printable(String value) {
        return '"' + escaped(value) + '"';
    }

    /**
     * The value safe for a message or a field path: control characters escaped as {@code \}{@code uXXXX},
     * cut after 64 characters.
     */
    static String escaped(String value) {
        StringBuilder out = new StringBuilder();
        int end = Math.min(value.length(), PRINTABLE_LIMIT);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > PRINTABLE_LIMIT) {
            out.append("...");
        }
        return out.toString();
    }
}
