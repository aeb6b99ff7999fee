package io.billingworker.observability;

/** One named aspect of the worker's health, answered quickly (network checks cache their result). */
@FunctionalInterface
public interface HealthCheck {

    Status check();

    /** Up or down, with a short operator-facing detail (never a secret). */
    record Status(boolean up, String detail) {

        public static Status up(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }
}
