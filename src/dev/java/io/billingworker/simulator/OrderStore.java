package io.billingworker.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The orders created so far, one per (merchant, order id): the first successful call creates it, every
 * later call finds it, so a repeat can never create a second order.
 */
final class OrderStore {

    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String HEX = "0123456789abcdef";

    /** The request fields {@link ResponseRenderer} reads; the rest of a request is not kept. */
    static final List<String> KEPT_FIELDS = List.of(
            "order_id", "amount", "currency", "customer_id", "customer_email", "customer_phone", "first_name",
            "last_name", "description", "payment_page_client_id", "action", "return_url",
            "options.get_upi_deep_links");

    private record Key(String merchantId, String orderId) {
    }

    private final ConcurrentHashMap<Key, SimulatedOrder> orders = new ConcurrentHashMap<>();
    private final RandomGenerator ids;
    private final Clock clock;

    OrderStore(RandomGenerator ids, Clock clock) {
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The existing order, or a new one created from {@code request}. */
    SimulatedOrder findOrCreate(String merchantId, String orderId, ObjectNode request) {
        return orders.computeIfAbsent(new Key(merchantId, orderId), key -> new SimulatedOrder(
                merchantId,
                orderId,
                "ordeh_" + random(LOWER_ALNUM, 20),
                "moz" + random(ALNUM, 16),
                merchantId + "-" + orderId + "-1",
                "tkn_" + random(HEX, 21),
                random(HEX, 32),
                clock.instant(),
                RequestValidator.billingCreation(request) != null,
                kept(request)));
    }

    private static ObjectNode kept(ObjectNode request) {
        ObjectNode kept = request.objectNode();
        for (String field : KEPT_FIELDS) {
            JsonNode value = request.get(field);
            if (value != null) {
                kept.set(field, value);
            }
        }
        return kept;
    }

    Optional<SimulatedOrder> find(String merchantId, String orderId) {
        return Optional.ofNullable(orders.get(new Key(merchantId, orderId)));
    }

    List<SimulatedOrder> all() {
        return orders.values().stream()
                .sorted(Comparator.comparing(SimulatedOrder::createdAt).thenComparing(SimulatedOrder::orderId))
                .toList();
    }

    int size() {
        return orders.size();
    }

    void clear() {
        orders.clear();
    }

    private String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(ids.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
