package io.billingworker.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * A worker starting on a backlog decodes hundreds of records of one schema id at once: the schema is fetched and
 * resolved by one of them while the others wait for it, not once per record.
 */
class ConfluentAvroDeserializerConcurrencyTest {

    @Test
    void shouldResolveANewSchemaIdOnceForRecordsDecodedAtTheSameTime() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        SchemaRegistryClient slowRegistry = new FixedIdRegistry(1, TestRecords.TINY) {
            @Override
            public Schema getById(int id) {
                lookups.incrementAndGet();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.getById(id);
            }
        };
        ConfluentAvroDeserializer<GenericRecord> deserializer = new ConfluentAvroDeserializer<>(slowRegistry);
        byte[] value = HexFormat.of().parseHex("0000000001046162" + "06");

        List<String> names = new CopyOnWriteArrayList<>();
        List<Thread> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(Thread.ofVirtual().start(
                    () -> names.add(deserializer.deserialize("tiny", value).get("name").toString())));
        }
        for (Thread record : records) {
            record.join(10_000);
        }

        assertThat(names).hasSize(50).containsOnly("ab");
        assertThat(lookups).hasValue(1);
    }
}
