package io.billingworker.app;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a Kafka broker running inside this JVM from exiting or halting the JVM on a fault: while at least one
 * {@link EmbeddedKafkaBroker} runs, Kafka's {@link Exit} procedures log the request and throw instead. The last broker
 * to close restores Kafka's defaults.
 *
 * <p>Kafka's exit procedures are JVM-wide, so the count of brokers that hold the guard is too; it is the one piece of
 * static state here, guarded by the class lock.
 */
final class KafkaExitGuard {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaExitGuard.class);

    private static int holders;

    private KafkaExitGuard() {
    }

    static synchronized void acquire() {
        if (holders == 0) {
            Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
            Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
        }
        holders++;
    }

    static synchronized void release() {
        if (holders == 0) {
            throw new IllegalStateException("KafkaExitGuard released more often than acquired");
        }
        holders--;
        if (holders == 0) {
            Exit.resetExitProcedure();
            Exit.resetHaltProcedure();
        }
    }

    private static void refuse(String action, int status, String message) {
        LOG.error("Embedded Kafka broker asked to {} the JVM with status {}: {}; refused", action, status, message);
        throw new IllegalStateException(
                "Embedded Kafka broker asked to " + action + " the JVM with status " + status + ": " + message);
    }
}
