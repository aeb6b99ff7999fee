package io.billingworker.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The latency distributions, drawn from a seeded generator. */
class LatencyModelTest {

    @Test
    void shouldDrawLogNormalWithTheGivenMedianAndP99() {
        LatencyModel model = LatencyModel.logNormal(Duration.ofMillis(200), Duration.ofMillis(1000));
        SplittableRandom random = new SplittableRandom(1);

        long[] nanos = new long[100_000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = model.next(random).toNanos();
        }

        Arrays.sort(nanos);
        assertThat(nanos[nanos.length / 2] / 1e6).isCloseTo(200, within(6.0));
        assertThat(nanos[(int) (nanos.length * 0.99)] / 1e6).isCloseTo(1000, within(50.0));
    }

    @Test
    void shouldDrawUniformWithinItsBounds() {
        LatencyModel model = LatencyModel.uniform(Duration.ofMillis(10), Duration.ofMillis(20));
        SplittableRandom random = new SplittableRandom(2);

        long[] millis = new long[10_000];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = model.next(random).toMillis();
        }

        assertThat(Arrays.stream(millis).min().orElseThrow()).isEqualTo(10);
        assertThat(Arrays.stream(millis).max().orElseThrow()).isBetween(19L, 20L);
    }

    @Test
    void shouldAlwaysGiveTheFixedDelay() {
        LatencyModel model = LatencyModel.fixed(Duration.ofMillis(5));

        Duration delay = model.next(new SplittableRandom(3));

        assertThat(delay).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void shouldRejectInconsistentBounds() {
        assertThatThrownBy(() -> LatencyModel.uniform(Duration.ofMillis(20), Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latency max (PT0.01S) must not be less than min (PT0.02S)");
        assertThatThrownBy(() -> LatencyModel.logNormal(Duration.ofMillis(200), Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latency p99 (PT0.1S) must not be less than the median (PT0.2S)");
    }
}
