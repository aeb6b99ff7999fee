package io.billingworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void shouldPickDistinctPortsThatAreFree() {
        List<Integer> ports = LoopbackPorts.pickFree(3);

        assertThat(ports).hasSize(3).doesNotHaveDuplicates();
        assertThat(ports).allSatisfy(port -> assertThat(LoopbackPorts.isFree(port)).isTrue());
    }

    @Test
    void shouldSeeABoundPortAsTaken() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));

            boolean free = LoopbackPorts.isFree(socket.getLocalPort());

            assertThat(free).isFalse();
        }
    }

    @Test
    void shouldRecogniseBindFailuresAnywhereInTheCauseChain() {
        KafkaException wrapped = new KafkaException("Socket server failed to bind to 127.0.0.1:9092: "
                + "Address already in use.", new BindException("Address already in use"));

        assertThat(LoopbackPorts.isBindFailure(new IllegalStateException("startup", wrapped))).isTrue();
        assertThat(LoopbackPorts.isBindFailure(new IllegalStateException("metadata.version unsupported"))).isFalse();
    }

    @Test
    void shouldRejectAnEmptyRequest() {
        assertThatThrownBy(() -> LoopbackPorts.pickFree(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count must be at least 1, was 0");
    }
}
