package io.billingworker.intake;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;

/**
 * Counts how often each partition was assigned to a worker of this JVM, from the consumer loop's
 * "partitions assigned" log line: every assignment is a point where a partition's uncommitted records may be
 * processed again, so it bounds how often a key's outcomes may restart from an earlier event.
 */
final class AssignmentLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(IntakeWorker.class);
    private final Map<TopicPartition, Integer> assignments = new ConcurrentHashMap<>();

    private AssignmentLog() {
    }

    /** Starts counting. */
    static AssignmentLog attach() {
        AssignmentLog log = new AssignmentLog();
        log.setContext(log.logger.getLoggerContext());
        log.start();
        log.logger.addAppender(log);
        return log;
    }

    /** How often {@code partition} was assigned since {@link #attach()}. */
    int assignments(TopicPartition partition) {
        return assignments.getOrDefault(partition, 0);
    }

    @Override
    protected void append(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        if (event.getMessage().startsWith("partitions assigned") && arguments != null && arguments.length > 0
                && arguments[0] instanceof Collection<?> partitions) {
            for (Object partition : partitions) {
                assignments.merge((TopicPartition) partition, 1, Integer::sum);
            }
        }
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
