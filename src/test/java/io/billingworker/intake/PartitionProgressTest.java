package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private static final TopicPartition PARTITION = new TopicPartition("signups", 2);

    private final PartitionProgress progress = new PartitionProgress(PARTITION);

    @Test
    void shouldMoveThePositionPastEachRecordCompletedInOrder() {
        fetch(10, 11, 12);

        progress.completed(10);
        OptionalLong afterFirst = progress.positionToCommit();
        progress.completed(11);
        progress.completed(12);

        assertThat(afterFirst).hasValue(11);
        assertThat(progress.positionToCommit()).hasValue(13);
        assertThat(progress.openCount()).isZero();
    }

    @Test
    void shouldHoldThePositionAtTheOldestOpenRecordUntilItCompletes() {
        fetch(10, 11, 12, 13);

        progress.completed(12);
        progress.completed(11);
        OptionalLong whileTenIsOpen = progress.positionToCommit();
        int openWhileTenIsOpen = progress.openCount();
        progress.completed(10);

        assertThat(whileTenIsOpen).hasValue(10);
        assertThat(openWhileTenIsOpen).isEqualTo(2);
        assertThat(progress.positionToCommit()).hasValue(13);
        assertThat(progress.openCount()).isEqualTo(1);
    }

    @Test
    void shouldNeverMoveThePositionPastAnOpenRecordWhateverTheCompletionOrder() {
        List<Long> offsets = new ArrayList<>();
        for (long offset = 100; offset < 300; offset++) {
            offsets.add(offset);
            progress.fetched(offset);
        }
        Collections.shuffle(offsets, new Random(20_250_101));
        TreeSet<Long> open = new TreeSet<>(offsets);

        for (long offset : offsets) {
            progress.completed(offset);
            open.remove(offset);

            long expected = open.isEmpty() ? 300 : open.first();
            assertThat(progress.position()).as("after completing %d", offset).hasValue(expected);
        }
    }

    @Test
    void shouldStartFromTheFirstFetchedOffsetBeforeAnythingCompleted() {
        OptionalLong beforeFetch = progress.position();

        fetch(42, 43);

        assertThat(beforeFetch).isEmpty();
        assertThat(progress.position()).hasValue(42);
    }

    @Test
    void shouldOfferAPositionOnlyWhenItMovedSinceTheLastCommit() {
        fetch(5, 6, 7);
        progress.completed(5);
        progress.committed(6);

        OptionalLong unchanged = progress.positionToCommit();
        progress.completed(6);

        assertThat(unchanged).isEmpty();
        assertThat(progress.positionToCommit()).hasValue(7);
        assertThat(progress.position()).hasValue(7);
    }

    @Test
    void shouldIgnoreCompletionsThatArriveAfterRevocation() {
        fetch(5, 6);
        progress.completed(5);

        progress.revoke();
        progress.completed(6);

        assertThat(progress.isRevoked()).isTrue();
        assertThat(progress.isDispatchStopped()).isTrue();
        assertThat(progress.position()).hasValue(6);
        assertThat(progress.openCount()).isEqualTo(1);
    }

    @Test
    void shouldReportDispatchStoppedOnceStopped() {
        boolean before = progress.isDispatchStopped();

        progress.stopDispatch();

        assertThat(before).isFalse();
        assertThat(progress.isDispatchStopped()).isTrue();
        assertThat(progress.isRevoked()).isFalse();
    }

    @Test
    void shouldCountRecordsInFlight() {
        progress.tryStart(0);
        progress.tryStart(0);
        progress.finished();

        assertThat(progress.inFlightCount()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToStartRecordsOnceDispatchStopped() throws InterruptedException {
        boolean startedBefore = progress.tryStart(0);
        progress.finished();
        progress.stopDispatch();

        boolean startedAfter = progress.tryStart(0);

        assertThat(startedBefore).isTrue();
        assertThat(startedAfter).isFalse();
        assertThat(progress.inFlightCount()).isZero();
        assertThat(progress.awaitNoneInFlight(System.nanoTime())).isTrue();
    }

    @Test
    void shouldStartWaitingRecordsBelowTheHighestStartedOneWhileDraining() {
        fetch(0, 1, 2, 3);
        progress.tryStart(2);

        progress.drainStarted();

        assertThat(progress.isDispatchStopped()).isTrue();
        assertThat(progress.tryStart(1)).isTrue();
        assertThat(progress.tryStart(3)).isFalse();
        assertThat(progress.mayStart(0)).isTrue();
        assertThat(progress.mayStart(3)).isFalse();
    }

    @Test
    void shouldBeDrainedOnlyWhenEveryRecordUpToTheHighestStartedIsCompleted() throws InterruptedException {
        fetch(0, 1, 2, 3);
        progress.tryStart(2);
        progress.completed(2);
        progress.finished();
        progress.drainStarted();
        boolean drainedWithGaps = progress.awaitDrained(System.nanoTime());

        for (long offset : new long[] {0, 1}) {
            progress.tryStart(offset);
            progress.completed(offset);
            progress.finished();
        }

        assertThat(drainedWithGaps).isFalse();
        assertThat(progress.awaitDrained(System.nanoTime())).isTrue();
        assertThat(progress.position()).hasValue(3);
    }

    @Test
    void shouldNotWaitAgainForOpenRecordsOnceDispatchIsStopped() throws InterruptedException {
        fetch(0, 1, 2);
        progress.tryStart(0);
        progress.tryStart(1);
        progress.drainStarted();
        boolean drainedWhileRunning = progress.awaitDrained(System.nanoTime());
        // The drain ran out: dispatch stops and the records are interrupted, never completing.
        progress.stopDispatch();
        progress.finished();
        progress.finished();

        long start = System.nanoTime();
        boolean drainedAfterStop = progress.awaitDrained(start + Duration.ofSeconds(30).toNanos());

        assertThat(drainedWhileRunning).isFalse();
        assertThat(drainedAfterStop).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(progress.position()).hasValue(0);
    }

    @Test
    void shouldStartNothingMoreWhenStoppedWhileDraining() {
        fetch(0, 1, 2);
        progress.tryStart(2);
        progress.drainStarted();

        progress.stopDispatch();

        assertThat(progress.tryStart(1)).isFalse();
    }

    @Test
    void shouldRefuseToStartRecordsOfARevokedPartition() {
        progress.revoke();

        boolean started = progress.tryStart(0);

        assertThat(started).isFalse();
        assertThat(progress.inFlightCount()).isZero();
    }

    @Test
    void shouldReturnAtOnceWhenNothingIsInFlight() throws InterruptedException {
        boolean drained = progress.awaitNoneInFlight(System.nanoTime() - 1);

        assertThat(drained).isTrue();
    }

    @Test
    void shouldGiveUpAtTheDeadlineWhileARecordIsStillInFlight() throws InterruptedException {
        progress.tryStart(0);
        long start = System.nanoTime();

        boolean drained = progress.awaitNoneInFlight(start + Duration.ofMillis(50).toNanos());

        assertThat(drained).isFalse();
        // It waits in whole milliseconds, so it may give up during the deadline's last millisecond.
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(49).toNanos());
        assertThat(progress.inFlightCount()).isEqualTo(1);
    }

    @Test
    void shouldWakeAWaiterWhenTheLastRecordInFlightFinishes() throws InterruptedException {
        progress.tryStart(0);
        CountDownLatch returned = new CountDownLatch(1);
        AtomicBoolean drained = new AtomicBoolean();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                drained.set(progress.awaitNoneInFlight(System.nanoTime() + Duration.ofSeconds(30).toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            returned.countDown();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);

        progress.finished();

        assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(drained).isTrue();
        waiter.join();
    }

    @Test
    void shouldWriteHeldOutcomesWhenReleasedInOffsetOrderNamingThoseAboveAnOpenRecordInTheMetadata() {
        List<Long> written = new ArrayList<>();
        fetch(10, 11, 12, 13);
        progress.completed(12, () -> written.add(12L));
        progress.completed(10, () -> written.add(10L));
        OptionalLong beforeRelease = progress.position();
        int heldBeforeRelease = progress.heldCount();

        progress.releaseInOrder();
        List<Long> firstRelease = List.copyOf(written);
        OptionalLong afterFirstRelease = progress.position();
        OffsetAndMetadata firstCommit = progress.toCommit(4096).orElseThrow();
        progress.committed(firstCommit);
        progress.completed(11, () -> written.add(11L));
        progress.releaseInOrder();

        assertThat(beforeRelease).hasValue(10);
        assertThat(heldBeforeRelease).isEqualTo(2);
        // Both written in one release, in offset order; 12 is above the open 11, so the commit's metadata names it.
        assertThat(firstRelease).containsExactly(10L, 12L);
        assertThat(afterFirstRelease).hasValue(11);
        assertThat(firstCommit.offset()).isEqualTo(11);
        assertThat(FinishedOffsets.decode(11, firstCommit.metadata())).containsExactly(12L);
        assertThat(progress.heldCount()).isZero();
        assertThat(written).containsExactly(10L, 12L, 11L);
        assertThat(progress.position()).hasValue(13);
        assertThat(progress.openCount()).isEqualTo(1);
        assertThat(progress.finishedAboveCount()).isZero();
        assertThat(progress.toCommit(4096)).hasValue(new OffsetAndMetadata(13, ""));
    }

    @Test
    void shouldNameTheRecordsFinishedAboveTheOldestOpenOneInTheCommitsMetadata() {
        fetch(100, 101, 102, 103, 104, 105);
        progress.completed(101);
        progress.completed(102);
        progress.completed(104);

        OffsetAndMetadata commit = progress.toCommit(4096).orElseThrow();
        progress.committed(commit);
        Optional<OffsetAndMetadata> unchanged = progress.toCommit(4096);
        progress.completed(105);
        OffsetAndMetadata moreFinished = progress.toCommit(4096).orElseThrow();

        assertThat(commit.offset()).isEqualTo(100);
        assertThat(FinishedOffsets.decode(100, commit.metadata())).containsExactly(101L, 102L, 104L);
        assertThat(progress.finishedAboveCount()).isEqualTo(4);
        assertThat(unchanged).isEmpty();
        // The position did not move, but the metadata did: it is committed again.
        assertThat(moreFinished.offset()).isEqualTo(100);
        assertThat(FinishedOffsets.decode(100, moreFinished.metadata())).containsExactly(101L, 102L, 104L, 105L);
    }

    @Test
    void shouldSkipTheRecordsTheCommittedMetadataNamesAsFinished() {
        progress.skipFinished(new TreeSet<>(List.of(101L, 102L, 104L)));

        boolean process100 = progress.fetched(100);
        boolean process101 = progress.fetched(101);
        boolean process102 = progress.fetched(102);
        boolean process103 = progress.fetched(103);
        boolean process104 = progress.fetched(104);
        progress.completed(100);
        OptionalLong afterFirst = progress.position();
        progress.completed(103);

        assertThat(List.of(process100, process101, process102, process103, process104))
                .containsExactly(true, false, false, true, false);
        assertThat(afterFirst).hasValue(103);
        assertThat(progress.position()).hasValue(105);
        assertThat(progress.toSkip()).isZero();
        assertThat(progress.openCount()).isZero();
    }

    @Test
    void shouldKeepAHeldOutcomeWhoseWriteFailedAndTryItAgainOnTheNextRelease() {
        List<Long> written = new ArrayList<>();
        AtomicBoolean failNext = new AtomicBoolean(true);
        fetch(10, 11);
        progress.completed(10, () -> {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("producer fenced");
            }
            written.add(10L);
        });
        progress.completed(11, () -> written.add(11L));

        assertThatThrownBy(progress::releaseInOrder).hasMessage("producer fenced");
        OptionalLong afterFailure = progress.position();
        progress.releaseInOrder();

        assertThat(afterFailure).hasValue(10);
        assertThat(written).containsExactly(10L, 11L);
        assertThat(progress.position()).hasValue(12);
    }

    @Test
    void shouldDropHeldOutcomesUnwrittenOnRevocation() {
        List<Long> written = new ArrayList<>();
        fetch(10, 11);
        progress.completed(11, () -> written.add(11L));

        progress.revoke();
        progress.completed(10, () -> written.add(10L));
        progress.releaseInOrder();

        assertThat(written).isEmpty();
        assertThat(progress.position()).hasValue(10);
    }

    private void fetch(long... offsets) {
        for (long offset : offsets) {
            progress.fetched(offset);
        }
    }
}
