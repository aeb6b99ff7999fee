package io.billingworker.outcome;

import java.util.Objects;

/** The outbound topics. */
public record OutcomeTopics(String created, String failed, String deadLetter) {
    public OutcomeTopics {
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(failed, "failed");
        Objects.requireNonNull(deadLetter, "deadLetter");
    }
}
