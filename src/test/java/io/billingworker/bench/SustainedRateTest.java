package io.billingworker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SustainedRateTest {

    @Test
    void shouldGiveTheRateOfAnEvenStream() {
        long[] times = new long[5_001];
        for (int i = 0; i < times.length; i++) {
            times[i] = 1_000 + i * 2L; // 500 per second
        }

        assertThat(SustainedRate.perSecond(times, 500, 4_500)).isCloseTo(500, within(1.0));
    }

    /** 300 outcomes at each whole second, as exactly-once publishes them at a 1 s commit interval. */
    @Test
    void shouldAverageOverBurstsWhereCountingBetweenEndsCannot() {
        long[] times = new long[300 * 20];
        for (int i = 0; i < times.length; i++) {
            times[i] = 10_000 + (i / 300) * 1_000L + (i % 300) / 100; // each burst spread over 3 ms
        }
        int low = (int) Math.floor(0.1 * (times.length - 1));
        int high = (int) Math.ceil(0.9 * (times.length - 1));
        double betweenEnds = (high - low) * 1000.0 / (times[high] - times[low]);

        // The window starts at the last outcome of one burst and ends at the first of another: 4,801 outcomes in 17 s.
        assertThat(betweenEnds).isNotCloseTo(300, within(15.0));
        assertThat(SustainedRate.perSecond(times, low, high)).isCloseTo(300, within(10.0));
    }

    @Test
    void shouldGiveNoRateForAWindowWithoutLength() {
        long[] times = {5, 5, 5};

        assertThat(SustainedRate.perSecond(times, 0, 2)).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> SustainedRate.perSecond(times, 2, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> SustainedRate.perSecond(times, 0, 3));
    }
}
