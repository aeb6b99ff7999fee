package io.billingworker.intake;

import io.billingworker.app.DemoSignups;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.mapping.OrderIds;
import io.billingworker.testsupport.WorkerHarness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signups for the lifecycle tests: {@code keys} subscriptions with {@code seqs} events each, whose event id carries
 * the subscription's key number and the event's sequence number within it ({@code evt_<run>_k<key>_s<seq>}), so
 * outcomes can be checked for loss, duplicates and per-key order. Order ids are left to the worker to derive.
 */
final class LifecycleSignups {

    private static final Pattern EVENT_ID = Pattern.compile("evt_[A-Za-z0-9]+_k(\\d+)_s(\\d+)");

    private LifecycleSignups() {
    }

    /** Event {@code seq} (from 1) of subscription {@code key}. */
    static SubscriptionSignup signup(String run, int key, int seq) {
        return DemoSignups.seedShape(subscriptionId(run, key), "evt_" + run + "_k" + key + "_s" + seq, null, null,
                Instant.now());
    }

    static String subscriptionId(String run, int key) {
        return "sub_" + run + "_k" + key;
    }

    /** Every key's first event, then every key's second, and so on: keys interleave as in real traffic. */
    static List<SubscriptionSignup> interleaved(String run, int keys, int fromSeq, int toSeq) {
        List<SubscriptionSignup> signups = new ArrayList<>(keys * (toSeq - fromSeq + 1));
        for (int seq = fromSeq; seq <= toSeq; seq++) {
            for (int key = 1; key <= keys; key++) {
                signups.add(signup(run, key, seq));
            }
        }
        return signups;
    }

    /** The order id the worker derives for a signup without one (the default merchant). */
    static String orderId(SubscriptionSignup signup) {
        return OrderIds.derive(WorkerHarness.MERCHANT, signup.getEventId());
    }

    static String orderId(String eventId) {
        return OrderIds.derive(WorkerHarness.MERCHANT, eventId);
    }

    static int keyOf(String eventId) {
        return Integer.parseInt(parse(eventId).group(1));
    }

    static int seqOf(String eventId) {
        return Integer.parseInt(parse(eventId).group(2));
    }

    private static Matcher parse(String eventId) {
        Matcher matcher = EVENT_ID.matcher(eventId);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a lifecycle event id: " + eventId);
        }
        return matcher;
    }
}
