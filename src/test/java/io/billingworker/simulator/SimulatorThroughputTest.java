package io.billingworker.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A short throughput run with 1,000 concurrent callers: every call answered 200, the simulator really
 * held hundreds of requests at once, and the rate is printed for the record (speed is measured by the
 * benchmarks, not asserted here).
 */
class SimulatorThroughputTest {

    @Test
    void shouldServeAThousandConcurrentCallers() throws InterruptedException {
        SimulatorThroughput.Result result =
                SimulatorThroughput.run(SimulatorThroughput.Caller.RAW, 1_000, Duration.ofSeconds(2), Duration.ofSeconds(3), 50);

        System.out.println("Simulator throughput: " + result);
        assertThat(result.failures()).isZero();
        assertThat(result.statuses()).containsOnlyKeys(200);
        assertThat(result.peakInFlight()).isGreaterThanOrEqualTo(500);
    }
}
