package io.billingworker.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of this JVM while open: a Logback appender attached to the root logger, with the
 * worker's own loggers turned up to DEBUG and the root to INFO so that even debug lines are examined. Each captured
 * line is the formatted message plus the full rendering of its exception (class, message and causes). Closing it
 * detaches the appender and restores the levels.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Logger root;
    private final Logger worker;
    private final Level rootLevel;
    private final Level workerLevel;

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        worker = context.getLogger("io.billingworker");
        rootLevel = root.getLevel();
        workerLevel = worker.getLevel();
        setContext(context);
        setName("reliability-capture");
    }

    /** Starts capturing. */
    static LogCapture capture() {
        LogCapture capture = new LogCapture();
        capture.start();
        capture.root.addAppender(capture);
        capture.root.setLevel(Level.INFO);
        capture.worker.setLevel(Level.DEBUG);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
            line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        lines.add(line.toString());
    }

    /** Every line captured so far. */
    List<String> lines() {
        return new ArrayList<>(lines);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        root.setLevel(rootLevel);
        worker.setLevel(workerLevel);
        stop();
    }
}
