package io.billingworker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which points a profile measures and how many events each gets. */
class ProfileTest {

    @Test
    void shouldReadAPointSpecWithDefaultsForWhatItLeavesOut() {
        Profile.Point point = Profile.parse("C=1024, L=50, EOS, latency");

        assertThat(point.scenario()).isEqualTo(Scenario.worker(true, 1024, 50, 12, 10_000));
        assertThat(point.extras()).containsExactly(Profile.Extra.LATENCY);
    }

    @Test
    void shouldReadANaivePointSpec() {
        Profile.Point point = Profile.parse("naive,L=200,P=1,K=10");

        assertThat(point.scenario()).isEqualTo(Scenario.naive(200, 1, 10));
        assertThat(point.scenario().effectiveConcurrency()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAnUnknownToken() {
        assertThatThrownBy(() -> Profile.parse("C=64,Q=3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read 'Q=3' in point 'C=64,Q=3': expected C=, L=, P=, K=, EOS, naive, latency, "
                        + "outage or memory");
    }

    @Test
    void shouldSizeAMeasurementByTheLimitWithinTheBounds() {
        Profile full = Profile.full();

        assertThat(full.events(Scenario.worker(false, 256, 200, 12, 10_000))).isEqualTo(25_600);
        assertThat(full.events(Scenario.worker(false, 1024, 50, 12, 10_000))).isEqualTo(120_000);
        assertThat(full.events(Scenario.worker(false, 256, 200, 12, 10))).isEqualTo(1_000);
    }

    @Test
    void shouldCoverTheIssueSweepInTheFullProfile() {
        List<Scenario> scenarios = Profile.full().points().stream().map(Profile.Point::scenario).toList();

        assertThat(scenarios).extracting(Scenario::concurrency).contains(64, 256, 1024);
        assertThat(scenarios).extracting(Scenario::latencyMs).containsOnly(50, 200);
        assertThat(scenarios).extracting(Scenario::partitions).containsOnly(1, 12);
        assertThat(scenarios).extracting(Scenario::keys).containsOnly(10, 10_000);
        assertThat(scenarios).extracting(Scenario::exactlyOnce).contains(true, false);
        assertThat(scenarios).filteredOn(Scenario::isNaive).extracting(Scenario::latencyMs).containsExactly(50, 200);
        assertThat(Profile.full().points()).flatExtracting(point -> List.copyOf(point.extras()))
                .containsExactlyInAnyOrder(Profile.Extra.LATENCY, Profile.Extra.OUTAGE, Profile.Extra.MEMORY);
        assertThat(Set.copyOf(scenarios)).hasSameSizeAs(scenarios);
    }
}
