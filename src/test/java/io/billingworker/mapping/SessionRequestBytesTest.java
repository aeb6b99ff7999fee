package io.billingworker.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SessionRequestBytesTest {

    @Test
    void shouldWriteDecimalsAsPlainDigits() {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("stripped", new BigDecimal("2E+1"))
                .put("exact", new BigDecimal("20.0"));
        SessionRequest request = new SessionRequest("m", "o", "c", "c", body);

        String json = new String(request.bodyBytes(), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"stripped\":20,\"exact\":20.0}");
    }
}
