package io.billingworker.mapping;

/**
 * Rules for the customer's e-mail address, phone number and mobile country code (docs/contract.md, "Validation
 * rules").
 */
final class ContactRules {

    static final int EMAIL_MAX_LENGTH = 300;
    static final int PHONE_MAX_LENGTH = 300;
    static final int COUNTRY_CODE_MAX_LENGTH = 64;

    private static final String LOCAL_PART_SPECIALS = "!#$%&'*+-/=?^_.{|}~";

    private ContactRules() {
    }

    static void checkEmail(String email, Findings findings) {
        String field = "customer.email";
        if (!findings.present(field, email)) {
            return;
        }
        if (email.length() > EMAIL_MAX_LENGTH) {
            findings.reject(field, Violation.TOO_LONG, "must be at most 300 characters");
        }
        String problem = emailProblem(email);
        if (problem != null) {
            findings.reject(field, Violation.BAD_FORMAT, problem);
        }
    }

    private static String emailProblem(String email) {
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1) {
            return "must be a local part and a domain joined by one @";
        }
        String local = email.substring(0, at);
        if (!local.chars().allMatch(c -> Text.isAsciiLetterOrDigit(c) || LOCAL_PART_SPECIALS.indexOf(c) >= 0)) {
            return "the local part may contain only letters, digits and " + LOCAL_PART_SPECIALS;
        }
        if (isUnderscoreOrDot(local.charAt(0)) || isUnderscoreOrDot(local.charAt(local.length() - 1))) {
            return "the local part must not start or end with _ or .";
        }
        if (!isDomain(email.substring(at + 1))) {
            return "the domain must be two or more dot-separated labels of letters, digits and -";
        }
        return null;
    }

    private static boolean isUnderscoreOrDot(char c) {
        return c == '_' || c == '.';
    }

    private static boolean isDomain(String domain) {
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> Text.isAsciiLetterOrDigit(c) || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static void checkPhone(String phone, Findings findings) {
        String field = "customer.phone";
        if (!findings.present(field, phone)) {
            return;
        }
        if (phone.length() > PHONE_MAX_LENGTH) {
            findings.reject(field, Violation.TOO_LONG, "must be at most 300 characters");
        }
        if (!Text.isDigits(phone)) {
            findings.reject(field, Violation.BAD_FORMAT, "must contain digits only, without + or a country code");
        }
    }

    static void checkMobileCountryCode(String code, Findings findings) {
        String field = "customer.mobile_country_code";
        if (!findings.present(field, code)) {
            return;
        }
        if (code.length() > COUNTRY_CODE_MAX_LENGTH) {
            findings.reject(field, Violation.TOO_LONG, "must be at most 64 characters");
        }
        if (!Text.isDigits(code)) {
            findings.reject(field, Violation.BAD_FORMAT, "must contain digits only, without a leading +");
        }
    }
}
