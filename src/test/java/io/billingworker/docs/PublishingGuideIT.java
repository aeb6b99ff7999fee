package io.billingworker.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.billing.PublishSignup;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.serde.ConfluentAvroDeserializer;
import io.billingworker.serde.ConfluentAvroSerializer;
import io.billingworker.serde.IncompatibleSchemaException;
import io.billingworker.serde.SchemaRegistryClient;
import io.billingworker.serde.SchemaRegistryClients;
import io.billingworker.serde.TestRecords;
import io.billingworker.serde.UndecodableRecordException;
import io.billingworker.serde.UpstreamSchemas;
import io.billingworker.testsupport.ApicurioRegistry;
import io.billingworker.testsupport.WorkerHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/publishing.md, tried: its Java producer publishes a signup that a real worker turns into a session, and its
 * table of schema changes says what the real registry (Apicurio, BACKWARD) and the worker's reader do with each.
 */
class PublishingGuideIT {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void shouldHaveTheWorkerCreateASessionForTheSignupOfTheJavaExample(@TempDir Path dir) throws Exception {
        Path upstreamCopy = dir.resolve("SubscriptionSignup.avsc");
        Files.writeString(upstreamCopy, UpstreamSchemas.otherNamespace().toString(true), StandardCharsets.UTF_8);
        try (WorkerHarness harness = WorkerHarness.start(1)) {
            harness.startWorker();
            Properties config = PublishSignup.producerConfig(harness.kafka().bootstrapServers(), harness.registryUrl());
            // Confluent's KafkaAvroSerializer is not on Maven Central; ours writes the same bytes (docs/publishing.md)
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class.getName());
            Schema schema = new Schema.Parser().parse(upstreamCopy.toFile());
            GenericRecord signup = PublishSignup.signup(schema, "evt_guide_" + run, "sub_guide_" + run);

            RecordMetadata sent = PublishSignup.send(config, harness.topics().input(), signup);
            WorkerHarness.Outcomes outcomes = harness.awaitOutcomes(1, Duration.ofSeconds(60));

