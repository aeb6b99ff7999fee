package io.billingworker.replay;

import io.billingworker.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final MutableClock clock = new MutableClock(DeadLetters.T0);

    @Test
    void shouldParseRatesPerSecondAndPerMinute() {
        Rate perSecond = Rate.parse("50/s");
        Rate bare = Rate.parse("20");
        Rate perMinute = Rate.parse("600/m");
        Rate unlimited = Rate.parse("Unlimited");

        assertThat(perSecond.interval()).isEqualTo(Duration.ofMillis(20));
        assertThat(bare.interval()).isEqualTo(Duration.ofMillis(50));
        assertThat(perMinute.interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(perMinute).hasToString("600/m");
        assertThat(unlimited.unlimited()).isTrue();
        assertThat(unlimited).hasToString("unlimited");
    }

    @Test
    void shouldRefuseAZeroOrMalformedRate() {
        BadReplayRequestException zero = catchThrowableOfType(BadReplayRequestException.class, () -> Rate.parse("0/s"));
        BadReplayRequestException hours = catchThrowableOfType(BadReplayRequestException.class, () -> Rate.parse("5/h"));

        assertThat(zero.problems()).containsExactly(
                "--rate '0/s': expected records per second or minute, e.g. 50/s or 600/m, or unlimited");
        assertThat(hours.problems()).containsExactly(
                "--rate '5/h': expected records per second or minute, e.g. 50/s or 600/m, or unlimited");
    }

    @Test
    void shouldSpacePermitsByTheIntervalWithoutBursting() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(Rate.parse("4/s"), clock, clock.sleeper());

        for (int i = 0; i < 5; i++) {
            limiter.acquire();
        }

        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250),
                Duration.ofMillis(250), Duration.ofMillis(250));
        assertThat(clock.instant()).isEqualTo(DeadLetters.T0.plusSeconds(1));
    }

    @Test
    void shouldNotSaveUpUnusedTimeAfterAPause() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(Rate.parse("2/s"), clock, clock.sleeper());
        limiter.acquire();
        clock.advance(Duration.ofSeconds(10));

        limiter.acquire();
        limiter.acquire();

        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void shouldNeverSleepWhenUnlimited() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(Rate.UNLIMITED, clock, clock.sleeper());

        for (int i = 0; i < 1_000; i++) {
            limiter.acquire();
        }

        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void shouldWakeAStopSignalSleeperAsSoonAsAStopIsRequested() throws InterruptedException {
        StopSignal stop = new StopSignal();
        stop.request();
        long started = System.nanoTime();

        stop.sleeper().sleep(Duration.ofMinutes(5));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(stop.isRequested()).isTrue();
    }
}
