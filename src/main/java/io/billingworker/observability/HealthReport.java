package io.billingworker.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer of {@code /health/live} or {@code /health/ready}: up when every check is up. A check that throws
 * counts as down with the exception's class name (its message could carry anything).
 */
public final class HealthReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, HealthCheck.Status> results;

    private HealthReport(Map<String, HealthCheck.Status> results) {
        this.results = results;
    }

    /** Runs every check, in order. */
    public static HealthReport of(Map<String, HealthCheck> checks) {
        Objects.requireNonNull(checks, "checks");
        Map<String, HealthCheck.Status> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            HealthCheck.Status status;
            try {
                status = Objects.requireNonNull(check.check(), "status");
            } catch (RuntimeException e) {
                status = HealthCheck.Status.down("check failed: " + e.getClass().getName());
            }
            results.put(name, status);
        });
        return new HealthReport(results);
    }

    public boolean up() {
        return results.values().stream().allMatch(HealthCheck.Status::up);
    }

    /** {@code {"status":"UP","checks":{"name":{"status":"UP","detail":"..."}}}}. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", up() ? "UP" : "DOWN");
        ObjectNode checks = root.putObject("checks");
        results.forEach((name, status) -> checks.putObject(name)
                .put("status", status.up() ? "UP" : "DOWN")
                .put("detail", status.detail()));
        return root.toString();
    }
}