            assertThat(sent.topic()).isEqualTo(harness.topics().input());
            assertThat(schema.getFullName()).isEqualTo("com.acme.billing.SubscriptionSignup");
            assertThat(outcomes.deadLetters()).isEmpty();
            assertThat(outcomes.failed()).isEmpty();
            assertThat(outcomes.created()).singleElement().satisfies(created -> {
                assertThat(created.getEventId()).isEqualTo("evt_guide_" + run);
                assertThat(created.getSubscriptionId()).isEqualTo("sub_guide_" + run);
                assertThat(created.getCustomerId()).isEqualTo("cth_sub_guide_" + run);
            });
            assertThat(outcomes.createdRecords()).singleElement().extracting(record -> new String(record.key(),
                    StandardCharsets.UTF_8)).isEqualTo("sub_guide_" + run);
            assertThat(harness.simulator().requests()).hasSize(1);
        }
    }

    @Test
    void shouldHaveTheRegistryAndTheWorkerAnswerEachSchemaChangeAsTheGuideSays() {
        SchemaRegistryClient registry = client();
        ConfluentAvroDeserializer<SubscriptionSignup> worker = new ConfluentAvroDeserializer<>(registry,
                Map.of("specific.avro.reader", true, "specific.avro.value.type", SubscriptionSignup.class.getName()),
                false);
        toClose.add(worker);
        List<Change> changes = List.of(
                new Change("another namespace", s -> s.put("namespace", UpstreamSchemas.NAMESPACE), true, true),
                new Change("another record name", s -> s.put("name", "Signup"), false, true),
                new Change("another record name with the old one as an alias", s -> s.put("name", "Signup")
                        .putArray("aliases").add("io.billingworker.avro.SubscriptionSignup"), true, true),
                new Change("another enum name", s -> ((ObjectNode) UpstreamSchemas.field(s, "mandate.frequency")
                        .get("type").get(1)).put("name", "Cadence"), false, true),
                new Change("another enum name with the old one as an alias", s -> ((ObjectNode) UpstreamSchemas
                        .field(s, "mandate.frequency").get("type").get(1)).put("name", "Cadence")
                        .putArray("aliases").add("io.billingworker.avro.Frequency"), true, true),
                new Change("add a field with a default", s -> ((ArrayNode) s.get("fields")).addObject()
                        .put("name", "campaign_code").putNull("default").putArray("type").add("null").add("string"),
                        true, true),
                new Change("remove fields with defaults", s -> {
                    UpstreamSchemas.remove(s, "gateway_id");
                    UpstreamSchemas.remove(s, "customer.email");
                }, true, true),
                new Change("remove a required field", s -> UpstreamSchemas.remove(s, "customer.customer_id"), true,
                        false),
                new Change("rename a field with an alias", s -> UpstreamSchemas.field(s, "customer.customer_id")
                        .put("name", "buyer_ref").putArray("aliases").add("customer_id"), true, true),
                new Change("rename a field without an alias", s -> UpstreamSchemas.field(s, "customer.customer_id")
                        .put("name", "buyer_ref"), false, false),
                new Change("int where the contract has long", s -> UpstreamSchemas.field(s, "mandate.start_date")
                        .putArray("type").add("null").add("int"), false, true),
                new Change("another type", s -> UpstreamSchemas.field(s, "amount").put("type", "double"), false,
                        false),
                new Change("a required field nullable", s -> UpstreamSchemas.field(s, "amount").putArray("type")
                        .add("null").add("string"), true, false),
                new Change("an optional field required", s -> UpstreamSchemas.field(s, "merchant_id")
                        .put("type", "string").remove("default"), false, true),
                new Change("add an enum symbol", s -> symbols(s, "mandate.frequency").add("TRIENNIAL"), true, true),
                new Change("remove an enum symbol", s -> symbols(s, "mandate.amount_rule").remove(0), false, true));

        SoftAssertions verdicts = new SoftAssertions();
        for (Change change : changes) {
            String subject = "guide-" + run + "-" + change.name().replace(' ', '-');
            registry.register(subject, contract());
            Schema changed = change.schema();

            boolean registryAccepts = accepts(() -> registry.register(subject, changed));
            boolean workerReads = reads(worker, new ConfluentAvroSerializer<>(registry), subject + "-alone", changed);

            verdicts.assertThat(registryAccepts).as("BACKWARD registry on: " + change.name())
                    .isEqualTo(change.registryAccepts());
            verdicts.assertThat(workerReads).as("worker on: " + change.name()).isEqualTo(change.workerReads());
        }
        verdicts.assertAll();
    }

    @Test
    void shouldHaveAForwardTransitiveSubjectRefuseWhatTheWorkerCannotRead() throws Exception {
        SchemaRegistryClient registry = client();
        String subject = "guide-" + run + "-forward-transitive";
        registry.register(subject, contract());
        setCompatibility(subject, "FORWARD_TRANSITIVE");
        Schema withoutRequired = edited(s -> UpstreamSchemas.remove(s, "customer.customer_id"));
        Schema withOptionalField = edited(s -> ((ArrayNode) s.get("fields")).addObject()
                .put("name", "campaign_code").putNull("default").putArray("type").add("null").add("string"));
        Schema withoutDefaulted = edited(s -> UpstreamSchemas.remove(s, "gateway_id"));
        Schema withMoreSymbols = edited(s -> symbols(s, "mandate.frequency").add("TRIENNIAL"));

        assertThatThrownBy(() -> registry.register(subject, withoutRequired))
                .isInstanceOf(IncompatibleSchemaException.class);
        assertThatThrownBy(() -> registry.register(subject, withMoreSymbols))
                .isInstanceOf(IncompatibleSchemaException.class);
        registry.register(subject, withOptionalField);
        registry.register(subject, withoutDefaulted);
        assertThat(registry.getLatest(subject).version()).isEqualTo(3);
    }

    private record Change(String name, Consumer<ObjectNode> edit, boolean registryAccepts, boolean workerReads) {
        Schema schema() {
            return edited(edit);
        }
    }

    private static Schema contract() {
        return new Schema.Parser().parse(UpstreamSchemas.contract().toString());
    }

    private static Schema edited(Consumer<ObjectNode> edit) {
        ObjectNode schema = UpstreamSchemas.contract();
        edit.accept(schema);
        return new Schema.Parser().parse(schema.toString());
    }

    private static ArrayNode symbols(ObjectNode schema, String field) {
        return (ArrayNode) UpstreamSchemas.field(schema, field).get("type").get(1).get("symbols");
    }

    private static boolean accepts(Runnable registration) {
        try {
            registration.run();
            return true;
        } catch (IncompatibleSchemaException e) {
            return false;
        }
    }

    /** Whether the worker's reader reads a signup written with {@code writer} (registered under its own subject). */
    private static boolean reads(ConfluentAvroDeserializer<SubscriptionSignup> worker,
            ConfluentAvroSerializer<GenericRecord> upstream, String subjectTopic, Schema writer) {
        GenericRecord record = UpstreamSchemas.record(writer, TestRecords.signup(), Map.of());
        if (writer.getField("merchant_id").schema().getType() == Schema.Type.STRING) {
            record.put("merchant_id", "m1");
        }
        if (writer.getField("amount").schema().getType() == Schema.Type.DOUBLE) {
            record.put("amount", 1.0);
        }
        if (writer.getField("customer").schema().getField("buyer_ref") != null) {
            ((GenericRecord) record.get("customer")).put("buyer_ref", "c1");
        }
        byte[] bytes = upstream.serialize(subjectTopic, record);
        try {
            return worker.deserialize("t", bytes) != null;
        } catch (UndecodableRecordException e) {
            assertThat(e.reason()).isEqualTo(UndecodableRecordException.Reason.INCOMPATIBLE_SCHEMA);
            return false;
        }
    }

    private SchemaRegistryClient client() {
        SchemaRegistryClient client = SchemaRegistryClients.forConfig(
                Map.of("schema.registry.url", ApicurioRegistry.shared().url()));
        toClose.add(client);
        return client;
    }

    private static void setCompatibility(String subject, String level) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ApicurioRegistry.shared().url() + "/config/" + subject))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
