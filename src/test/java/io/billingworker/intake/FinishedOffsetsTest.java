package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FinishedOffsetsTest {

    private static final long POSITION = 1_000_000_123L;

    @Test
    void shouldRecordNothingWhenNothingIsFinishedAboveThePosition() {
        assertThat(FinishedOffsets.encode(POSITION, new TreeSet<>(), 4096)).isEmpty();
        assertThat(FinishedOffsets.encode(POSITION, set(POSITION - 5, POSITION), 4096)).isEmpty();
        assertThat(FinishedOffsets.decode(POSITION, "")).isEmpty();
        assertThat(FinishedOffsets.decode(POSITION, null)).isEmpty();
    }

    @Test
    void shouldRoundTripADenseSetCompactly() {
        // Everything finished from position + 1 on except every tenth record: a bit set.
        SortedSet<Long> finished = new TreeSet<>();
        LongStream.rangeClosed(POSITION + 1, POSITION + 10_000).filter(o -> o % 10 != 0).forEach(finished::add);

        String metadata = FinishedOffsets.encode(POSITION, finished, 4096);

        assertThat(metadata).startsWith("bw1:");
        assertThat(metadata.length()).isLessThan(1_800);
        assertThat(FinishedOffsets.decode(POSITION, metadata)).isEqualTo(finished);
    }

    @Test
    void shouldRoundTripLongRunsAsRunLengths() {
        // 3,000 finished in a row far above the position: run lengths, a few bytes.
        SortedSet<Long> finished = new TreeSet<>();
        LongStream.range(POSITION + 50_000, POSITION + 53_000).forEach(finished::add);
        finished.add(POSITION + 1);

        String metadata = FinishedOffsets.encode(POSITION, finished, 4096);

        assertThat(metadata.length()).isLessThan(20);
        assertThat(FinishedOffsets.decode(POSITION, metadata)).isEqualTo(finished);
    }

    @Test
    void shouldRoundTripASparseSet() {
        SortedSet<Long> finished = set(POSITION + 7, POSITION + 900, POSITION + 901, POSITION + 250_000);

        String metadata = FinishedOffsets.encode(POSITION, finished, 4096);

        assertThat(FinishedOffsets.decode(POSITION, metadata)).isEqualTo(finished);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void shouldRoundTripRandomSets(long seed) {
        Random random = new Random(seed);
        SortedSet<Long> finished = new TreeSet<>();
        double density = random.nextDouble();
        for (long offset = POSITION + 1; offset < POSITION + 5_000; offset++) {
            if (random.nextDouble() < density) {
                finished.add(offset);
            }
        }

        String metadata = FinishedOffsets.encode(POSITION, finished, 4096);

        assertThat(metadata.length()).isLessThanOrEqualTo(4096);
        assertThat(FinishedOffsets.decode(POSITION, metadata)).isEqualTo(finished);
    }

    @Test
    void shouldLeaveOutTheHighestOffsetsWhenTheSetDoesNotFitTheLimit() {
        // Every other offset over 100,000 records: neither encoding fits 4,096 characters.
        SortedSet<Long> finished = new TreeSet<>();
        LongStream.range(0, 50_000).map(i -> POSITION + 1 + 2 * i).forEach(finished::add);

        String metadata = FinishedOffsets.encode(POSITION, finished, 4096);
        SortedSet<Long> recorded = FinishedOffsets.decode(POSITION, metadata);

        assertThat(metadata.length()).isLessThanOrEqualTo(4096);
        assertThat(recorded).isNotEmpty();
        // What is recorded is exactly the lowest part of the set: the rest is processed again.
        assertThat(recorded).isEqualTo(finished.headSet(recorded.last() + 1));
        assertThat(recorded.size()).isGreaterThan(10_000);
    }

    @Test
    void shouldRecordNothingWhenTheLimitIsZero() {
        assertThat(FinishedOffsets.encode(POSITION, set(POSITION + 1), 0)).isEmpty();
    }

    @Test
    void shouldIgnoreMetadataItDidNotWrite() {
        for (String foreign : List.of("some tool's note", "bw1:", "bw1:!!not base64!!", "bw9:QQ", "bw1:Wg",
                "bw1:Uv____________8B")) {
            assertThat(FinishedOffsets.decode(POSITION, foreign)).as(foreign).isEmpty();
        }
    }

    @Test
    void shouldReadMetadataWrittenByThisFormatVersion() {
        // Written by this version for position 41, finished 42, 43 and 50: the format later versions must keep reading.
        assertThat(FinishedOffsets.encode(41, set(42, 43, 50), 4096)).isEqualTo("bw1:QgMB");
        assertThat(FinishedOffsets.decode(41, "bw1:QgMB")).containsExactly(42L, 43L, 50L);
        assertThat(FinishedOffsets.decode(41, "bw1:UgACBgE")).containsExactly(42L, 43L, 50L);
    }

    private static SortedSet<Long> set(long... offsets) {
        SortedSet<Long> set = new TreeSet<>();
        for (long offset : offsets) {
            set.add(offset);
        }
        return set;
    }
}
