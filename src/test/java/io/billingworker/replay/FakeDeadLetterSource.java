package io.billingworker.replay;

import io.billingworker.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory dead-letter topic: returns {@code batchSize} records per partition per poll from the positions it
 * was seeked to, moves the test clock by the poll timeout when it has nothing, and records every commit together
 * with how many sent records the sink had acknowledged at that moment.
 */
final class FakeDeadLetterSource implements DeadLetterSource {

    /** One commit and the sink's state when it happened. */
    record Commit(Map<Integer, Long> offsets, int sent, int acknowledged) {
    }

    private final Map<Integer, List<DeadLetterRecord>> partitions = new TreeMap<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final Set<Integer> paused = new HashSet<>();
    private final List<Commit> commits = new ArrayList<>();
    private final MutableClock clock;
    private final FakeSink sink;
    private final int batchSize;

    FakeDeadLetterSource(MutableClock clock, FakeSink sink, int batchSize) {
        this.clock = clock;
        this.sink = sink;
        this.batchSize = batchSize;
    }

    /** Appends a record at the partition's next offset. */
    FakeDeadLetterSource add(int partition, DeadLetters.Spec spec) {
        List<DeadLetterRecord> records = partitions.computeIfAbsent(partition, p -> new ArrayList<>());
        records.add(DeadLetters.record(partition, records.size(), spec));
        return this;
    }

    void seek(ReplayPlan plan) {
        plan.partitions().forEach(partition -> positions.put(partition.partition(), partition.start()));
    }

    @Override
    public List<DeadLetterRecord> poll() {
        List<DeadLetterRecord> batch = new ArrayList<>();
        positions.forEach((partition, position) -> {
            if (paused.contains(partition)) {
                return;
            }
            List<DeadLetterRecord> records = partitions.getOrDefault(partition, List.of());
            int from = (int) Math.min(position, records.size());
            int to = Math.min(records.size(), from + batchSize);
            batch.addAll(records.subList(from, to));
        });
        batch.forEach(record -> positions.put(record.partition(), record.offset() + 1));
        if (batch.isEmpty()) {
            clock.advance(Duration.ofMillis(200));
        }
        return batch;
    }

    @Override
    public long position(int partition) {
        return positions.get(partition);
    }

    @Override
    public void pause(int partition) {
        paused.add(partition);
    }

    @Override
    public void commit(Map<Integer, Long> nextOffsets) {
        commits.add(new Commit(new TreeMap<>(nextOffsets), sink.sent().size(), sink.acknowledged()));
    }

    List<Commit> commits() {
        return commits;
    }

    Commit lastCommit() {
        return commits.get(commits.size() - 1);
    }

    Set<Integer> paused() {
        return paused;
    }
}
