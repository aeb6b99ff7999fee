package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The production logback.xml: LOG_FORMAT=json writes JSON lines carrying the record's ids; text is the default. */
class JsonLogFormatTest {

    private static final Path MAIN_CONFIG = Path.of("target/classes/logback.xml");

    @Test
    void shouldWriteOneJsonObjectPerLineWithTheLogContext() throws Exception {
        String output = logWith("json");

        JsonNode line = new ObjectMapper().readTree(output.lines().findFirst().orElseThrow());
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("loggerName").asText()).isEqualTo("io.billingworker.test");
        assertThat(line.get("formattedMessage").asText()).isEqualTo("publishing failed for merchant m1");
        assertThat(line.get("mdc").get("event_id").asText()).isEqualTo("evt_1");
        assertThat(line.get("mdc").get("order_id").asText()).isEqualTo("ord_1");
        assertThat(line.get("mdc").get("merchant_id").asText()).isEqualTo("m1");
        assertThat(line.has("arguments")).isFalse();
        assertThat(output.lines()).hasSize(1);
    }

    @Test
    void shouldWritePlainLinesByDefault() throws Exception {
        String output = logWith(null);

        assertThat(output).matches("(?s)\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[main\\] i\\.billingworker\\.test - "
                + "publishing failed for merchant m1\\R");
    }

    private static String logWith(String format) throws JoranException, java.io.IOException {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        if (format != null) {
            context.putProperty("LOG_FORMAT", format);
        }
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            URL config = MAIN_CONFIG.toUri().toURL();
            configurator.doConfigure(config);
            MDC.put("event_id", "evt_1");
            MDC.put("order_id", "ord_1");
            MDC.put("merchant_id", "m1");
            context.getLogger("io.billingworker.test").warn("publishing failed for merchant {}", "m1");
            assertThat(new StatusUtil(context).getHighestLevel(0)).as("logback status").isEqualTo(Status.INFO);
        } finally {
            MDC.clear();
            context.stop();
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
