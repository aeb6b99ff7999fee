package io.billingworker.mapping;

/**
 * The optional display fields {@code first_name}, {@code last_name} and {@code description}: a value outside
 * Juspay's rules (docs/contract.md, "Validation rules") does not fail the signup; it is left out of the request
 * with a warning.
 */
final class DisplayFieldRules {

    static final int MAX_LENGTH = 255;

    private static final String NAME_SPECIALS = "().-_";

    private DisplayFieldRules() {
    }

    static void checkName(String field, String name, Findings findings) {
        if (!findings.present(field, name)) {
            return;
        }
        if (name.length() > MAX_LENGTH) {
            findings.omit(field, "longer than 255 characters");
        } else if (!name.chars().allMatch(c -> Text.isAsciiLetterOrDigit(c) || NAME_SPECIALS.indexOf(c) >= 0)) {
            findings.omit(field, "may contain only letters, digits and ().-_");
        }
    }

    static void checkDescription(String description, Findings findings) {
        if (findings.present("description", description) && description.length() > MAX_LENGTH) {
            findings.omit("description", "longer than 255 characters");
        }
    }
}
