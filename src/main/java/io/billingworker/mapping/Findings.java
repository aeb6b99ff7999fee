package io.billingworker.mapping;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the rules found while checking one event: violations (the event is rejected), and optional fields
 * left out of the request with a warning each. Rules append in the event's field order, so the lists
 * come out in a stable order. One instance per event; not thread-safe.
 */
final class Findings {

    private final List<Violation> violations = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> omitted = new HashSet<>();

    void reject(String field, String code, String message) {
        violations.add(new Violation(field, code, message));
    }

    /** Leaves the optional field out of the request and records why. */
    void omit(String field, String reason) {
        omitted.add(field);
        warnings.add(field + " left out: " + reason);
    }

    /**
     * For an optional string field: false when it is null (nothing to send) or empty (left out with a
     * warning, because the request never carries empty strings for optional fields).
     */
    boolean present(String field, String value) {
        if (value == null) {
            return false;
        }
        if (value.isEmpty()) {
            omit(field, "it is empty");
            return false;
        }
        return true;
    }

    boolean isOmitted(String field) {
        return omitted.contains(field);
    }

    boolean hasViolations() {
        return !violations.isEmpty();
    }

    List<Violation> violations() {
        return List.copyOf(violations);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }
}
