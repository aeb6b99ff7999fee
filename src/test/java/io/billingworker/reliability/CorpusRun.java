package io.billingworker.reliability;

import io.billingworker.app.Worker;
import io.billingworker.avro.SubscriptionSignup;
import io.billingworker.serde.ConfluentAvroSerializer;
import io.billingworker.simulator.SessionSimulator;
import io.billingworker.testsupport.WorkerHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericContainer;

/**
 * Drives the whole {@link BadInputCorpus} through one real worker (real broker and registry, the simulator as the
 * API) in a single run, followed by one valid canary signup, and keeps what landed for the assertions.
 */
final class CorpusRun implements AutoCloseable {

    static final String CANARY = "canary-after-corpus";

    private final WorkerHarness harness;
    private final ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
    private final List<BadInputCorpus.Case> cases = BadInputCorpus.cases();
    private Worker worker;
    private OutcomeLedger.Snapshot outcomes;

    CorpusRun() {
        this.harness = WorkerHarness.start(3);
        // Short enough that fault phases run after the corpus (SecretLeakIT) recover within seconds.
        harness.set("breaker.open-wait-ms", "2000");
        serializer.configure(Map.of("schema.registry.url", harness.registryUrl()), false);
    }

    WorkerHarness harness() {
        return harness;
    }

    List<BadInputCorpus.Case> cases() {
        return cases;
    }

    Worker worker() {
        return worker;
    }

    OutcomeLedger.Snapshot outcomes() {
        return outcomes;
    }

    /** The order id given to {@code caseId}. */
    String orderIdOf(String caseId) {
        for (int i = 0; i < cases.size(); i++) {
            if (cases.get(i).id().equals(caseId)) {
                return BadInputCorpus.orderId(i);
            }
        }
        throw new IllegalArgumentException("no corpus case " + caseId);
    }

    /** Starts the worker, publishes every case and the canary, and waits for all their outcomes. */
    CorpusRun run() {
        SessionSimulator simulator = harness.simulator();
        simulator.rejectOrder(orderIdOf("api-rejects-400"), BadInputCorpus.REJECT_CODE, "order rejected");
        simulator.alwaysUnauthorized(orderIdOf("api-401"));
        simulator.alwaysFail(orderIdOf("api-always-503"), 503);
        worker = harness.startWorker();
        BadInputCorpus.Tools tools = new BadInputCorpus.Tools() {
            @Override
            public byte[] serialize(SubscriptionSignup signup) {
                return serializer.serialize(harness.topics().input(), signup);
            }

            @Override
            public byte[] serializeForeign(String subjectTopic, GenericContainer record) {
                return serializer.serialize(subjectTopic + "-" + harness.topics().input(), record);
            }
        };
        for (int i = 0; i < cases.size(); i++) {
            BadInputCorpus.Case corpusCase = cases.get(i);
            BadInputCorpus.Published published = corpusCase.input().build(tools, corpusCase.id(), BadInputCorpus.orderId(i));
            harness.publishRaw(published.key(), published.value(), published.headers());
        }
        harness.publish(CorpusSignups.valid(CANARY, "canary1"));
        try (OutcomeLedger ledger = new OutcomeLedger(harness.kafka().bootstrapServers(), harness.topics(),
                harness.registryUrl())) {
            outcomes = ledger.await(cases.size() + 1, Duration.ofSeconds(120), Duration.ofSeconds(2));
        }
        return this;
    }

    @Override
    public void close() {
        serializer.close();
        harness.close();
    }
}
