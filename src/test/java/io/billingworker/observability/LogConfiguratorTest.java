package io.billingworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The worker's built-in log configuration: LOG_FORMAT=json writes JSON lines with the record's ids; text is the
 * default.
 */
class LogConfiguratorTest {

    @Test
    void shouldWriteOneJsonObjectPerLineWithTheLogContext() throws Exception {
        String output = logWith(Map.of(), Map.of("LOG_FORMAT", "json"), context -> {
            MDC.put("event_id", "evt_1");
            MDC.put("order_id", "ord_1");
            MDC.put("merchant_id", "m1");
            context.getLogger("io.billingworker.test").warn("publishing failed for merchant {}", "m1");
        });

        JsonNode line = new ObjectMapper().readTree(output.lines().findFirst().orElseThrow());
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("loggerName").asText()).isEqualTo("io.billingworker.test");
        assertThat(line.get("formattedMessage").asText()).isEqualTo("publishing failed for merchant m1");
        assertThat(line.get("mdc").get("event_id").asText()).isEqualTo("evt_1");
        assertThat(line.get("mdc").get("order_id").asText()).isEqualTo("ord_1");
        assertThat(line.get("mdc").get("merchant_id").asText()).isEqualTo("m1");
        assertThat(line.has("arguments")).isFalse();
        assertThat(line.has("message")).isFalse();
        assertThat(output.lines()).hasSize(1);
    }

    @Test
    void shouldWritePlainLinesAtInfoByDefault() {
        String output = logWith(Map.of(), Map.of(), context -> {
            context.getLogger("io.billingworker.test").debug("not written");
            context.getLogger("io.billingworker.test").info("publishing failed for merchant {}", "m1");
        });

        assertThat(output).matches("(?s)\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] i\\.billingworker\\.test - "
                + "publishing failed for merchant m1\\R");
    }

    @Test
    void shouldKeepKafkaClientsAtWarn() {
        String output = logWith(Map.of(), Map.of(), context -> {
            context.getLogger("org.apache.kafka.clients.NetworkClient").info("node connected");
            context.getLogger("org.apache.kafka.clients.NetworkClient").warn("node unreachable");
        });

        assertThat(output.lines()).singleElement().satisfies(line -> assertThat(line)
                .endsWith("WARN  [main] o.a.k.c.NetworkClient - node unreachable"));
    }

    @Test
    void shouldNeverWriteHttpClientHeadersEvenAtDebug() {
        String output = logWith(Map.of(), Map.of("LOG_LEVEL", "DEBUG"), context -> {
            context.getLogger("org.apache.hc.client5.http.headers").debug("Authorization: Basic c2VjcmV0Og==");
            context.getLogger("io.billingworker.test").debug("debug is on");
        });

        assertThat(output).doesNotContain("Authorization").contains("debug is on");
    }

    @Test
    void shouldTakeTheSystemPropertyOverTheEnvironment() {
        String output = logWith(Map.of("LOG_LEVEL", "WARN"), Map.of("LOG_LEVEL", "DEBUG", "LOG_FORMAT", " JSON "),
                context -> {
                    context.getLogger("io.billingworker.test").info("below the level");
                    context.getLogger("io.billingworker.test").warn("at the level");
                });

        assertThat(output.lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("{").contains("\"formattedMessage\":\"at the level\""));
    }

    @Test
    void shouldWarnAboutAFormatOrLevelItDoesNotKnowAndUseTheDefaults() {
        String output = logWith(Map.of(), Map.of("LOG_FORMAT", "xml", "LOG_LEVEL", "LOUD"),
                context -> context.getLogger("io.billingworker.test").info("still written"));

        assertThat(output.lines()).hasSize(3);
        assertThat(output).contains("WARN  [main] i.b.o.LogConfigurator - LOG_FORMAT=xml is neither json nor text; "
                + "writing text");
        assertThat(output).contains("LOG_LEVEL=LOUD is not a level (TRACE, DEBUG, INFO, WARN, ERROR, OFF); using INFO");
        assertThat(output).contains("INFO  [main] i.billingworker.test - still written");
    }

    @Test
    void shouldStepAsideForAConfigurationFileNamedOnTheCommandLine() {
        LoggerContext context = new LoggerContext();
        LogConfigurator configurator = new LogConfigurator(
                Map.of(LogConfigurator.CONFIGURATION_FILE, "custom.xml")::get, Map.<String, String>of()::get);
        configurator.setContext(context);

        assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        assertThat(context.getLogger("org.apache.kafka").getLevel()).isNull();
    }

    @Test
    void shouldBeFoundByLogbackAsAService() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(LogConfigurator.class);
    }

    private static String logWith(Map<String, String> properties, Map<String, String> environment,
            Consumer<LoggerContext> logging) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogConfigurator configurator = new LogConfigurator(properties::get, environment::get);
            configurator.setContext(context);
            assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger("kafka").getLevel()).isEqualTo(Level.WARN);
            logging.accept(context);
            assertThat(new StatusUtil(context).getHighestLevel(0)).as("logback status").isEqualTo(Status.INFO);
        } finally {
            MDC.clear();
            context.stop();
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
