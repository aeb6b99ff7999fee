package io.billingworker.mapping;

import java.util.List;
import java.util.Objects;

/**
 * What {@link SignupMapper} made of one signup event: either a request ready to send, or the complete
 * list of rules the event breaks. Both carry the warnings about optional fields that were left out.
 */
public sealed interface MappingResult permits MappingResult.Mapped, MappingResult.Rejected {

    /** Optional fields left out of the request and why, in a stable order. */
    List<String> warnings();

    /**
     * The order id of the request: the event's, or the one derived for an event without one; null when it could not
     * be determined (only for a rejected event).
     */
    String orderId();

    /**
     * The event is valid: send {@code request}.
     *
     * @param request  the prepared {@code POST /session} call
     * @param warnings optional fields that were left out and why
     */
    record Mapped(SessionRequest request, List<String> warnings) implements MappingResult {
        public Mapped {
            Objects.requireNonNull(request, "request");
            warnings = List.copyOf(warnings);
        }

        @Override
        public String orderId() {
            return request.orderId();
        }
    }

    /**
     * The event breaks at least one rule and must not be sent.
     *
     * @param violations every broken rule, in the event's field order
     * @param orderId    the order id the request would have used; null when it could not be determined
     * @param merchantId the resolved merchant id, or the event's merchant id as given when it is unknown;
     *                   null when the event has none and no default merchant is configured
     * @param warnings   optional fields that would have been left out and why
     */
    record Rejected(List<Violation> violations, String orderId, String merchantId, List<String> warnings)
            implements MappingResult {
        public Rejected {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("a rejected signup needs at least one violation");
            }
            warnings = List.copyOf(warnings);
        }
    }
}
