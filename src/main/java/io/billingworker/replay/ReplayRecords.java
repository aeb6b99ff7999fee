package io.billingworker.replay;

import io.billingworker.outcome.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Turns a dead-letter record back into the record the worker first consumed. */
public final class ReplayRecords {

    private ReplayRecords() {
    }

    /**
     * The original key and value bytes and the original headers (every header not starting with {@code dlt.}, in
     * their order), plus {@code dlt.replay.count} = the record's replay count + 1. No partition is chosen: the
     * producer's partitioner places it by key, as the original was. The timestamp is the time of the replay.
     */
    public static ProducerRecord<byte[], byte[]> toProducerRecord(DeadLetterRecord record, String targetTopic) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : DeadLetterHeaders.originalHeaders(record.headers())) {
            headers.add(header);
        }
        headers.add(new RecordHeader(DeadLetterHeaders.REPLAY_COUNT,
                Integer.toString(record.replayCount() + 1).getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(targetTopic, null, null, record.key(), record.value(), headers);
    }
}
