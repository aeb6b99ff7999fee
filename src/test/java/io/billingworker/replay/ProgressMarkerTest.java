package io.billingworker.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressMarkerTest {

    @Test
    void shouldRoundTripEndFingerprintAndFilters() {
        ProgressMarker marker = new ProgressMarker(57, "3fa2c1d09b7e", "reason=AUTH_FAILED max-replays=3 (dlt -> in)");

        String encoded = marker.encode();

        assertThat(encoded).isEqualTo("billing-replay/1 end=57 sel=3fa2c1d09b7e filters=reason=AUTH_FAILED"
                + " max-replays=3 (dlt -> in)");
        assertThat(ProgressMarker.decode(encoded)).contains(marker);
    }

    @Test
    void shouldNotReadMetadataWrittenByOthers() {
        Optional<ProgressMarker> empty = ProgressMarker.decode("");
        Optional<ProgressMarker> foreign = ProgressMarker.decode("some-app checkpoint 12");
        Optional<ProgressMarker> absent = ProgressMarker.decode(null);

        assertThat(empty).isEmpty();
        assertThat(foreign).isEmpty();
        assertThat(absent).isEmpty();
    }

    @Test
    void shouldBoundLongFilterTextSoTheMetadataFitsTheBrokerLimit() {
        ProgressMarker marker = new ProgressMarker(1, "abc", "key=" + "k".repeat(10_000));

        String encoded = marker.encode();

        assertThat(encoded.length()).isLessThan(2_100);
        assertThat(ProgressMarker.decode(encoded).orElseThrow().end()).isEqualTo(1);
    }

    @Test
    void shouldPlanAFreshPartitionFromOffsetsAndTime() {
        PartitionPlan whole = PartitionPlan.fresh(0, 5, 60, Optional.empty(), Optional.empty());
        PartitionPlan range = PartitionPlan.fresh(0, 5, 60, OffsetRange.parse("10-20"), Optional.empty());
        PartitionPlan rangeAndTime = PartitionPlan.fresh(0, 5, 60, OffsetRange.parse("10-"), Optional.of(30L));
        PartitionPlan deleted = PartitionPlan.fresh(0, 50, 60, OffsetRange.parse("10-20"), Optional.empty());

        assertThat(whole).isEqualTo(new PartitionPlan(0, 5, 60));
        assertThat(range).isEqualTo(new PartitionPlan(0, 10, 21));
        assertThat(rangeAndTime).isEqualTo(new PartitionPlan(0, 30, 60));
        assertThat(deleted.size()).isZero();
    }

    @Test
    void shouldResumeAtTheCommittedOffsetUpToTheCapturedEnd() {
        ProgressMarker marker = new ProgressMarker(40, "abc", "");

        PartitionPlan resumed = PartitionPlan.resumed(1, 25, 0, marker);
        PartitionPlan afterRetention = PartitionPlan.resumed(1, 25, 30, marker);
        PartitionPlan finished = PartitionPlan.resumed(1, 40, 0, marker);

        assertThat(resumed).isEqualTo(new PartitionPlan(1, 25, 40));
        assertThat(afterRetention).isEqualTo(new PartitionPlan(1, 30, 40));
        assertThat(finished.size()).isZero();
    }
}
