package io.billingworker.mapping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules for the user defined fields and the metadata map. {@code udf1}-{@code udf5}: letters, digits and
 * spaces, at most 255 characters; {@code udf6}-{@code udf10}: any characters, at most 255; other keys are
 * an error.
 */
final class UdfRules {

    static final int MAX_LENGTH = 255;

    private static final Pattern UDF_KEY = Pattern.compile("udf([1-9]|10)");

    private static final String[] NO_KEYS = {};

    /** udf1 .. udf10 in numeric order, then unknown keys in string order. */
    static final Comparator<String> KEY_ORDER = Comparator
            .comparingInt(UdfRules::udfNumberOrMax)
            .thenComparing(Comparator.naturalOrder());

    private UdfRules() {
    }

    static void checkUdf(Map<String, String> udf, Findings findings) {
        for (String key : sortedKeys(udf)) {
            checkOne(key, udf.get(key), findings);
        }
    }

    private static void checkOne(String key, String value, Findings findings) {
        int number = udfNumberOrMax(key);
        if (number == Integer.MAX_VALUE) {
            findings.reject("udf." + Text.escaped(key), Violation.NOT_ALLOWED,
                    "unknown udf key; allowed keys are udf1 to udf10");
            return;
        }
        String field = "udf." + key;
        if (!findings.present(field, value)) {
            return;
        }
        if (value.length() > MAX_LENGTH) {
            findings.reject(field, Violation.TOO_LONG, "must be at most 255 characters");
        }
        if (number <= 5 && !value.chars().allMatch(c -> Text.isAsciiLetterOrDigit(c) || c == ' ')) {
            findings.reject(field, Violation.BAD_FORMAT, "may contain only letters, digits and spaces");
        }
    }

    static void checkMetadata(Map<String, String> metadata, Findings findings) {
        for (String key : sortedMetadataKeys(metadata)) {
            if (key.isEmpty()) {
                findings.reject("metadata", Violation.BAD_FORMAT, "keys must not be empty");
            } else {
                findings.present("metadata." + Text.escaped(key), metadata.get(key));
            }
        }
    }

    /** The metadata keys in string order: the order in which they are checked and sent. */
    static String[] sortedMetadataKeys(Map<String, String> metadata) {
        String[] keys = metadata.keySet().toArray(NO_KEYS);
        Arrays.sort(keys);
        return keys;
    }

    static List<String> sortedKeys(Map<String, String> udf) {
        List<String> keys = new ArrayList<>(udf.keySet());
        keys.sort(KEY_ORDER);
        return keys;
    }

    private static int udfNumberOrMax(String key) {
        return UDF_KEY.matcher(key).matches() ? Integer.parseInt(key.substring(3)) : Integer.MAX_VALUE;
    }
}
