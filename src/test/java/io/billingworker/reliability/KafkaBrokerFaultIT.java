package io.billingworker.reliability;

import io.billingworker.app.Worker;
import io.billingworker.testsupport.ApicurioRegistry;
import io.billingworker.testsupport.KafkaProcessBroker;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Broker faults against a single-node KRaft broker running as its own process ({@link KafkaProcessBroker}): killed with
 * SIGKILL mid-stream and restarted on the same ports and data, and stopped gracefully for a while ("leader
 * unavailable": on a single broker a partition's leader can only become unavailable by its broker going away; the
 * controlled shutdown hands clients NOT_LEADER / LEADER_NOT_AVAILABLE errors rather than dropped connections, which is
 * what a leader election looks like to them). The worker runs in this JVM; nothing may be lost, duplicates only from
 * the uncommitted window.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaBrokerFaultIT {

    private static final int MAX_BUFFERED = 500;
    private static final int DUPLICATE_WINDOW = MAX_BUFFERED + 200;

    private KafkaProcessBroker broker;

    @BeforeAll
    void startBroker() {
        broker = KafkaProcessBroker.builder().build().start();
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldLoseNothingWhenTheBrokerIsKilledAndRestarted() throws Exception {
        try (FaultRig rig = rig()) {
            Worker worker = rig.startWorker();
            ScenarioDriver.Fault fault = FaultMatrixIT.fault(broker::kill, broker::restart);

            ScenarioDriver.Result result = new ScenarioDriver(rig, "bk").run("Kafka: broker kill -9, restart after 5 s",
                    FaultMatrixIT.plan(Duration.ofSeconds(5)), fault, FaultMatrixIT.running(worker),
                    "recover time includes the broker's restart");

            MatrixAssertions.assertSurvived(result, DUPLICATE_WINDOW);
        }
    }

    @Test
    void shouldLoseNothingWhileThePartitionLeaderIsUnavailable() throws Exception {
        try (FaultRig rig = rig()) {
            Worker worker = rig.startWorker();
            ScenarioDriver.Fault fault = FaultMatrixIT.fault(broker::stop, broker::restart);

            ScenarioDriver.Result result = new ScenarioDriver(rig, "lu").run(
                    "Kafka: partition leader unavailable (controlled shutdown, 10 s)",
                    FaultMatrixIT.plan(Duration.ofSeconds(10)), fault, FaultMatrixIT.running(worker),
                    "recover time includes the broker's restart");

            MatrixAssertions.assertSurvived(result, DUPLICATE_WINDOW);
        }
    }

    private FaultRig rig() {
        FaultRig rig = new FaultRig(broker.bootstrapServers(), ApicurioRegistry.shared().url(), 6,
                simulator -> simulator.latency(FaultMatrixIT.latency()));
        rig.set("processing.max-buffered", Integer.toString(MAX_BUFFERED));
        return rig;
    }
}
