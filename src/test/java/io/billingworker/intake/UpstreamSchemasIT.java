package io.billingworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.app.Worker;
import io.billingworker.avro.BillingSessionCreated;
import io.billingworker.avro.Frequency;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.outcome.DeadLetterHeaders;
import io.billingworker.replay.DltInspector;
import io.billingworker.replay.DltReport;
import io.billingworker.replay.KafkaSettings;
import io.billingworker.serde.ConfluentAvroSerializer;
import io.billingworker.serde.SchemaRegistryClient;
import io.billingworker.serde.SchemaRegistryClients;
import io.billingworker.serde.UpstreamSchemas;
import io.billingworker.serde.WireFormat;
import io.billingworker.testsupport.WorkerHarness;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 as an upstream team meets it: signups written with their own copies of the contract, registered in the
 * real registry (Apicurio, BACKWARD), published to the real broker and read by a worker built by the production
 * composition root. Every record ends in exactly one outcome; what cannot be read is a SCHEMA_INCOMPATIBLE dead
 * letter naming the field, counted per schema id and grouped by {@code dlt inspect}.
 */
class UpstreamSchemasIT {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void shouldCreateSessionsForCompatibleCopiesAndDeadLetterWhatCannotBeRead() throws Exception {
        try (WorkerHarness harness = WorkerHarness.start(1);
                SchemaRegistryClient registry = SchemaRegistryClients.forConfig(
                        Map.of("schema.registry.url", harness.registryUrl()))) {
            ConfluentAvroSerializer<GenericRecord> upstream = new ConfluentAvroSerializer<>(registry);
            String subject = "upstream-" + run;
            Schema namespaced = UpstreamSchemas.otherNamespace();
            Schema renamed = UpstreamSchemas.edited(schema -> {
                schema.put("name", "Signup").putArray("aliases").add("io.billingworker.avro.SubscriptionSignup");
                ((ObjectNode) UpstreamSchemas.field(schema, "customer").get("type")).put("name", "Buyer");
                UpstreamSchemas.field(schema, "customer.customer_id").put("name", "buyer_ref").putArray("aliases")
                        .add("customer_id");
            });
            Schema extraField = UpstreamSchemas.edited(schema -> ((ArrayNode) schema.get("fields")).addObject()
                    .put("name", "campaign_code").put("type", "string"));
            Schema withoutOptional = UpstreamSchemas.edited(schema -> {
                UpstreamSchemas.remove(schema, "gateway_id");
                UpstreamSchemas.remove(schema, "description");
                UpstreamSchemas.remove(schema, "metadata");
            });
            Schema withoutRequired = UpstreamSchemas.edited(
                    schema -> UpstreamSchemas.remove(schema, "customer.customer_id"));
            Schema moreSymbols = UpstreamSchemas.edited(schema -> ((ArrayNode) UpstreamSchemas
                    .field(schema, "mandate.frequency").get("type").get(1).get("symbols")).add("TRIENNIAL"));
            Map<String, byte[]> published = new HashMap<>();
            Worker worker = harness.startWorker();

            published.put("ns", publish(harness, upstream, subject, null, namespaced, signup("ns"), Map.of()));
            published.put("renamed", publish(harness, upstream, subject + "-renamed", "renamed", renamed,
                    signup("renamed"), Map.of()));
            published.put("extra", publish(harness, upstream, subject + "-extra", "extra", extraField, signup("extra"),
                    Map.of("campaign_code", "SPRING")));
            published.put("optional", publish(harness, upstream, subject + "-optional", "optional", withoutOptional,
                    signup("optional"), Map.of()));
            published.put("required", publish(harness, upstream, subject, "required", withoutRequired,
                    signup("required"), Map.of()));
            published.put("known", publish(harness, upstream, subject + "-enum", "known", moreSymbols,
                    monthly(signup("known")), Map.of()));
            published.put("unknown", publish(harness, upstream, subject + "-enum", "unknown", moreSymbols,
                    triennial(moreSymbols, monthly(signup("unknown")))));
            WorkerHarness.Outcomes outcomes = harness.awaitOutcomes(published.size(), Duration.ofSeconds(60));

            assertThat(registry.getLatest(subject + "-value").version())
                    .as("BACKWARD lets a team drop a field the worker requires").isEqualTo(2);
            assertThat(outcomes.total()).isEqualTo(published.size());
            assertThat(outcomes.failed()).isEmpty();
            assertThat(outcomes.created()).extracting(BillingSessionCreated::getSubscriptionId)
                    .containsExactlyInAnyOrder(id("ns"), id("renamed"), id("extra"), id("optional"), id("known"));
            assertThat(outcomes.created()).filteredOn(created -> created.getSubscriptionId().equals(id("renamed")))
                    .singleElement().extracting(BillingSessionCreated::getCustomerId).isEqualTo("cth_" + id("renamed"));
            Map<String, ConsumerRecord<byte[], byte[]>> dead = outcomes.deadLetters().stream()
                    .collect(Collectors.toMap(record -> new String(record.key(), StandardCharsets.UTF_8),
                            record -> record));
            assertThat(dead).containsOnlyKeys(id("required"), id("unknown"));
            int requiredId = schemaId(published.get("required"));
            int enumId = schemaId(published.get("unknown"));
            assertThat(header(dead.get(id("required")), DeadLetterHeaders.REASON)).isEqualTo("SCHEMA_INCOMPATIBLE");
            assertThat(header(dead.get(id("required")), DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo("schema id "
                    + requiredId + " (com.acme.billing.SubscriptionSignup) cannot be read as "
                    + "io.billingworker.avro.SubscriptionSignup: field customer.customer_id is required (no default) "
                    + "and missing from the writer schema");
            assertThat(dead.get(id("required")).value()).isEqualTo(published.get("required"));
            assertThat(header(dead.get(id("unknown")), DeadLetterHeaders.REASON)).isEqualTo("SCHEMA_INCOMPATIBLE");
            assertThat(header(dead.get(id("unknown")), DeadLetterHeaders.EXCEPTION_MESSAGE)).isEqualTo("schema id "
                    + enumId + ": mandate.frequency (enum io.billingworker.avro.Frequency) has symbol TRIENNIAL, "
                    + "which the worker's enum does not have");
            assertThat(harness.simulator().requestsFor(LifecycleSignups.orderId("evt_required_" + run))).isEmpty();
            assertThat(harness.simulator().requestsFor(LifecycleSignups.orderId("evt_unknown_" + run))).isEmpty();
            assertThat(schemaCount(harness, worker, enumId, "read")).isEqualTo(1.0);
            assertThat(schemaCount(harness, worker, enumId, "incompatible")).isEqualTo(1.0);
            assertThat(schemaCount(harness, worker, requiredId, "incompatible")).isEqualTo(1.0);
            assertThat(schemaCount(harness, worker, schemaId(published.get("ns")), "read")).isEqualTo(1.0);
            DltReport report = new DltInspector(KafkaSettings.of(harness.kafka().bootstrapServers()),
                    Clock.systemUTC(), Duration.ofSeconds(20)).inspect(harness.topics().deadLetter(), 1);
            assertThat(report.tally().byReason()).containsExactly(Map.entry("SCHEMA_INCOMPATIBLE", 2L));
            assertThat(report.render()).contains("SCHEMA_INCOMPATIBLE");
        }
    }

    private byte[] publish(WorkerHarness harness, ConfluentAvroSerializer<GenericRecord> upstream, String subject,
            String key, Schema writer, SubscriptionSignup signup, Map<String, Object> extra) {
        return publish(harness, upstream, subject, key, writer, UpstreamSchemas.record(writer, signup, extra));
    }

    private byte[] publish(WorkerHarness harness, ConfluentAvroSerializer<GenericRecord> upstream, String subject,
            String key, Schema writer, GenericRecord record) {
        byte[] bytes = upstream.serialize(subject, record);
        harness.publishRaw(key == null ? null : id(key), bytes, List.of());
        return bytes;
    }

    private SubscriptionSignup signup(String name) {
        return io.billingworker.app.DemoSignups.seedShape(id(name), "evt_" + name + "_" + run, null, null,
                Instant.now());
    }

    private String id(String name) {
        return "sub_" + name + "_" + run;
    }

    private static SubscriptionSignup monthly(SubscriptionSignup signup) {
        signup.getMandate().setFrequency(Frequency.MONTHLY);
        signup.getMandate().setRuleValue(5);
        return signup;
    }

    private static GenericRecord triennial(Schema writer, SubscriptionSignup signup) {
        GenericRecord record = UpstreamSchemas.record(writer, signup, Map.of());
        GenericRecord mandate = (GenericRecord) record.get("mandate");
        Schema frequency = mandate.getSchema().getField("frequency").schema().getTypes().get(1);
        mandate.put("frequency", new GenericData.EnumSymbol(frequency, "TRIENNIAL"));
        return record;
    }

    private static int schemaId(byte[] value) {
        return WireFormat.schemaIdIn(value).orElseThrow();
    }

    private static double schemaCount(WorkerHarness harness, Worker worker, int schemaId, String result) {
        var counter = harness.meters(worker).find("billing.signups.by.schema").tag("schema_id", Integer.toString(schemaId))
                .tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
