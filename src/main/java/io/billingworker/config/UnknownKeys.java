package io.billingworker.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the keys of a config file that the worker does not read, such as the typo {@code procesing.max-in-flight},
 * which would otherwise be ignored silently and leave the default in force. Each is reported with the nearest
 * known key. Known are the keys of {@link ConfigKeys#ALL}, the per-merchant keys of every merchant in
 * {@code merchants.ids}, and everything under the pass-through prefixes {@code kafka.} and {@code serde.}.
 * Values are never part of a message: a misspelt key may hold a secret.
 */
final class UnknownKeys {

    private static final List<String> PASS_THROUGH = List.of("kafka.", "serde.");
    private static final String MERCHANT_PLACEHOLDER = "<id>";

    private final List<String> known;

    private UnknownKeys(List<String> known) {
        this.known = known;
    }

    /** The keys a source naming these merchants may hold (per-merchant keys expanded for each id). */
    static UnknownKeys forMerchants(List<String> merchantIds) {
        Objects.requireNonNull(merchantIds, "merchantIds");
        Set<String> known = new LinkedHashSet<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            if (key.name().contains(MERCHANT_PLACEHOLDER)) {
                merchantIds.forEach(id -> known.add(key.name().replace(MERCHANT_PLACEHOLDER, id)));
            } else {
                known.add(key.name());
            }
        }
        return new UnknownKeys(List.copyOf(known));
    }

    /**
     * One problem per unknown key, in the order given: {@code <key>: unknown key ...; did you mean <nearest>?}; a
     * key that one of {@code reported} already names (such as a refused {@code merchants.<id>.api-key}) is left out.
     */
    List<String> problems(Iterable<String> keys, List<String> reported) {
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            if (!isKnown(key) && reported.stream().noneMatch(problem -> problem.startsWith(key + ": "))) {
                problems.add(key + ": unknown key, the worker does not read it; did you mean " + nearest(key) + "?");
            }
        }
        return problems;
    }

    private boolean isKnown(String key) {
        return known.contains(key) || PASS_THROUGH.stream().anyMatch(prefix -> key.startsWith(prefix)
                && key.length() > prefix.length());
    }

    /** The known key with the fewest single-character edits from {@code key}; the first of equals. */
    String nearest(String key) {
        return known.stream().min(Comparator.comparingInt(candidate -> distance(key, candidate))).orElseThrow();
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
