package io.billingworker.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The worker's log configuration, set up in code when logback starts (found through
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}), so that starting the worker does not load
 * logback's XML configuration machinery and an XML parser. It is the configuration docs/operations.md describes:
 * one line per event on stderr; {@code LOG_FORMAT=json} (environment variable or system property) writes one JSON
 * object per line with the record's ids under "mdc", {@code LOG_FORMAT=text} (the default) plain lines;
 * {@code LOG_LEVEL} sets the root level ({@code INFO}); Kafka's own loggers at {@code WARN}.
 *
 * <p>A logback XML file named by the {@code logback.configurationFile} system property replaces all of this:
 * the configurator then steps aside and logback reads that file (the tests name their {@code logback-test.xml} so).
 * A LOG_FORMAT or LOG_LEVEL it does not know is logged as a warning and the default is used.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    /** The system property naming a logback XML file that replaces this configuration. */
    static final String CONFIGURATION_FILE = "logback.configurationFile";

    /** The text format's pattern. */
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";

    /**
     * Loggers whose level differs from the root's. HttpClient 5 stays at INFO even with LOG_LEVEL=DEBUG: its debug
     * output has the request headers, the merchant's API key among them.
     */
    static final Map<String, Level> LEVELS = Map.of(
            "org.apache.kafka", Level.WARN,
            "kafka", Level.WARN,
            "state.change.logger", Level.WARN,
            "org.apache.hc", Level.INFO);

    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;

    /** Reads the JVM's system properties and environment. */
    public LogConfigurator() {
        this(System::getProperty, System::getenv);
    }

    /** LOG_FORMAT and LOG_LEVEL are read from {@code systemProperties}, then {@code environment}. */
    LogConfigurator(UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (systemProperties.apply(CONFIGURATION_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        List<String> problems = new ArrayList<>();
        String format = setting("LOG_FORMAT", "text");
        Encoder<ILoggingEvent> encoder = switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> jsonEncoder();
            case "text" -> textEncoder();
            default -> {
                problems.add("LOG_FORMAT=" + format + " is neither json nor text; writing text");
                yield textEncoder();
            }
        };
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("STDERR");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        String level = setting("LOG_LEVEL", "INFO");
        Level rootLevel = Level.toLevel(level, null);
        if (rootLevel == null) {
            problems.add("LOG_LEVEL=" + level + " is not a level (TRACE, DEBUG, INFO, WARN, ERROR, OFF); using INFO");
            rootLevel = Level.INFO;
        }
        root.setLevel(rootLevel);
        root.addAppender(appender);
        LEVELS.forEach((name, loggerLevel) -> context.getLogger(name).setLevel(loggerLevel));
        problems.forEach(problem -> context.getLogger(LogConfigurator.class).warn(problem));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private String setting(String name, String otherwise) {
        String value = systemProperties.apply(name);
        if (value == null) {
            value = environment.apply(name);
        }
        return value == null || value.isBlank() ? otherwise : value.trim();
    }

    private static Encoder<ILoggingEvent> textEncoder() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setPattern(TEXT_PATTERN);
        return encoder;
    }

    private static Encoder<ILoggingEvent> jsonEncoder() {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithArguments(false);
        encoder.setWithMessage(false);
        encoder.setWithFormattedMessage(true);
        return encoder;
    }
}
