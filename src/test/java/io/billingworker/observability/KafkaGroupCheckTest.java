package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class KafkaGroupCheckTest {

    private final Map<MetricName, Metric> metrics = new HashMap<>();
    private final KafkaGroupCheck check = new KafkaGroupCheck(() -> metrics, Duration.ofSeconds(30),
            Duration.ofMinutes(5));

    @Test
    void shouldBeUpWithPartitionsAssignedAndARecentHeartbeat() {
        put(KafkaGroupCheck.LAST_HEARTBEAT, 2.0);
        put(KafkaGroupCheck.ASSIGNED, 3.0);
        put(KafkaGroupCheck.LAST_REBALANCE, 900.0);

        HealthCheck.Status status = check.check();

        assertThat(status).isEqualTo(HealthCheck.Status.up("3 partition(s) assigned, last heartbeat 2 s ago"));
    }

    @Test
    void shouldBeDownBeforeTheFirstHeartbeat() {
        put(KafkaGroupCheck.LAST_HEARTBEAT, Double.POSITIVE_INFINITY);
        put(KafkaGroupCheck.ASSIGNED, 0.0);

        HealthCheck.Status status = check.check();

        assertThat(status).isEqualTo(HealthCheck.Status.down("not joined the consumer group yet (no heartbeat sent)"));
    }

    @Test
    void shouldBeDownWhenHeartbeatsStoppedEvenWithPartitions() {
        put(KafkaGroupCheck.LAST_HEARTBEAT, 31.0);
        put(KafkaGroupCheck.ASSIGNED, 3.0);

        HealthCheck.Status status = check.check();

        assertThat(status).isEqualTo(HealthCheck.Status.down(
                "no heartbeat to the group coordinator for 31 s: Kafka unreachable or the group is rebalancing"));
    }

    @Test
    void shouldKeepAMemberWithoutPartitionsReadyForAWhileAfterItJoined() {
        put(KafkaGroupCheck.LAST_HEARTBEAT, 1.0);
        put(KafkaGroupCheck.ASSIGNED, 0.0);
        put(KafkaGroupCheck.LAST_REBALANCE, 120.0);

        HealthCheck.Status status = check.check();

        assertThat(status).isEqualTo(HealthCheck.Status.up(
                "group member without partitions, joined 120 s ago (more workers than partitions?)"));
    }

    @Test
    void shouldBeDownForAMemberWithoutPartitionsLongAfterItsLastRebalance() {
        put(KafkaGroupCheck.LAST_HEARTBEAT, 1.0);
        put(KafkaGroupCheck.ASSIGNED, 0.0);
        put(KafkaGroupCheck.LAST_REBALANCE, 301.0);

        HealthCheck.Status status = check.check();

        assertThat(status).isEqualTo(HealthCheck.Status.down("no partitions assigned for 301 s"));
    }

    @Test
    void shouldBeDownWhileJoiningWithoutAnyRebalanceYet() {
        put(KafkaGroupCheck.LAST_HEARTBEAT, 1.0);
        put(KafkaGroupCheck.LAST_REBALANCE, -1.0);

        HealthCheck.Status status = check.check();

        assertThat(status).isEqualTo(HealthCheck.Status.down("no partitions assigned: the group has not finished joining"));
    }

    private void put(String name, double value) {
        MetricName metricName = new MetricName(name, KafkaGroupCheck.GROUP, "", Map.of("client-id", "c1"));
        metrics.put(metricName, new Metric() {
            @Override
            public MetricName metricName() {
                return metricName;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }
}
