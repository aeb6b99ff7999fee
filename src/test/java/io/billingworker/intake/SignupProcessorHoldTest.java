package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.billingworker.app.DemoSignups;
import io.billingworker.mapping.MerchantDirectory;
import io.billingworker.mapping.MerchantProfile;
import io.billingworker.mapping.SignupMapper;
import io.billingworker.outcome.DeadLetterReason;
import io.billingworker.outcome.Outcome;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.serde.ConfluentAvroDeserializer;
import io.billingworker.serde.RestSchemaRegistryClient;
import io.billingworker.sessionapi.ApiKey;
import io.billingworker.sessionapi.FailureKind;
import io.billingworker.sessionapi.HttpResult;
import io.billingworker.sessionapi.MerchantCredentials;
import io.billingworker.sessionapi.ResilienceSettings;
import io.billingworker.sessionapi.SessionApi;
import io.billingworker.sessionapi.SessionGateway;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/** How the signup processor waits: through its hold, and into a HELD_TOO_LONG dead letter when the hold ends. */
class SignupProcessorHoldTest {

    private static final String MERCHANT = "m_hold";
    private static final HttpResult.Retryable UNAVAILABLE = new HttpResult.Retryable(FailureKind.HTTP_STATUS, 503, null,
            null, null, "HTTP 503 status=error error_code=Service Unavailable");

    private final AtomicInteger calls = new AtomicInteger();
    private final List<Duration> waits = new ArrayList<>();

    @Test
    void shouldHoldBehindAnOpenBreakerAndDeadLetterWithAttemptsAndLastErrorWhenTheHoldEnds() throws Exception {
        SessionApi failing = (request, key) -> {
            calls.incrementAndGet();
            return UNAVAILABLE;
        };
        SignupProcessor processor = processor(signupDeserializer(), gateway(failing));
        // Waits are allowed until the third one, which reaches the hold bound.
        Hold hold = delay -> {
            waits.add(delay);
            if (waits.size() == 3) {
                throw new HeldTooLongException(Duration.ofSeconds(600));
            }
        };

        Outcome outcome = processor.process(record(), hold);

        assertThat(outcome).isInstanceOf(Outcome.DeadLetter.class);
        Outcome.DeadLetter dead = (Outcome.DeadLetter) outcome;
        assertThat(dead.reason()).isEqualTo(DeadLetterReason.HELD_TOO_LONG);
        assertThat(dead.attempts()).isEqualTo(calls.get()).isEqualTo(2);
        assertThat(dead.httpStatus()).isEqualTo(503);
        assertThat(dead.merchantId()).isEqualTo(MERCHANT);
        assertThat(dead.message()).isEqualTo("held for 600000 ms (processing.max-hold-ms) without an outcome after 2 "
                + "attempt(s); waiting for: merchant m_hold's circuit breaker open; last error: HTTP 503 "
                + "status=error error_code=Service Unavailable");
        // One backoff between the two attempts, then waits behind the open breaker, staggered by the attempts made.
        assertThat(waits.get(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(5).plusMillis(200));
    }

    @Test
    void shouldDeadLetterARecordHeldTooLongWhileTheRegistryIsDown() throws Exception {
        // A registry nobody listens on: port 1 on the loopback refuses at once.
        Deserializer<SubscriptionSignup> registryDown = new ConfluentAvroDeserializer<>(new RestSchemaRegistryClient(
                List.of(URI.create("http://127.0.0.1:1")), Optional.empty(), Duration.ofSeconds(1),
                Duration.ofSeconds(1)), SubscriptionSignup.class);
        SignupProcessor processor = processor(registryDown, gateway((request, key) -> {
            throw new AssertionError("no call without a decoded signup");
        }));
        Hold hold = delay -> {
            waits.add(delay);
            if (waits.size() == 4) {
                throw new HeldTooLongException(Duration.ofSeconds(600));
            }
        };

        Outcome outcome = processor.process(record(), hold);

        Outcome.DeadLetter dead = (Outcome.DeadLetter) outcome;
        assertThat(dead.reason()).isEqualTo(DeadLetterReason.HELD_TOO_LONG);
        assertThat(dead.attempts()).isZero();
        assertThat(dead.message()).startsWith("held for 600000 ms (processing.max-hold-ms) without an outcome; the "
                + "schema registry stayed unreachable: ").contains("127.0.0.1:1");
        assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofMillis(1600));
    }

    @Test
    void shouldGiveNoOutcomeWhenInterruptedWhileHeld() {
        SignupProcessor processor = processor(signupDeserializer(), gateway((request, key) -> UNAVAILABLE));
        Hold interrupted = delay -> {
            throw new InterruptedException("draining");
        };

        assertThatThrownBy(() -> processor.process(record(), interrupted)).isInstanceOf(InterruptedException.class);
    }

    private SessionGateway gateway(SessionApi api) {
        ResilienceSettings settings = ResilienceSettings.builder()
                .maxAttempts(5)
                .initialBackoff(Duration.ofMillis(100))
                .jitterFactor(0)
                .breakerSlidingWindowSize(2)
                .breakerMinimumCalls(2)
                .breakerFailureRateThreshold(50f)
                .breakerWaitInOpen(Duration.ofMinutes(1))
                .build();
        return SessionGateway.builder(api, settings).build();
    }

    private static SignupProcessor processor(Deserializer<?> deserializer, SessionGateway gateway) {
        MerchantProfile profile = new MerchantProfile(MERCHANT, "client_hold", "https://shop.example/return",
                "REQUIRED", false);
        return new SignupProcessor(deserializer, new SignupMapper(Clock.systemUTC()),
                MerchantDirectory.of(profile, List.of(profile)),
                Map.of(MERCHANT, new MerchantCredentials(MERCHANT, ApiKey.of("key_hold_secret"))), gateway,
                Clock.systemUTC(), orderId -> { });
    }

    private static Deserializer<Object> signupDeserializer() {
        return (topic, data) -> DemoSignups.seedShape("sub_hold", "evt_hold", null, null, Instant.now());
    }

    private static ConsumerRecord<byte[], byte[]> record() {
        return new ConsumerRecord<>("signups", 0, 7L, "sub_hold".getBytes(), new byte[] {0, 0, 0, 0, 1});
    }
}
