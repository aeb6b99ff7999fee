package io.billingworker.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.billingworker.app.Worker;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.simulator.Behaviour;
import io.billingworker.simulator.FaultSettings;
import io.billingworker.simulator.LatencyModel;
import io.billingworker.simulator.ReceivedRequest;
import io.billingworker.testsupport.ApicurioRegistry;
import io.billingworker.testsupport.KafkaFixture;
import io.billingworker.testsupport.WorkerProcess;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault isolation: what goes wrong for one merchant or one record stays with it. Each scenario runs the production
 * worker (built by the composition root from config) on the real broker and registry against the simulator, then
 * judges every event id: exactly one outcome, none lost, per-key order kept.
 *
 * <ol>
 *   <li>a merchant whose every call fails does not slow a healthy merchant down, and its records end as dead letters
 *       (held too long, or their attempts spent); a spent attempts budget dead-letters {@code RETRIES_EXHAUSTED}
 *       even while the breaker is open;</li>
 *   <li>signups whose calls always time out are dead-lettered within a bound computed from the settings, while
 *       the rest of their merchant's signups are created and fetching goes on;</li>
 *   <li>a merchant throttled to one call a second does not slow a fast merchant down;</li>
 *   <li>a 429 storm with {@code Retry-After} is waited out without opening the merchant's breaker;</li>
 *   <li>a worker joining and leaving during an API outage loses nothing and dead-letters nothing;</li>
 *   <li>an outcome the created topic refuses as too large is dead-lettered {@code OUTCOME_UNWRITABLE} and the
 *       partition moves on; when the dead-letter topic refuses it too, the worker stops with a non-zero exit.</li>
 * </ol>
 *
 * Throughput comparisons measure the healthy merchant alone and next to the troubled one with the same load and
 * settings (the better of up to two tries each, for a shared 2-core machine), from the created outcomes' decision
 * times over their 10th to 90th percentile; both figures are printed.
 */
class IsolationIT {

    private static final String HELD_TOO_LONG = "HELD_TOO_LONG";
    private static final String RETRIES_EXHAUSTED = "RETRIES_EXHAUSTED";
    private static final String OUTCOME_UNWRITABLE = "OUTCOME_UNWRITABLE";
    private static final String OLDEST_AGE = "billing.records.oldest.age";

    /**
     * Healthy merchant load of a throughput comparison. At 64 in flight and 200 ms per call the healthy merchant's
     * limit is 320 calls a second, set by concurrency rather than by the machine's two cores: a troubled merchant's
     * records that took call slots would show as lost throughput, and a run lasts several seconds.
     */
    private static final int HEALTHY_EVENTS = Integer.getInteger("isolation.healthy-events", 1_500);
    private static final int HEALTHY_KEYS = HEALTHY_EVENTS / 4;
    private static final int IN_FLIGHT = 64;
    private static final Duration LATENCY = Duration.ofMillis(200);
    private static final double REQUIRED_RATIO = 0.9;
    /** Scheduling slack on a shared 2-core machine, added to every computed time bound. */
    private static final Duration SLACK = Duration.ofSeconds(4);

    // ------------------------------------------------------------------ 1. noisy neighbour

    @Test
    void shouldKeepAHealthyMerchantsThroughputNextToAMerchantWhoseEveryCallFails() throws Exception {
        Duration hold = Duration.ofSeconds(10);
        Consumer<IsolationRig> settings = rig -> rig
                .set("processing.max-in-flight", Integer.toString(IN_FLIGHT))
                .set("processing.max-buffered", "10000")
                .set("processing.max-hold-ms", Long.toString(hold.toMillis()))
                .set("retry.max-attempts", "100")
                .set("breaker.window-calls", "10")
                .set("breaker.minimum-calls", "5")
                .set("breaker.failure-rate-percent", "50")
                .set("breaker.open-wait-ms", "1000")
                .set("breaker.half-open-calls", "2");
        int badEvents = 200;

        Comparison comparison = compare("noisy neighbour", () -> run("ng", List.of("m_good", "m_bad"), settings,
                rig -> { }, List.of()), () -> run("nb", List.of("m_good", "m_bad"), settings,
                rig -> rig.simulator().scriptMerchant("m_bad", Behaviour.serverError(503)),
                signups("m_bad", "nbad", badEvents, badEvents)));

        Run next = comparison.nextTo();
        assertOneOutcomePerEvent(next);
        assertThat(next.created("m_good")).hasSize(HEALTHY_EVENTS);
        List<OutcomeLedger.Seen> bad = next.deadLetters("m_bad");
        assertThat(bad).as("m_bad's records, all dead letters").hasSize(badEvents);
        Map<String, Long> reasons = reasons(bad);
        System.out.printf(Locale.ROOT, "ISOLATION noisy neighbour: m_bad dead letters by reason %s; oldest-age gauge "
                + "peaked at %.1f s, %.1f s at the end%n", reasons, next.oldestAgePeak(), next.oldestAgeAtEnd());
        assertThat(reasons.keySet()).isSubsetOf(HELD_TOO_LONG, RETRIES_EXHAUSTED).contains(HELD_TOO_LONG);
        assertHeldForTheHoldBound(next, bad, hold);
        assertThat(bad).filteredOn(seen -> attempts(seen) > 0).as("dead letters after at least one attempt")
                .isNotEmpty().allSatisfy(seen -> assertThat(seen.header(DeadLetterHeaders.HTTP_STATUS) + " "
                        + seen.header(DeadLetterHeaders.EXCEPTION_MESSAGE)).as("last error").contains("503"));
        assertThat(next.oldestAgePeak()).as("oldest record's age while m_bad's records waited")
                .isGreaterThanOrEqualTo(hold.toSeconds() / 2.0);
        assertThat(next.oldestAgeAtEnd()).as("oldest record's age once everything finished").isLessThan(2.0);
        assertThat(next.longestPauseMillis()).as("longest stretch with a paused partition while m_bad's breaker was "
                + "open, ms").isZero();
        comparison.assertRatio();
    }

