package io.billingworker.sessionapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResilienceSettingsTest {

    @Test
    void shouldApplyPaymentApiDefaults() {
        ResilienceSettings settings = ResilienceSettings.defaults();

        assertThat(settings.maxAttempts()).isEqualTo(6);
        assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.backoffMultiplier()).isEqualTo(2.0);
        assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.jitterFactor()).isEqualTo(0.5);
        assertThat(settings.maxRetryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.breakerSlidingWindowSize()).isEqualTo(50);
        assertThat(settings.breakerMinimumCalls()).isEqualTo(20);
        assertThat(settings.breakerFailureRateThreshold()).isEqualTo(50f);
        assertThat(settings.breakerSlowCallRateThreshold()).isEqualTo(50f);
        assertThat(settings.breakerSlowCallDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.breakerWaitInOpen()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.breakerHalfOpenCalls()).isEqualTo(5);
        assertThat(settings.rateLimitPerPeriod()).isEqualTo(200);
        assertThat(settings.rateLimitPeriod()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.merchantRateLimits()).isEmpty();
        assertThat(settings.rateLimitWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxInFlight()).isEqualTo(256);
        assertThat(settings.inFlightWait()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldUsePerMerchantRateLimitOverDefault() {
        ResilienceSettings settings = ResilienceSettings.builder()
                .rateLimitPerPeriod(100)
                .merchantRateLimits(Map.of("big_merchant", 500))
                .build();

        int big = settings.rateLimitFor("big_merchant");
        int other = settings.rateLimitFor("small_merchant");

        assertThat(big).isEqualTo(500);
        assertThat(other).isEqualTo(100);
    }

    @Test
    void shouldCopyMerchantRateLimits() {
        Map<String, Integer> limits = new HashMap<>(Map.of("m1", 5));
        ResilienceSettings settings = ResilienceSettings.builder().merchantRateLimits(limits).build();

        limits.put("m1", 7);

        assertThat(settings.rateLimitFor("m1")).isEqualTo(5);
    }

    @Test
    void shouldRejectZeroMaxAttempts() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder().maxAttempts(0);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be between 1 and 100, was 0");
    }

    @Test
    void shouldRejectMaxBackoffBelowInitialBackoff() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder()
                .initialBackoff(Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(1));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBackoff must be at least initialBackoff (PT2S), was PT1S");
    }

    @Test
    void shouldRejectShrinkingMultiplier() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder().backoffMultiplier(0.5);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backoffMultiplier must be between 1.0 and 10.0, was 0.5");
    }

    @Test
    void shouldRejectJitterOfOne() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder().jitterFactor(1.0);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitterFactor must be at least 0 and below 1, was 1.0");
    }

    @Test
    void shouldRejectNegativeMaxRetryAfter() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder().maxRetryAfter(Duration.ofSeconds(-5));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetryAfter must not be negative, was PT-5S");
    }

    @Test
    void shouldRejectMinimumCallsAboveWindow() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder()
                .breakerSlidingWindowSize(10).breakerMinimumCalls(11);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("breakerMinimumCalls must be between 1 and 10, was 11");
    }

    @Test
    void shouldRejectFailureRateAboveHundred() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder().breakerFailureRateThreshold(101f);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("breakerFailureRateThreshold must be above 0 and at most 100, was 101.0");
    }

    @Test
    void shouldRejectZeroWaitInOpen() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder().breakerWaitInOpen(Duration.ZERO);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("breakerWaitInOpen must be at least 1 ms, was PT0S");
    }

    @Test
    void shouldRejectBadMerchantRateLimit() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder().merchantRateLimits(Map.of("m1", 0));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("merchantRateLimits.m1 must be between 1 and 1000000, was 0");
    }

    @Test
    void shouldRejectZeroMaxInFlight() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder().maxInFlight(0);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxInFlight must be between 1 and 100000, was 0");
    }

    @Test
    void shouldRejectMissingInFlightWait() {
        ResilienceSettings.Builder builder = ResilienceSettings.builder().inFlightWait(null);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inFlightWait is required");
    }
}
