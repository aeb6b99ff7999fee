package io.billingworker.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a benchmark run measures and for how long: the points (scenario plus extra measurements made with the same
 * worker process) and the sizes of each phase.
 *
 * @param name               {@code quick} or {@code full}
 * @param points             the scenarios, in run order
 * @param measureSeconds     target length of a throughput measurement (the event count follows from the limit)
 * @param minEvents          fewest events in a throughput measurement
 * @param maxEvents          most events in a throughput measurement
 * @param fixedEvents        when positive, every worker point uses exactly this many events
 * @param fixedNaiveEvents   when positive, every naive point uses exactly this many events
 * @param warmupSeconds      length of the warm-up before each measurement (JIT, connections, group join)
 * @param latencySeconds     length of each open-loop latency measurement
 * @param outageSeconds      length of the simulated outage
 * @param outageLeadSeconds  steady open-loop input before the outage starts
 */
record Profile(String name, List<Point> points, double measureSeconds, int minEvents, int maxEvents, int fixedEvents,
        int fixedNaiveEvents, double warmupSeconds, double latencySeconds, int outageSeconds,
        double outageLeadSeconds) {

    /** Extra measurements made after a point's throughput measurement, on the same warm worker. */
    enum Extra {
        /** End-to-end latency under open-loop input at 50% and 80% of the measured maximum. */
        LATENCY,
        /** Drain time after a simulated outage, open-loop input at 50% of the maximum. */
        OUTAGE,
        /** Heap after a full GC and RSS with (up to) 1,000 records in flight. */
        MEMORY
    }

    /** A scenario and its extra measurements. */
    record Point(Scenario scenario, Set<Extra> extras) {
        Point {
            extras = extras.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(extras));
        }
    }

    /** Seconds, not minutes: one small point of each kind, enough to prove the harness end to end. */
    static Profile quick() {
        List<Point> points = List.of(
                new Point(Scenario.worker(false, 64, 50, 12, 1_000),
                        EnumSet.of(Extra.LATENCY, Extra.OUTAGE, Extra.MEMORY)),
                new Point(Scenario.worker(true, 64, 50, 12, 1_000), Set.of()),
                new Point(Scenario.naive(50, 12, 1_000), Set.of()));
        return new Profile("quick", points, 2, 2_000, 2_000, 2_000, 400, 1, 2, 2, 1);
    }

    /**
     * The sweep; about 16 minutes on a 2-core machine. Points compared with each other run next to each
     * other (at-least-once and exactly-once at the same C and L, P = 1 and P = 12), so that a shared machine's load,
     * which drifts over minutes, weighs on both sides of a ratio alike.
     */
    static Profile full() {
        List<Point> points = new ArrayList<>();
        for (int latency : new int[] {50, 200}) {
            for (int concurrency : new int[] {64, 256, 1024}) {
                boolean reference = latency == 200 && concurrency == 256;
                if (reference) {
                    points.add(new Point(Scenario.worker(false, 256, 200, 1, 10_000), Set.of()));
                }
                Set<Extra> extras = EnumSet.noneOf(Extra.class);
                if (reference) {
                    extras = EnumSet.of(Extra.LATENCY, Extra.OUTAGE);
                }
                if (latency == 200 && concurrency == 1024) {
                    extras = EnumSet.of(Extra.MEMORY);
                }
                points.add(new Point(Scenario.worker(false, concurrency, latency, 12, 10_000), extras));
                points.add(new Point(Scenario.worker(true, concurrency, latency, 12, 10_000), Set.of()));
                if (concurrency == 256) {
                    points.add(new Point(Scenario.naive(latency, 12, 10_000), Set.of()));
                }
            }
        }
        points.add(new Point(Scenario.worker(false, 256, 200, 12, 10), Set.of()));
        points.add(new Point(Scenario.worker(false, 256, 200, 1, 10), Set.of()));
        return new Profile("full", points, 20, 1_000, 120_000, 0, 0, 10, 30, 60, 10);
    }

    /**
     * Only the given points, sized like the full sweep (no extra measurements), e.g. to profile one configuration.
     *
     * @param specs points as {@code C=256,L=200,P=12,K=10000[,EOS][,latency][,outage][,memory]} or
     *              {@code naive,L=200,P=12,K=10000}
     */
    static Profile custom(List<String> specs, double measureSeconds) {
        List<Point> points = specs.stream().map(Profile::parse).toList();
        return new Profile("custom", points, measureSeconds, 1_000, 1_000_000, 0, 0, 10, measureSeconds, 60, 10);
    }

    static Point parse(String spec) {
        Map<String, Integer> values = new HashMap<>(Map.of("C", 256, "L", 200, "P", 12, "K", 10_000));
        boolean naive = false;
        boolean exactlyOnce = false;
        Set<Extra> extras = EnumSet.noneOf(Extra.class);
        for (String token : spec.split(",")) {
            String part = token.strip();
            Extra extra = Arrays.stream(Extra.values()).filter(e -> e.name().equalsIgnoreCase(part)).findFirst()
                    .orElse(null);
            if (extra != null) {
                extras.add(extra);
            } else if (part.equalsIgnoreCase("naive")) {
                naive = true;
            } else if (part.equalsIgnoreCase("eos")) {
                exactlyOnce = true;
            } else if (!part.equalsIgnoreCase("alo")) {
                String[] pair = part.split("=", 2);
                String key = pair[0].strip().toUpperCase(Locale.ROOT);
                if (pair.length != 2 || !values.containsKey(key)) {
                    throw new IllegalArgumentException("cannot read '" + part + "' in point '" + spec
                            + "': expected C=, L=, P=, K=, EOS, naive, latency, outage or memory");
                }
                try {
                    values.put(key, Integer.parseInt(pair[1].strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + part + "' in point '" + spec + "' is not a number");
                }
            }
        }
        Scenario scenario = naive
                ? Scenario.naive(values.get("L"), values.get("P"), values.get("K"))
                : Scenario.worker(exactlyOnce, values.get("C"), values.get("L"), values.get("P"), values.get("K"));
        return new Point(scenario, extras);
    }

    /** Events of the throughput measurement of {@code scenario}. */
    int events(Scenario scenario) {
        if (scenario.isNaive() && fixedNaiveEvents > 0) {
            return fixedNaiveEvents;
        }
        if (!scenario.isNaive() && fixedEvents > 0) {
            return fixedEvents;
        }
        long events = Math.round(scenario.nominalLimit() * measureSeconds);
        return (int) Math.max(minEvents, Math.min(maxEvents, events));
    }

    /** Events of the warm-up before the measurement of {@code scenario}. */
    int warmupEvents(Scenario scenario) {
        long events = Math.round(scenario.nominalLimit() * warmupSeconds);
        return (int) Math.max(100, Math.min(20_000, events));
    }
}
