package io.billingworker.simulator;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Scripted behaviour per order id: each call for the order takes the next step; once the steps run out
 * the last one repeats. Exact order ids win over rules matching many ids, and those over a merchant's
 * script; among rules the first added wins, and each order id matched by a rule or a merchant's script
 * walks the steps on its own.
 */
final class Scripts {

    /** A sequence of steps and how far one order has come through it. */
    private static final class Cursor {
        private final List<Behaviour> steps;
        private final AtomicInteger next = new AtomicInteger();

        Cursor(List<Behaviour> steps) {
            this.steps = steps;
        }

        Behaviour advance() {
            int index = next.getAndUpdate(i -> Math.min(i + 1, steps.size() - 1));
            return steps.get(index);
        }
    }

    private record Rule(Predicate<String> orderIds, List<Behaviour> steps, Map<String, Cursor> cursors) {
    }

    private final Map<String, Cursor> exact = new ConcurrentHashMap<>();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, Rule> byMerchant = new ConcurrentHashMap<>();

    void script(String orderId, Behaviour... steps) {
        Objects.requireNonNull(orderId, "orderId");
        exact.put(orderId, new Cursor(checked(steps)));
    }

    void scriptMatching(Predicate<String> orderIds, Behaviour... steps) {
        Objects.requireNonNull(orderIds, "orderIds");
        rules.add(new Rule(orderIds, checked(steps), new ConcurrentHashMap<>()));
    }

    /** Every order of {@code merchantId} walks {@code steps}; replaces an earlier script for that merchant. */
    void scriptMerchant(String merchantId, Behaviour... steps) {
        Objects.requireNonNull(merchantId, "merchantId");
        byMerchant.put(merchantId, new Rule(orderId -> true, checked(steps), new ConcurrentHashMap<>()));
    }

    /** The scripted behaviour for this call of {@code orderId} by {@code merchantId}, if any script covers it. */
    Optional<Behaviour> next(String merchantId, String orderId) {
        Optional<Behaviour> byOrder = next(orderId);
        if (byOrder.isPresent()) {
            return byOrder;
        }
        Rule merchant = merchantId == null ? null : byMerchant.get(merchantId);
        if (merchant == null) {
            return Optional.empty();
        }
        return Optional.of(merchant.cursors().computeIfAbsent(orderId, id -> new Cursor(merchant.steps())).advance());
    }

    /** The scripted behaviour for this call of {@code orderId}, if an order script covers it. */
    Optional<Behaviour> next(String orderId) {
        Cursor cursor = exact.get(orderId);
        if (cursor != null) {
            return Optional.of(cursor.advance());
        }
        for (Rule rule : rules) {
            if (rule.orderIds().test(orderId)) {
                return Optional.of(rule.cursors().computeIfAbsent(orderId, id -> new Cursor(rule.steps())).advance());
            }
        }
        return Optional.empty();
    }

    void clear() {
        exact.clear();
        rules.clear();
        byMerchant.clear();
    }

    private static List<Behaviour> checked(Behaviour... steps) {
        Objects.requireNonNull(steps, "steps");
        if (steps.length == 0) {
            throw new IllegalArgumentException("a script needs at least one step");
        }
        return List.of(steps);
    }
}