    @Test
    void shouldDeadLetterRetriesExhaustedOnceTheAttemptsAreSpentWhateverTheBreakerState() throws Exception {
        int attempts = 3;
        try (IsolationRig rig = new IsolationRig(KafkaFixture.shared().bootstrapServers(),
                ApicurioRegistry.shared().url(), 3, List.of("m_down"),
                builder -> builder.latency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(20)))
                        .recordRequests(true))) {
            rig.set("processing.max-hold-ms", "120000")
                    .set("retry.max-attempts", Integer.toString(attempts))
                    .set("breaker.window-calls", "10")
                    .set("breaker.minimum-calls", "5")
                    .set("breaker.failure-rate-percent", "50")
                    .set("breaker.open-wait-ms", "500")
                    .set("breaker.half-open-calls", "5");
            rig.simulator().scriptMerchant("m_down", Behaviour.serverError(503));
            List<SubscriptionSignup> signups = signups("m_down", "bx", 12, 12);
            Worker worker = rig.startWorker();
            List<String> transitions = new CopyOnWriteArrayList<>();
            worker.gateway().addBreakerStateListener((merchant, from, to) -> transitions.add(from + "->" + to));

            rig.publish(signups);
            OutcomeLedger.Snapshot snapshot = awaitOutcomes(rig, signups.size(), Duration.ofSeconds(60));

            Run run = Run.of(snapshot, signups, worker);
            List<OutcomeLedger.Seen> dead = run.deadLetters("m_down");
            System.out.printf(Locale.ROOT, "ISOLATION attempts budget: dead letters by reason %s, breaker %s%n",
                    reasons(dead), transitions);
            assertOneOutcomePerEvent(run);
            assertThat(transitions).as("the breaker opened while the records still had attempts, and went half-open "
                    + "on its own").contains("CLOSED->OPEN", "OPEN->HALF_OPEN");
            assertThat(dead).hasSize(signups.size());
            assertThat(reasons(dead)).containsOnlyKeys(RETRIES_EXHAUSTED);
            for (OutcomeLedger.Seen seen : dead) {
                String orderId = signups.stream().filter(signup -> signup.getEventId().equals(seen.eventId()))
                        .findFirst().orElseThrow().getOrderId();
                assertThat(attempts(seen)).as("attempts of %s", seen.eventId()).isEqualTo(attempts);
                assertThat(rig.simulator().requestsFor(orderId)).as("requests for %s", orderId).hasSize(attempts);
                assertThat(seen.header(DeadLetterHeaders.HTTP_STATUS)).isEqualTo("503");
            }
        }
    }

    // ------------------------------------------------------------------ 2. poison signups

    @Test
    void shouldDeadLetterSignupsWhoseCallsAlwaysTimeOutWithinTheirBoundAndKeepFetching() throws Exception {
        int attempts = 4;
        Duration timeout = Duration.ofMillis(500);
        Duration maxBackoff = Duration.ofMillis(400);
        Duration openWait = Duration.ofSeconds(1);
        Duration hold = Duration.ofSeconds(15);
        Duration computed = timeout.multipliedBy(attempts).plus(maxBackoff.multipliedBy(attempts - 1))
                .plus(openWait.multipliedBy(2));
        Duration bound = (computed.compareTo(hold) < 0 ? computed : hold).plus(SLACK);
        int partitions = 6;
        try (IsolationRig rig = new IsolationRig(KafkaFixture.shared().bootstrapServers(),
                ApicurioRegistry.shared().url(), partitions, List.of("m_one"),
                builder -> builder.latency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(20))))) {
            rig.set("processing.max-in-flight", Integer.toString(IN_FLIGHT))
                    .set("processing.max-hold-ms", Long.toString(hold.toMillis()))
                    .set("juspay.response-timeout-ms", Long.toString(timeout.toMillis()))
                    .set("retry.max-attempts", Integer.toString(attempts))
                    .set("retry.initial-backoff-ms", "100")
                    .set("retry.max-backoff-ms", Long.toString(maxBackoff.toMillis()))
                    .set("breaker.open-wait-ms", Long.toString(openWait.toMillis()));
            rig.simulator().scriptOrdersStartingWith("poison", Behaviour.delayed(Duration.ofSeconds(3),
                    Behaviour.succeed()));
            List<SubscriptionSignup> warmUp = signups("m_one", "pw", 20, 20);
            List<SubscriptionSignup> poison = onePerPartition(rig, partitions);
            List<SubscriptionSignup> first = new ArrayList<>(signups("m_one", "pa", 150, 50));
            for (int i = 0; i < poison.size(); i++) {
                first.add(25 * i + 10, poison.get(i));
            }
            List<SubscriptionSignup> second = signups("m_one", "pb", 150, 50);
            Worker worker = rig.startWorker();
            rig.publish(warmUp);
            awaitOutcomes(rig, warmUp.size(), Duration.ofSeconds(60));

            Instant firstPublished;
            Instant secondPublished;
            OutcomeLedger.Snapshot snapshot;
            try (Sampler paused = new Sampler("paused", 50, () -> worker.intake().pausedPartitions())) {
                firstPublished = Instant.now();
                rig.publish(first);
                Thread.sleep(1_000);
                secondPublished = Instant.now();
                rig.publish(second);
                snapshot = awaitOutcomes(rig, warmUp.size() + first.size() + second.size(), Duration.ofSeconds(90));
                long longestPause = paused.longestPositiveStretchMillis();
                System.out.printf(Locale.ROOT, "ISOLATION poison: bound %d ms (computed %d ms, hold %d ms); longest "
                        + "fetch pause %d ms%n", bound.toMillis(), computed.toMillis(), hold.toMillis(), longestPause);
                assertThat(longestPause).as("longest stretch with a paused partition, ms")
                        .isLessThanOrEqualTo(bound.toMillis());
            }

            Run run = Run.of(snapshot, concat(warmUp, first, second), worker);
            assertOneOutcomePerEvent(run);
            Set<String> poisonIds = poison.stream().map(SubscriptionSignup::getEventId).collect(Collectors.toSet());
            List<OutcomeLedger.Seen> dead = snapshot.all().stream()
                    .filter(seen -> seen.kind() == OutcomeLedger.Kind.DEAD_LETTER).toList();
            assertThat(dead).extracting(OutcomeLedger.Seen::eventId).containsExactlyInAnyOrderElementsOf(poisonIds);
            assertThat(reasons(dead).keySet()).isSubsetOf(RETRIES_EXHAUSTED, HELD_TOO_LONG);
            for (OutcomeLedger.Seen seen : dead) {
                long took = seen.timestamp() - Long.parseLong(seen.header(DeadLetterHeaders.SOURCE_TIMESTAMP));
                System.out.printf(Locale.ROOT, "ISOLATION poison: %s dead-lettered %s after %d ms, %s attempt(s)%n",
                        seen.eventId(), seen.header(DeadLetterHeaders.REASON), took, attempts(seen));
                assertThat(took).as("%s: from publishing to its dead letter, ms", seen.eventId())
                        .isLessThanOrEqualTo(bound.toMillis());
            }
            assertThat(snapshot.events(OutcomeLedger.Kind.CREATED)).isEqualTo(run.events().size() - poison.size());
            long lastSecond = run.created("m_one").stream().filter(seen -> seen.eventId().startsWith("evt-pb-"))
                    .mapToLong(OutcomeLedger.Seen::timestamp).max().orElseThrow();
            assertThat(lastSecond - secondPublished.toEpochMilli())
                    .as("signups published next to the poison ones were all created within the bound, ms")
                    .isLessThanOrEqualTo(bound.toMillis());
            assertThat(firstPublished).isBefore(secondPublished);
        }
    }

    // ------------------------------------------------------------------ 3. throttled merchant

    @Test
    void shouldKeepAFastMerchantsThroughputNextToAThrottledOne() throws Exception {
        Duration hold = Duration.ofSeconds(8);
        Consumer<IsolationRig> settings = rig -> rig
                .set("processing.max-in-flight", Integer.toString(IN_FLIGHT))
                .set("processing.max-buffered", "10000")
                .set("processing.max-hold-ms", Long.toString(hold.toMillis()))
                .set("retry.max-attempts", "100")
                .set("merchants.m_slow.rate-limit-per-second", "1");
        int slowEvents = 30;

        Comparison comparison = compare("throttled merchant", () -> run("tf", List.of("m_fast", "m_slow"), settings,
                rig -> { }, List.of()), () -> run("ts", List.of("m_fast", "m_slow"), settings, rig -> { },
                signups("m_slow", "tslow", slowEvents, slowEvents)));

        Run next = comparison.nextTo();
        assertOneOutcomePerEvent(next);
        assertThat(next.created("m_fast")).hasSize(HEALTHY_EVENTS);
        List<OutcomeLedger.Seen> slowCreated = next.created("m_slow");
        List<OutcomeLedger.Seen> slowDead = next.deadLetters("m_slow");
        System.out.printf(Locale.ROOT, "ISOLATION throttled merchant: m_slow %d created, dead letters by reason %s%n",
                slowCreated.size(), reasons(slowDead));
        assertThat(slowCreated.size() + slowDead.size()).isEqualTo(slowEvents);
        assertThat(reasons(slowDead).keySet()).isSubsetOf(HELD_TOO_LONG);
        assertThat(slowCreated.size()).as("m_slow's records created at one call a second within the hold")
                .isGreaterThanOrEqualTo(3);
        assertHeldForTheHoldBound(next, slowDead, hold);
        comparison.assertRatio();
    }

    // ------------------------------------------------------------------ 4. 429 storm

    @Test
    void shouldWaitOutA429StormWithoutOpeningTheBreaker() throws Exception {
        LatencyModel latency = LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(20));
        Duration storm = Duration.ofSeconds(5);
        try (IsolationRig rig = new IsolationRig(KafkaFixture.shared().bootstrapServers(),
                ApicurioRegistry.shared().url(), 6, List.of("m_busy"),
                builder -> builder.latency(latency).recordRequests(true))) {
            rig.set("processing.max-in-flight", Integer.toString(IN_FLIGHT))
                    .set("processing.max-hold-ms", "60000")
                    .set("retry.max-attempts", "30")
                    .set("retry.max-backoff-ms", "2000")
                    .set("breaker.window-calls", "20")
                    .set("breaker.minimum-calls", "10")
                    .set("breaker.failure-rate-percent", "50")
                    .set("breaker.open-wait-ms", "1000")
                    .set("breaker.half-open-calls", "2");
            Worker worker = rig.startWorker();
            List<String> transitions = new CopyOnWriteArrayList<>();
            worker.gateway().addBreakerStateListener((merchant, from, to) -> transitions.add(merchant + " " + from
                    + " -> " + to));
            List<SubscriptionSignup> signups = signups("m_busy", "st", 300, 100);
            await().atMost(Duration.ofSeconds(60)).until(() -> assigned(rig) == 6);

            rig.simulator().rate429(1.0, Duration.ofSeconds(1));
            rig.publish(signups);
            Thread.sleep(storm.toMillis());
            Instant stormEnded = Instant.now();
            rig.simulator().faults(FaultSettings.NONE.withLatency(latency));
            OutcomeLedger.Snapshot snapshot = awaitOutcomes(rig, signups.size(), Duration.ofSeconds(90));

            Run run = Run.of(snapshot, signups, worker);
            long answered429 = rig.simulator().responses(429);
            long tooSoon = retriesSoonerThanRetryAfter(rig.simulator().requests(), stormEnded);
            long merchantTooSoon = merchantCallsInsideRetryAfter(rig.simulator().requests(), stormEnded);
            System.out.printf(Locale.ROOT, "ISOLATION 429 storm: %d answers 429, %d requests in all, attempts by "
                    + "status class %s, breaker transitions %s, retries sooner than Retry-After %d (per order), %d (any "
                    + "call of the merchant)%n", answered429, rig.simulator().requestsReceived(),
                    attemptsByStatusClass(rig, worker), transitions, tooSoon, merchantTooSoon);
            assertOneOutcomePerEvent(run);
            assertThat(run.created("m_busy")).hasSize(signups.size());
            assertThat(answered429).as("answers 429 during the storm").isPositive();
            assertThat(run.created("m_busy")).anySatisfy(seen -> assertThat(seen.created().getAttempts())
                    .isGreaterThanOrEqualTo(2));
            assertThat(transitions).as("breaker transitions").isEmpty();
            assertThat(worker.gateway().breakerStates()).containsEntry("m_busy", State.CLOSED);
            assertThat(tooSoon).as("retries of an order sooner than the Retry-After of its 429").isZero();
        }
    }

    // ------------------------------------------------------------------ 5. rebalance during an outage

    @Test
    void shouldLoseAndDeadLetterNothingWhenAWorkerJoinsAndLeavesDuringAnOutage() throws Exception {
        try (IsolationRig rig = new IsolationRig(KafkaFixture.shared().bootstrapServers(),
                ApicurioRegistry.shared().url(), 6, List.of("m_down"),
                builder -> builder.latency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(30))))) {
            rig.set("processing.max-in-flight", Integer.toString(IN_FLIGHT))
                    .set("processing.max-hold-ms", "120000")
                    .set("retry.max-attempts", "100")
                    .set("breaker.window-calls", "10")
                    .set("breaker.minimum-calls", "5")
                    .set("breaker.open-wait-ms", "1000")
                    .set("breaker.half-open-calls", "2")
                    .set("processing.rebalance-drain-ms", "2000")
                    .set("processing.shutdown-grace-ms", "3000");
            List<SubscriptionSignup> signups = signups("m_down", "ro", 300, 100);
            rig.simulator().outage(true);
            Worker first = rig.startWorker();
            List<String> transitions = new CopyOnWriteArrayList<>();
            first.gateway().addBreakerStateListener((merchant, from, to) -> transitions.add(from + "->" + to));
            rig.publish(signups);
            await().atMost(Duration.ofSeconds(60)).until(() -> !transitions.isEmpty());

            Worker second = rig.startWorker();
            await().atMost(Duration.ofSeconds(60)).until(() -> sharedByTwo(rig.groupAssignment()));
            Map<String, List<Integer>> shared = rig.groupAssignment();
            Thread.sleep(2_000);
            long closing = System.nanoTime();
            second.close();
            long closeMillis = (System.nanoTime() - closing) / 1_000_000;
            await().atMost(Duration.ofSeconds(60)).until(() -> heldByOne(rig.groupAssignment()));
            Thread.sleep(1_000);
            rig.simulator().outage(false);
            OutcomeLedger.Snapshot snapshot = awaitOutcomes(rig, signups.size(), Duration.ofSeconds(120));

            Run run = Run.of(snapshot, signups, first);
            System.out.printf(Locale.ROOT, "ISOLATION rebalance during outage: shared as %s, second worker closed in "
                    + "%d ms, first worker's breaker %s; %d created, %d dead letters, %d requests%n", shared.values(),
                    closeMillis, transitions, snapshot.events(OutcomeLedger.Kind.CREATED),
                    snapshot.events(OutcomeLedger.Kind.DEAD_LETTER), rig.simulator().requestsReceived());
            assertOneOutcomePerEvent(run);
            assertThat(run.created("m_down")).hasSize(signups.size());
            assertThat(rig.simulator().ordersCreated()).isEqualTo(signups.size());
        }
    }

    /**
     * Stopping a worker whose records are held (the API is down) takes {@code processing.shutdown-grace-ms}, once:
     * the held records are interrupted at the end of the grace and processed again by the next owner.
     */
    @Test
    void shouldStopWithinTheShutdownGraceWhileRecordsAreHeld() throws Exception {
        Duration grace = Duration.ofSeconds(3);
        try (IsolationRig rig = new IsolationRig(KafkaFixture.shared().bootstrapServers(),
                ApicurioRegistry.shared().url(), 3, List.of("m_down"),
                builder -> builder.latency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(20))))) {
            rig.set("processing.max-hold-ms", "120000")
                    .set("retry.max-attempts", "100")
                    .set("breaker.window-calls", "10")
                    .set("breaker.minimum-calls", "5")
                    .set("breaker.open-wait-ms", "1000")
                    .set("processing.rebalance-drain-ms", "2000")
                    .set("processing.shutdown-grace-ms", Long.toString(grace.toMillis()));
            rig.simulator().outage(true);
            Worker worker = rig.startWorker();
            List<String> transitions = new CopyOnWriteArrayList<>();
            worker.gateway().addBreakerStateListener((merchant, from, to) -> transitions.add(from + "->" + to));
            rig.publish(signups("m_down", "sg", 60, 60));
            await().atMost(Duration.ofSeconds(60)).until(() -> !transitions.isEmpty());

            long closing = System.nanoTime();
            worker.close();
            long closeMillis = (System.nanoTime() - closing) / 1_000_000;

            System.out.printf(Locale.ROOT, "ISOLATION stop while held: closed in %d ms (shutdown grace %d ms)%n",
                    closeMillis, grace.toMillis());
            assertThat(closeMillis).as("time to stop, ms").isLessThan(grace.plusSeconds(2).toMillis());
        }
    }

    // ------------------------------------------------------------------ 6. unwritable outcome

    @Test
    void shouldDeadLetterAnOutcomeTheCreatedTopicRefusesAndMoveThePartitionOn() throws Exception {
        try (IsolationRig rig = new IsolationRig(KafkaFixture.shared().bootstrapServers(),
                ApicurioRegistry.shared().url(), 3, List.of("m_big"),
                builder -> builder.latency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(20))))) {
            rig.topicConfig(rig.topics().created(), "max.message.bytes", Integer.toString(64 * 1024));
            rig.set("processing.max-in-flight", Integer.toString(IN_FLIGHT));
            rig.simulator().scriptOrdersStartingWith("huge", Behaviour.succeedPadded(200_000));
            List<SubscriptionSignup> signups = new ArrayList<>(signups("m_big", "uw", 150, 50));
            List<SubscriptionSignup> huge = List.of(
                    IsolationRig.signup("m_big", "uwh-k0", "evt-uwh-0", "huge-0"),
                    IsolationRig.signup("m_big", "uwh-k1", "evt-uwh-1", "huge-1"),
                    IsolationRig.signup("m_big", "uwh-k2", "evt-uwh-2", "huge-2"));
            for (int i = 0; i < huge.size(); i++) {
                signups.add(40 * i + 20, huge.get(i));
            }
            Worker worker = rig.startWorker();
            rig.publish(signups);
            OutcomeLedger.Snapshot snapshot = awaitOutcomes(rig, signups.size(), Duration.ofSeconds(60));
            Map<Integer, Long> ends = rig.endOffsets();
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.committedOffsets().equals(ends));

            Run run = Run.of(snapshot, signups, worker);
            List<OutcomeLedger.Seen> dead = run.deadLetters("m_big");
            System.out.printf(Locale.ROOT, "ISOLATION unwritable outcome: %d created, dead letters %s, committed %s%n",
                    run.created("m_big").size(), reasons(dead), rig.committedOffsets());
            assertOneOutcomePerEvent(run);
            assertThat(dead).extracting(OutcomeLedger.Seen::eventId)
                    .containsExactlyInAnyOrder("evt-uwh-0", "evt-uwh-1", "evt-uwh-2");
            assertThat(reasons(dead)).containsOnlyKeys(OUTCOME_UNWRITABLE);
            assertThat(run.created("m_big")).hasSize(signups.size() - huge.size());
        }
    }

    @Test
    void shouldStopWithANonZeroExitWhenNeitherTheCreatedNorTheDeadLetterTopicTakesAnOutcome(@TempDir Path directory)
            throws Exception {
        try (IsolationRig rig = new IsolationRig(KafkaFixture.shared().bootstrapServers(),
                ApicurioRegistry.shared().url(), 1, List.of("m_big"),
                builder -> builder.latency(LatencyModel.uniform(Duration.ofMillis(5), Duration.ofMillis(20))))) {
            rig.topicConfig(rig.topics().created(), "max.message.bytes", Integer.toString(64 * 1024));
            rig.topicConfig(rig.topics().deadLetter(), "max.message.bytes", "64");
            rig.simulator().scriptOrdersStartingWith("huge", Behaviour.succeedPadded(200_000));
            List<SubscriptionSignup> before = signups("m_big", "ux", 10, 10);
            SubscriptionSignup huge = IsolationRig.signup("m_big", "uxh-k0", "evt-uxh-0", "huge-x");
            WorkerProcess process = rig.startProcess(directory);
            List<RecordMetadata> landed = rig.publish(concat(before, List.of(huge)));
            long hugeOffset = landed.getLast().offset();

            int exit = process.awaitExit(Duration.ofSeconds(90));

            String output = Files.readString(process.outputFile());
            System.out.printf(Locale.ROOT, "ISOLATION unwritable everywhere: exit %d; last lines:%n%s%n", exit,
                    process.outputTail());
            assertThat(exit).as("exit status").isNotZero();
            assertThat(output).as("the worker names the topic that refused the dead letter")
                    .contains(rig.topics().deadLetter());
            assertThat(rig.committedOffsets().getOrDefault(0, 0L)).as("committed position of the partition")
                    .isLessThanOrEqualTo(hugeOffset);
        }
    }

    // ------------------------------------------------------------------ runs and comparisons

    /** What one run left behind, and the readings taken while it ran. */
    private record Run(OutcomeLedger.Snapshot snapshot, List<SubscriptionSignup> signups, boolean healthy,
            Instant workerStarted, double oldestAgePeak, double oldestAgeAtEnd, long longestPauseMillis) {

        /** A run judged by its outcomes and its worker's health only. */
        static Run of(OutcomeLedger.Snapshot snapshot, List<SubscriptionSignup> signups, Worker worker) {
            return new Run(snapshot, signups, worker.intake().failure() == null && worker.intake().isRunning(),
                    Instant.EPOCH, Double.NaN, Double.NaN, 0);
        }

        List<String> events() {
            return signups.stream().map(SubscriptionSignup::getEventId).toList();
        }

        List<OutcomeLedger.Seen> created(String merchant) {
            return snapshot.all().stream().filter(seen -> seen.kind() == OutcomeLedger.Kind.CREATED
                    && merchant.equals(seen.created().getMerchantId())).toList();
        }

        List<OutcomeLedger.Seen> deadLetters(String merchant) {
            Set<String> ofMerchant = signups.stream().filter(signup -> merchant.equals(signup.getMerchantId()))
                    .map(SubscriptionSignup::getEventId).collect(Collectors.toSet());
            return snapshot.all().stream().filter(seen -> seen.kind() == OutcomeLedger.Kind.DEAD_LETTER
                    && ofMerchant.contains(seen.eventId())).toList();
        }

        /** Created outcomes per second of {@code merchant} over its 10th to 90th percentile of decision times. */
        double throughput(String merchant) {
            List<Long> times = created(merchant).stream().map(OutcomeLedger.Seen::timestamp).sorted().toList();
            if (times.size() < 10) {
                return 0;
            }
            int low = times.size() / 10;
            int high = times.size() * 9 / 10;
            long span = times.get(high) - times.get(low);
            return (high - low) * 1000.0 / Math.max(1, span);
        }
    }

    @FunctionalInterface
    private interface RunSupplier {
        Run run() throws Exception;
    }

    /** The healthy merchant measured alone and next to the troubled one: the better of up to two tries each. */
    private record Comparison(String scenario, String healthy, double solo, double nextToFigure, Run nextTo) {

        void assertRatio() {
            assertThat(nextToFigure).as("%s: %s's throughput next to the troubled merchant (%.0f/s) against alone "
                    + "(%.0f/s)", scenario, healthy, nextToFigure, solo).isGreaterThanOrEqualTo(REQUIRED_RATIO * solo);
        }
    }

    private static Comparison compare(String scenario, RunSupplier alone, RunSupplier nextTo) throws Exception {
        String healthy = scenario.startsWith("noisy") ? "m_good" : "m_fast";
        double solo = 0;
        double next = 0;
        Run kept = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            // The second try runs the two the other way round, so neither side always runs on a warmer JVM.
            Run soloRun = attempt == 1 ? alone.run() : null;
            Run nextRun = nextTo.run();
            if (soloRun == null) {
                soloRun = alone.run();
            }
            assertOneOutcomePerEvent(soloRun);
            double soloFigure = soloRun.throughput(healthy);
            double nextFigure = nextRun.throughput(healthy);
            System.out.printf(Locale.ROOT, "ISOLATION %s, try %d: %s alone %.0f/s, next to the troubled merchant "
                    + "%.0f/s (ratio %.2f)%n", scenario, attempt, healthy, soloFigure, nextFigure,
                    nextFigure / soloFigure);
            solo = Math.max(solo, soloFigure);
            if (kept == null || nextFigure > next) {
                next = nextFigure;
                kept = nextRun;
            }
            if (next >= REQUIRED_RATIO * solo) {
                break;
            }
        }
        System.out.printf(Locale.ROOT, "ISOLATION %s: %s alone %.0f/s, next to the troubled merchant %.0f/s "
                + "(ratio %.2f, required %.2f)%n", scenario, healthy, solo, next, next / solo, REQUIRED_RATIO);
        return new Comparison(scenario, healthy, solo, next, kept);
    }

    /**
     * Publishes the troubled merchant's records (if any) and then the healthy merchant's backlog, starts a worker,
     * and waits until every record has an outcome, sampling the oldest-record-age gauge meanwhile.
     */
    private static Run run(String prefix, List<String> merchants, Consumer<IsolationRig> settings,
            Consumer<IsolationRig> faults, List<SubscriptionSignup> troubled) throws Exception {
        try (IsolationRig rig = new IsolationRig(KafkaFixture.shared().bootstrapServers(),
                ApicurioRegistry.shared().url(), 6, merchants,
                builder -> builder.latency(LatencyModel.fixed(LATENCY)))) {
            settings.accept(rig);
            faults.accept(rig);
            List<SubscriptionSignup> all = concat(troubled, signups(merchants.getFirst(), prefix, HEALTHY_EVENTS,
                    HEALTHY_KEYS));
            rig.publish(all);
            Instant started = Instant.now();
            Worker worker = rig.startWorker();
            OutcomeLedger.Snapshot snapshot;
            double peak;
            long longestPause;
            try (Sampler oldest = new Sampler("oldest-age", 100, () -> rig.gauge(worker, OLDEST_AGE));
                    Sampler paused = new Sampler("paused", 50, () -> worker.intake().pausedPartitions())) {
                snapshot = awaitOutcomes(rig, all.size(), Duration.ofSeconds(120));
                peak = oldest.max();
                longestPause = paused.longestPositiveStretchMillis();
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !(rig.gauge(worker, OLDEST_AGE) >= 2.0));
            double end = rig.gauge(worker, OLDEST_AGE);
            return new Run(snapshot, all, worker.intake().failure() == null && worker.intake().isRunning(), started,
                    peak, end, longestPause);
        }
    }

    private static OutcomeLedger.Snapshot awaitOutcomes(IsolationRig rig, int events, Duration timeout) {
        try (OutcomeLedger ledger = rig.ledger()) {
            return ledger.await(events, timeout, Duration.ofSeconds(2));
        }
    }

    // ------------------------------------------------------------------ assertions

    /** Every event has exactly one outcome, none is lost, each key's sessions were created in order. */
    private static void assertOneOutcomePerEvent(Run run) {
        Map<String, Integer> sequence = new HashMap<>();
        Map<String, Integer> perKey = new HashMap<>();
        for (SubscriptionSignup signup : run.signups()) {
            sequence.put(signup.getEventId(), perKey.merge(signup.getSubscriptionId(), 1, Integer::sum));
        }
        OutcomeLedger.Snapshot snapshot = run.snapshot();
        assertThat(snapshot.lost(run.events())).as("events without an outcome").isEmpty();
        assertThat(snapshot.duplicates()).as("outcomes beyond one per event").isZero();
        assertThat(snapshot.mixedKinds()).as("events with more than one outcome kind").isEmpty();
        assertThat(snapshot.outOfOrderKeys(sequence)).as("keys whose sessions were created out of order").isEmpty();
        assertThat(snapshot.byEvent().keySet()).as("outcomes of events never published")
                .isSubsetOf(Set.copyOf(run.events()));
        assertThat(run.healthy()).as("worker running without a failure").isTrue();
    }

    /**
     * Each record dead-lettered {@code HELD_TOO_LONG} was dead-lettered no sooner than the hold after the worker
     * started (it cannot have started processing before), and not much later than that plus the worker's start-up.
     */
    private static void assertHeldForTheHoldBound(Run run, List<OutcomeLedger.Seen> deadLetters, Duration hold) {
        long earliest = run.workerStarted().toEpochMilli() + hold.toMillis();
        long latest = earliest + SLACK.toMillis() + Duration.ofSeconds(6).toMillis();
        java.util.LongSummaryStatistics after = deadLetters.stream()
                .filter(seen -> HELD_TOO_LONG.equals(seen.header(DeadLetterHeaders.REASON)))
                .mapToLong(seen -> seen.timestamp() - run.workerStarted().toEpochMilli()).summaryStatistics();
        System.out.printf(Locale.ROOT, "ISOLATION %d HELD_TOO_LONG dead letters, %d to %d ms after the worker started "
                + "(hold %d ms)%n", after.getCount(), after.getMin(), after.getMax(), hold.toMillis());
        assertThat(deadLetters).filteredOn(seen -> HELD_TOO_LONG.equals(seen.header(DeadLetterHeaders.REASON)))
                .allSatisfy(seen -> assertThat(seen.timestamp()).as("%s dead-lettered at", seen.eventId())
                        .isBetween(earliest, latest));
    }

    /** The worker's {@code /session} attempts by {@code status_class} (2xx, 4xx, 5xx, timeout, io). */
    private static Map<String, Long> attemptsByStatusClass(IsolationRig rig, Worker worker) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        rig.meters(worker).find("juspay.session.call").timers().forEach(timer -> counts.merge(
                String.valueOf(timer.getId().getTag("status_class")), timer.count(), Long::sum));
        return counts;
    }

    private static Map<String, Long> reasons(List<OutcomeLedger.Seen> deadLetters) {
        return deadLetters.stream().collect(Collectors.groupingBy(seen -> String.valueOf(
                seen.header(DeadLetterHeaders.REASON)), java.util.TreeMap::new, Collectors.counting()));
    }

    private static int attempts(OutcomeLedger.Seen deadLetter) {
        String attempts = deadLetter.header(DeadLetterHeaders.ATTEMPTS);
        return attempts == null ? 0 : Integer.parseInt(attempts);
    }

    /**
     * Consecutive requests for one order where the first was received during the storm (so it was answered 429 with
     * {@code Retry-After: 1}) and the next came less than 950 ms later.
     */
    private static long retriesSoonerThanRetryAfter(List<ReceivedRequest> requests, Instant stormEnded) {
        Map<String, List<Instant>> byOrder = new HashMap<>();
        for (ReceivedRequest request : requests) {
            String orderId = request.body().path("order_id").asText();
            byOrder.computeIfAbsent(orderId, id -> new ArrayList<>()).add(request.receivedAt());
        }
        long tooSoon = 0;
        Instant surelyStorm = stormEnded.minusMillis(100);
        for (List<Instant> times : byOrder.values()) {
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i - 1).isBefore(surelyStorm)
                        && Duration.between(times.get(i - 1), times.get(i)).toMillis() < 950) {
                    tooSoon++;
                }
            }
        }
        return tooSoon;
    }

    /**
     * Requests of the merchant received 100 to 900 ms after an earlier storm request (answered 429 within 20 ms):
     * calls the merchant started while it should have been waiting for that {@code Retry-After}.
     */
    private static long merchantCallsInsideRetryAfter(List<ReceivedRequest> requests, Instant stormEnded) {
        List<Instant> times = requests.stream().map(ReceivedRequest::receivedAt).sorted().toList();
        Instant surelyStorm = stormEnded.minusMillis(100);
        long inside = 0;
        Instant first429 = null;
        for (Instant at : times) {
            if (first429 != null && at.isAfter(first429.plusMillis(100)) && at.isBefore(first429.plusMillis(900))) {
                inside++;
            }
            if (at.isBefore(surelyStorm) && (first429 == null || at.isAfter(first429.plusMillis(900)))) {
                first429 = at;
            }
        }
        return inside;
    }

    // ------------------------------------------------------------------ signups and group

    /** {@code count} signups of {@code merchant} over {@code keys} keys, order ids {@code <prefix>-<n>}. */
    private static List<SubscriptionSignup> signups(String merchant, String prefix, int count, int keys) {
        List<SubscriptionSignup> signups = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            signups.add(IsolationRig.signup(merchant, prefix + "-k" + (i % keys), "evt-" + prefix + "-" + i,
                    prefix + "-" + i));
        }
        return signups;
    }

    /** One poison signup (order id {@code poison-<partition>}) for each input partition. */
    private static List<SubscriptionSignup> onePerPartition(IsolationRig rig, int partitions) {
        Map<Integer, SubscriptionSignup> byPartition = new java.util.TreeMap<>();
        for (int n = 0; byPartition.size() < partitions; n++) {
            String key = "pz-k" + n;
            int partition = rig.partitionOf(key);
            if (!byPartition.containsKey(partition)) {
                byPartition.put(partition, IsolationRig.signup("m_one", key, "evt-pz-" + partition,
                        "poison-" + partition));
            }
        }
        return List.copyOf(byPartition.values());
    }

    @SafeVarargs
    private static List<SubscriptionSignup> concat(List<SubscriptionSignup>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    private static int assigned(IsolationRig rig) {
        return rig.groupAssignment().values().stream().mapToInt(List::size).sum();
    }

    private static boolean sharedByTwo(Map<String, List<Integer>> assignment) {
        return assignment.size() == 2 && assignment.values().stream().noneMatch(List::isEmpty);
    }

    private static boolean heldByOne(Map<String, List<Integer>> assignment) {
        return assignment.size() == 1 && assignment.values().iterator().next().size() == 6;
    }
}
