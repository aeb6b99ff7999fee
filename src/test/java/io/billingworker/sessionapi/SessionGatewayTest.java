package io.billingworker.sessionapi;

import io.billingworker.testsupport.MutableClock;
import static io.billingworker.sessionapi.Fixtures.badRequest;
import static io.billingworker.sessionapi.Fixtures.connectionRefused;
import static io.billingworker.sessionapi.Fixtures.created;
import static io.billingworker.sessionapi.Fixtures.credentials;
import static io.billingworker.sessionapi.Fixtures.request;
import static io.billingworker.sessionapi.Fixtures.serverError;
import static io.billingworker.sessionapi.Fixtures.tooManyRequests;
import static io.billingworker.sessionapi.Fixtures.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionGatewayTest {

    private static final String MERCHANT = "mandate_juspay";

    private final MutableClock clock = new MutableClock(Instant.parse("2025-11-23T10:00:00Z"));
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final ScriptedSessionApi api = new ScriptedSessionApi();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void shouldRetryThenSucceedCountingAttempts() throws Exception {
        api.then(serverError(500)).then(serverError(503)).then(created("ord_1"));
        SessionGateway gateway = gateway(ResilienceSettings.builder());

        SessionCallResult result = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(result).isEqualTo(new SessionCallResult.Created(created("ord_1").response(), 3));
        assertThat(api.calls()).isEqualTo(3);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void shouldDeadLetterWithLastStatusWhenRetriesAreExhausted() throws Exception {
        api.then(serverError(500)).then(serverError(502)).then(serverError(503));
        SessionGateway gateway = gateway(ResilienceSettings.builder().maxAttempts(3));

        SessionCallResult result = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(result).isEqualTo(new SessionCallResult.DeadLetter(DeadLetterReason.RETRIES_EXHAUSTED, 503, null,
                "HTTP 503 status=error error_code=Internal server Error", 3));
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void shouldDeadLetterWithExceptionClassWhenConnectionFailuresExhaustRetries() throws Exception {
        api.then(connectionRefused());
        SessionGateway gateway = gateway(ResilienceSettings.builder().maxAttempts(2));

        SessionCallResult result = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(result).isEqualTo(new SessionCallResult.DeadLetter(DeadLetterReason.RETRIES_EXHAUSTED, null,
                "org.apache.hc.client5.http.HttpHostConnectException",
                "POST /session failed: HttpHostConnectException: Connect to http://127.0.0.1:1 failed", 2));
    }

    @Test
    void shouldRetryAnInvalid2xxAndDeadLetterItAsInvalidResponseWhenTheBudgetIsSpent() throws Exception {
        HttpResult.Retryable invalid = new HttpResult.Retryable(FailureKind.INVALID_RESPONSE, 200, null, null, null,
                "HTTP 200 with an invalid session response: status is missing; content type application/json");
        api.then(invalid);
        SessionGateway gateway = gateway(ResilienceSettings.builder().maxAttempts(3));

        SessionCallResult result = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(result).isEqualTo(new SessionCallResult.DeadLetter(DeadLetterReason.INVALID_RESPONSE, 200, null,
                invalid.message(), 3));
        assertThat(api.calls()).isEqualTo(3);
    }

    @Test
    void shouldCountAnInvalid2xxAsABreakerFailure() throws Exception {
        api.then(new HttpResult.Retryable(FailureKind.INVALID_RESPONSE, 200, null, null, null, "invalid"));
        SessionGateway gateway = gateway(ResilienceSettings.builder().maxAttempts(1).breakerMinimumCalls(2)
                .breakerSlidingWindowSize(2));

        gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));
        gateway.call(request(MERCHANT, "ord_2"), credentials(MERCHANT));

        assertThat(gateway.breakerStates()).isEqualTo(Map.of(MERCHANT, State.OPEN));
    }

    @Test
    void shouldNameTheLastFailureWhenAnInvalid2xxIsFollowedByA5xx() throws Exception {
        api.then(new HttpResult.Retryable(FailureKind.INVALID_RESPONSE, 200, null, null, null, "invalid"))
                .then(serverError(503));
        SessionGateway gateway = gateway(ResilienceSettings.builder().maxAttempts(2));

        SessionCallResult result = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(result).isInstanceOfSatisfying(SessionCallResult.DeadLetter.class,
                dead -> assertThat(dead.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED));
    }

    @Test
    void shouldDeadLetterARedirectAfterOneAttemptAndCountItAsABreakerFailure() throws Exception {
        HttpResult.Redirect redirect = new HttpResult.Redirect(302, "https://elsewhere.example/session",
                "HTTP 302 redirect to Location https://elsewhere.example/session");
        api.then(redirect);
        SessionGateway gateway = gateway(ResilienceSettings.builder().maxAttempts(3).breakerMinimumCalls(2)
                .breakerSlidingWindowSize(2));

        SessionCallResult first = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));
        SessionCallResult second = gateway.call(request(MERCHANT, "ord_2"), credentials(MERCHANT));

        assertThat(first).isEqualTo(new SessionCallResult.DeadLetter(DeadLetterReason.UNEXPECTED_REDIRECT, 302, null,
                redirect.message(), 1));
        assertThat(second).isEqualTo(new SessionCallResult.DeadLetter(DeadLetterReason.UNEXPECTED_REDIRECT, 302,
                null, redirect.message(), 1));
        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(gateway.breakerStates()).isEqualTo(Map.of(MERCHANT, State.OPEN));
    }

    @Test
    void shouldHonourRetryAfterOn429() throws Exception {
        api.then(tooManyRequests(Duration.ofSeconds(7))).then(created("ord_1"));
        SessionGateway gateway = gateway(ResilienceSettings.builder());

        SessionCallResult result = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(result).isEqualTo(new SessionCallResult.Created(created("ord_1").response(), 2));
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void shouldCapRetryAfterAtMaximum() throws Exception {
        api.then(tooManyRequests(Duration.ofSeconds(600))).then(created("ord_1"));
        SessionGateway gateway = gateway(ResilienceSettings.builder().maxRetryAfter(Duration.ofSeconds(20)));

        gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(20));
    }

    @Test
    void shouldRejectAfterOneAttemptOn400() throws Exception {
        api.then(badRequest());
        SessionGateway gateway = gateway(ResilienceSettings.builder());

        SessionCallResult result = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(result).isEqualTo(new SessionCallResult.Rejected(badRequest().error(), 1));
        assertThat(api.calls()).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void shouldDeadLetterAuthFailureAfterOneAttempt(int status) throws Exception {
        api.then(unauthorized(status));
        SessionGateway gateway = gateway(ResilienceSettings.builder());

        SessionCallResult result = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(result).isEqualTo(new SessionCallResult.DeadLetter(DeadLetterReason.AUTH_FAILED, status, null,
                "HTTP " + status + " status=error error_code=access_denied", 1));
        assertThat(api.calls()).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void shouldOpenBreakerAfterWindowAndThenRefuseWithoutCalling() throws Exception {
        api.then(serverError(500));
        SessionGateway gateway = gateway(smallBreaker().maxAttempts(2));

        SessionCallResult first = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));
        SessionCallResult second = gateway.call(request(MERCHANT, "ord_2"), credentials(MERCHANT));
        SessionCallResult third = gateway.call(request(MERCHANT, "ord_3"), credentials(MERCHANT));

        assertThat(first).isInstanceOf(SessionCallResult.DeadLetter.class);
        // The second record's last attempt opened the breaker, but its budget is spent: a dead letter all the same.
        assertThat(second).isInstanceOf(SessionCallResult.DeadLetter.class);
        assertThat(third).isEqualTo(new SessionCallResult.BreakerOpen(MERCHANT, 0));
        assertThat(api.calls()).isEqualTo(4);
        assertThat(gateway.breakerStates()).isEqualTo(Map.of(MERCHANT, State.OPEN));
        assertThat(gateway.untilBreakerRetry(MERCHANT)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldStopRetryingWhenBreakerOpensMidRetry() throws Exception {
        api.then(serverError(500));
        SessionGateway gateway = gateway(smallBreaker().maxAttempts(6));

        SessionCallResult result = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(result).isEqualTo(new SessionCallResult.BreakerOpen(MERCHANT, 4));
        assertThat(api.calls()).isEqualTo(4);
        assertThat(sleeper.sleeps()).hasSize(3);
    }

    @Test
    void shouldDeadLetterWhenTheLastAttemptSpendsTheBudgetEvenAsItOpensTheBreaker() throws Exception {
        api.then(serverError(503));
        SessionGateway gateway = gateway(smallBreaker().maxAttempts(4));

        SessionCallResult result = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(result).isEqualTo(new SessionCallResult.DeadLetter(DeadLetterReason.RETRIES_EXHAUSTED, 503, null,
                serverError(503).message(), 4));
        assertThat(api.calls()).isEqualTo(4);
        assertThat(gateway.breakerStates()).isEqualTo(Map.of(MERCHANT, State.OPEN));
    }

    @Test
    void shouldKeepARecordsBudgetAcrossHoldsSoHalfOpenTrialsSpendIt() throws Exception {
        api.then(serverError(503));
        SessionGateway gateway = gateway(smallBreaker().maxAttempts(6).breakerHalfOpenCalls(3));
        CallBudget budget = gateway.newBudget();

        SessionCallResult held = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT), budget, sleeper);
        int attemptsWhenHeld = budget.attempts();
        SessionCallResult stillHeld = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT), budget, sleeper);
        clock.advance(Duration.ofSeconds(31));
        SessionCallResult afterTrials = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT), budget,
                sleeper);

        assertThat(held).isEqualTo(new SessionCallResult.BreakerOpen(MERCHANT, 4));
        assertThat(attemptsWhenHeld).isEqualTo(4);
        assertThat(stillHeld).isEqualTo(new SessionCallResult.BreakerOpen(MERCHANT, 0));
        // Two half-open trials spend the last two attempts of the six: never renewed by the hold.
        assertThat(afterTrials).isEqualTo(new SessionCallResult.DeadLetter(DeadLetterReason.RETRIES_EXHAUSTED, 503,
                null, serverError(503).message(), 6));
        assertThat(budget.attempts()).isEqualTo(6);
        assertThat(budget.lastFailure()).isEqualTo(serverError(503));
        assertThat(api.calls()).isEqualTo(6);
    }

    @Test
    void shouldNotCount429AsABreakerFailureButHoldTheMerchantsOtherCallsUntilRetryAfter() throws Exception {
        api.then(tooManyRequests(Duration.ofSeconds(5)));
        SessionGateway gateway = gateway(smallBreaker().maxAttempts(1));

        List<SessionCallResult> results = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            results.add(gateway.call(request(MERCHANT, "ord_" + i), credentials(MERCHANT)));
        }
        Duration throttledFor = gateway.untilServerThrottleEnds(MERCHANT);
        clock.advance(Duration.ofSeconds(5));

        assertThat(results.get(0)).isInstanceOf(SessionCallResult.DeadLetter.class);
        assertThat(results.subList(1, 6)).allSatisfy(result -> assertThat(result)
                .isEqualTo(new SessionCallResult.Throttled(MERCHANT, ThrottleReason.SERVER_THROTTLED, 0)));
        assertThat(api.calls()).isEqualTo(1);
        assertThat(throttledFor).isEqualTo(Duration.ofSeconds(5));
        assertThat(gateway.untilServerThrottleEnds(MERCHANT)).isEqualTo(Duration.ZERO);
        assertThat(gateway.untilServerThrottleEnds("another_merchant")).isEqualTo(Duration.ZERO);
        assertThat(gateway.breakerStates()).isEqualTo(Map.of(MERCHANT, State.CLOSED));
    }

    @Test
    void shouldNotOpenTheBreakerOnA429Storm() throws Exception {
        api.then(tooManyRequests(null));
        SessionGateway gateway = gateway(smallBreaker().maxAttempts(3));

        for (int i = 0; i < 5; i++) {
            gateway.call(request(MERCHANT, "ord_" + i), credentials(MERCHANT));
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(api.calls()).isGreaterThanOrEqualTo(8);
        assertThat(gateway.breakerStates()).isEqualTo(Map.of(MERCHANT, State.CLOSED));
    }

    @Test
    void shouldCountAnInterruptedAttemptForNeitherTheBreakerNorTheBudget() throws Exception {
        api.then(() -> {
            Thread.currentThread().interrupt();
            return connectionRefused();
        });
        SessionGateway gateway = gateway(smallBreaker().maxAttempts(3));
        CallBudget budget = gateway.newBudget();

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT), budget, sleeper))
                    .isInstanceOf(InterruptedException.class);
        }

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(api.calls()).isEqualTo(5);
        assertThat(budget.attempts()).isZero();
        // Five failures in a window of four would have opened it.
        assertThat(gateway.breakerStates()).isEqualTo(Map.of(MERCHANT, State.CLOSED));
    }

    @Test
    void shouldMoveAnOpenBreakerToHalfOpenOnItsOwnTimer() throws Exception {
        api.then(serverError(503));
        SessionGateway gateway = SessionGateway.builder(api, smallBreaker().maxAttempts(1)
                        .breakerWaitInOpen(Duration.ofMillis(200)).build())
                .sleeper(sleeper).random(RetryBackoffTest.fixed(0.5)).meterRegistry(meters).build();
        for (int i = 0; i < 4; i++) {
            gateway.call(request(MERCHANT, "ord_" + i), credentials(MERCHANT));
        }
        State opened = gateway.breakerStates().get(MERCHANT);

        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.breakerStates().get(MERCHANT) == State.HALF_OPEN);

        assertThat(opened).isEqualTo(State.OPEN);
        assertThat(api.calls()).isEqualTo(4);
    }

    @Test
    void shouldNotCountRejectionsOrAuthFailuresAsBreakerFailures() throws Exception {
        api.then(badRequest()).then(unauthorized(401)).then(badRequest()).then(unauthorized(403))
                .then(badRequest());
        SessionGateway gateway = gateway(smallBreaker());

        for (int i = 0; i < 5; i++) {
            gateway.call(request(MERCHANT, "ord_" + i), credentials(MERCHANT));
        }

        assertThat(gateway.breakerStates()).isEqualTo(Map.of(MERCHANT, State.CLOSED));
    }

    @Test
    void shouldRecoverThroughHalfOpenAndTellListeners() throws Exception {
        api.then(serverError(500)).then(serverError(500)).then(serverError(500)).then(serverError(500))
                .then(created("ord_x"));
        SessionGateway gateway = gateway(smallBreaker().maxAttempts(1).breakerHalfOpenCalls(2));
        List<String> transitions = new CopyOnWriteArrayList<>();
        gateway.addBreakerStateListener((merchant, from, to) -> transitions.add(merchant + ":" + from + "->" + to));
        for (int i = 0; i < 4; i++) {
            gateway.call(request(MERCHANT, "ord_" + i), credentials(MERCHANT));
        }
        clock.advance(Duration.ofSeconds(10));
        Duration leftAfterTenSeconds = gateway.untilBreakerRetry(MERCHANT);
        SessionCallResult stillOpen = gateway.call(request(MERCHANT, "ord_5"), credentials(MERCHANT));
        clock.advance(Duration.ofSeconds(21));

        SessionCallResult trialOne = gateway.call(request(MERCHANT, "ord_6"), credentials(MERCHANT));
        State afterOneTrial = gateway.breakerStates().get(MERCHANT);
        SessionCallResult trialTwo = gateway.call(request(MERCHANT, "ord_7"), credentials(MERCHANT));

        assertThat(leftAfterTenSeconds).isEqualTo(Duration.ofSeconds(20));
        assertThat(stillOpen).isEqualTo(new SessionCallResult.BreakerOpen(MERCHANT, 0));
        assertThat(trialOne).isInstanceOf(SessionCallResult.Created.class);
        assertThat(afterOneTrial).isEqualTo(State.HALF_OPEN);
        assertThat(trialTwo).isInstanceOf(SessionCallResult.Created.class);
        assertThat(gateway.breakerStates()).isEqualTo(Map.of(MERCHANT, State.CLOSED));
        assertThat(gateway.untilBreakerRetry(MERCHANT)).isEqualTo(Duration.ZERO);
        assertThat(transitions).containsExactly(
                MERCHANT + ":CLOSED->OPEN", MERCHANT + ":OPEN->HALF_OPEN", MERCHANT + ":HALF_OPEN->CLOSED");
    }

    @Test
    void shouldOpenBreakerOnSlowCalls() throws Exception {
        api.then(() -> {
            clock.advance(Duration.ofSeconds(3));
            return created("ord_slow");
        });
        SessionGateway gateway = gateway(smallBreaker().breakerSlowCallDuration(Duration.ofSeconds(2)));

        for (int i = 0; i < 4; i++) {
            gateway.call(request(MERCHANT, "ord_" + i), credentials(MERCHANT));
        }

        assertThat(gateway.breakerStates()).isEqualTo(Map.of(MERCHANT, State.OPEN));
    }

    @Test
    void shouldKeepBreakersPerMerchant() throws Exception {
        api.then(serverError(500)).then(serverError(500)).then(serverError(500)).then(serverError(500))
                .then(created("ord_b"));
        SessionGateway gateway = gateway(smallBreaker().maxAttempts(1));
        for (int i = 0; i < 4; i++) {
            gateway.call(request(MERCHANT, "ord_" + i), credentials(MERCHANT));
        }

        SessionCallResult other = gateway.call(request("other_merchant", "ord_b"), credentials("other_merchant"));

        assertThat(other).isInstanceOf(SessionCallResult.Created.class);
        assertThat(gateway.breakerStates())
                .isEqualTo(Map.of(MERCHANT, State.OPEN, "other_merchant", State.CLOSED));
    }

    @Test
    void shouldRateLimitEachMerchantIndependently() throws Exception {
        api.then(created("ord"));
        SessionGateway gateway = gateway(ResilienceSettings.builder()
                .rateLimitPerPeriod(1)
                .rateLimitPeriod(Duration.ofHours(1))
                .rateLimitWait(Duration.ZERO)
                .merchantRateLimits(Map.of("big_merchant", 2)));

        SessionCallResult firstA = gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));
        SessionCallResult secondA = gateway.call(request(MERCHANT, "ord_2"), credentials(MERCHANT));
        SessionCallResult firstB = gateway.call(request("big_merchant", "ord_3"), credentials("big_merchant"));
        SessionCallResult secondB = gateway.call(request("big_merchant", "ord_4"), credentials("big_merchant"));
        SessionCallResult thirdB = gateway.call(request("big_merchant", "ord_5"), credentials("big_merchant"));

        assertThat(firstA).isInstanceOf(SessionCallResult.Created.class);
        assertThat(secondA).isEqualTo(new SessionCallResult.Throttled(MERCHANT, ThrottleReason.RATE_LIMITED, 0));
        assertThat(firstB).isInstanceOf(SessionCallResult.Created.class);
        assertThat(secondB).isInstanceOf(SessionCallResult.Created.class);
        assertThat(thirdB).isEqualTo(new SessionCallResult.Throttled("big_merchant", ThrottleReason.RATE_LIMITED, 0));
        assertThat(api.calls()).isEqualTo(3);
    }

    @Test
    void shouldCapCallsInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        CountDownLatch twoInFlight = new CountDownLatch(2);
        api.then(() -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            twoInFlight.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return created("ord");
        });
        SessionGateway gateway = gateway(ResilienceSettings.builder().maxInFlight(2).inFlightWait(Duration.ZERO));

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<SessionCallResult> first = threads.submit(() -> gateway.call(request(MERCHANT, "ord_1"),
                    credentials(MERCHANT)));
            Future<SessionCallResult> second = threads.submit(() -> gateway.call(request(MERCHANT, "ord_2"),
                    credentials(MERCHANT)));
            assertThat(twoInFlight.await(10, TimeUnit.SECONDS)).isTrue();
            SessionCallResult third = gateway.call(request(MERCHANT, "ord_3"), credentials(MERCHANT));
            release.countDown();

            assertThat(third).isEqualTo(new SessionCallResult.Throttled(MERCHANT, ThrottleReason.IN_FLIGHT_LIMIT, 0));
            assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(SessionCallResult.Created.class);
            assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(SessionCallResult.Created.class);
        }
        assertThat(maxInFlight.get()).isEqualTo(2);
        assertThat(api.calls()).isEqualTo(2);
    }

    @Test
    void shouldWaitForInFlightSlotWithinWait() throws Exception {
        CountDownLatch oneInFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        api.then(() -> {
            oneInFlight.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return created("ord");
        });
        SessionGateway gateway = gateway(ResilienceSettings.builder().maxInFlight(1)
                .inFlightWait(Duration.ofSeconds(30)));
        List<SessionCallResult> results = new CopyOnWriteArrayList<>();
        Thread first = Thread.ofVirtual().start(() -> results.add(callQuietly(gateway, "ord_1")));
        assertThat(oneInFlight.await(10, TimeUnit.SECONDS)).isTrue();
        Thread second = Thread.ofVirtual().start(() -> results.add(callQuietly(gateway, "ord_2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.getState() == Thread.State.TIMED_WAITING);
        int callsWhileSecondWaits = api.calls();

        release.countDown();
        first.join(Duration.ofSeconds(10));
        second.join(Duration.ofSeconds(10));

        assertThat(callsWhileSecondWaits).isEqualTo(1);
        assertThat(results).hasSize(2).allMatch(SessionCallResult.Created.class::isInstance);
        assertThat(api.calls()).isEqualTo(2);
    }

    @Test
    void shouldThrowInterruptedExceptionWhenBackoffIsInterrupted() {
        api.then(serverError(500));
        SessionGateway gateway = SessionGateway.builder(api, ResilienceSettings.defaults())
                .clock(clock)
                .sleeper(duration -> {
                    throw new InterruptedException("shutdown");
                })
                .build();

        assertThatThrownBy(() -> gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT)))
                .isInstanceOf(InterruptedException.class)
                .hasMessage("shutdown");
        assertThat(api.calls()).isEqualTo(1);
    }

    @Test
    void shouldThrowInterruptedExceptionWhenInterruptedDuringCall() {
        api.then(() -> {
            Thread.currentThread().interrupt();
            return connectionRefused();
        });
        SessionGateway gateway = gateway(ResilienceSettings.builder());

        assertThatThrownBy(() -> gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT)))
                .isInstanceOf(InterruptedException.class)
                .hasMessage("interrupted during POST /session for merchant mandate_juspay");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void shouldRefuseCredentialsOfAnotherMerchant() {
        SessionGateway gateway = gateway(ResilienceSettings.builder());

        assertThatThrownBy(() -> gateway.call(request(MERCHANT, "ord_1"), credentials("someone_else")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("credentials are for merchant 'someone_else' but the request is for merchant"
                        + " 'mandate_juspay'")
                .message().doesNotContain(Fixtures.API_KEY_TEXT);
        assertThat(api.calls()).isZero();
    }

    @Test
    void shouldRecordLatencyTimerByMerchantAndStatusClass() throws Exception {
        api.then(() -> {
            clock.advance(Duration.ofMillis(250));
            return serverError(503);
        }).then(() -> {
            clock.advance(Duration.ofMillis(120));
            return created("ord_1");
        });
        SessionGateway gateway = gateway(ResilienceSettings.builder());

        gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        Timer failed = meters.get(SessionGateway.CALL_TIMER).tags("merchant", MERCHANT, "status_class", "5xx").timer();
        Timer succeeded = meters.get(SessionGateway.CALL_TIMER).tags("merchant", MERCHANT, "status_class", "2xx")
                .timer();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(failed.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250.0);
        assertThat(succeeded.count()).isEqualTo(1);
        assertThat(succeeded.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(120.0);
        assertThat(meters.get(SessionGateway.RESULT_COUNTER).tags("merchant", MERCHANT, "result", "created")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldPublishLatencyAsPrometheusHistogram() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        api.then(created("ord_1"));
        SessionGateway gateway = SessionGateway.builder(api, ResilienceSettings.defaults())
                .clock(clock).sleeper(sleeper).meterRegistry(prometheus).build();

        gateway.call(request(MERCHANT, "ord_1"), credentials(MERCHANT));

        assertThat(prometheus.scrape()).contains(
                "juspay_session_call_seconds_bucket{merchant=\"mandate_juspay\",status_class=\"2xx\",le=\"+Inf\"} 1");
    }

    @Test
    void shouldBindResilienceMetricsWithoutRecordIdsInTags() throws Exception {
        api.then(created("ord_secret_order"));
        SessionGateway gateway = gateway(ResilienceSettings.builder());

        gateway.call(request(MERCHANT, "ord_secret_order"), credentials(MERCHANT));

        List<String> names = meters.getMeters().stream().map(meter -> meter.getId().getName()).distinct().toList();
        assertThat(names).contains("resilience4j.circuitbreaker.state", "resilience4j.ratelimiter.available.permissions",
                "resilience4j.retry.calls", "resilience4j.bulkhead.available.concurrent.calls",
                SessionGateway.CALL_TIMER, SessionGateway.RESULT_COUNTER);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tags("name", MERCHANT, "state", "closed")
                .gauge().value()).isEqualTo(1.0);
        List<String> tagValues = meters.getMeters().stream().map(Meter::getId)
                .flatMap(id -> id.getTags().stream()).map(Tag::getValue).toList();
        assertThat(tagValues).noneMatch(value -> value.contains("ord_secret_order")
                || value.contains("cth_") || value.contains(Fixtures.API_KEY_TEXT));
    }

    private static SessionCallResult callQuietly(SessionGateway gateway, String orderId) {
        try {
            return gateway.call(request(MERCHANT, orderId), credentials(MERCHANT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private SessionGateway gateway(ResilienceSettings.Builder settings) {
        return SessionGateway.builder(api, settings.build())
                .clock(clock)
                .sleeper(sleeper)
                .random(RetryBackoffTest.fixed(0.5))
                .meterRegistry(meters)
                .build();
    }

    /** A breaker that judges after 4 calls and opens at a 50% failure rate. */
    private static ResilienceSettings.Builder smallBreaker() {
        return ResilienceSettings.builder()
                .breakerSlidingWindowSize(4)
                .breakerMinimumCalls(4)
                .breakerFailureRateThreshold(50f)
                .breakerWaitInOpen(Duration.ofSeconds(30));
    }
}
