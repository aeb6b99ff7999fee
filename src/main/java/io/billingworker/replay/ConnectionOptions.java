package io.billingworker.replay;

import io.billingworker.config.ConfigKeys;
import io.billingworker.config.ConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the replay tools find Kafka and the topics: the worker's own config file and {@code BILLING_*} environment
 * variables, with flags that override them.
 */
public final class ConnectionOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The worker's config file (Java properties): kafka.bootstrap.servers, kafka.* client"
                    + " settings, topics.input, topics.dead-letter. Environment variables BILLING_* override it.")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Overrides kafka.bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--dlt-topic", paramLabel = "TOPIC", description = "Overrides topics.dead-letter.")
    String deadLetterTopic;

    @Option(names = "--timeout-seconds", defaultValue = "15", paramLabel = "SECONDS",
            description = "How long to wait for the broker when starting (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** The config source: file, process environment, flag overrides. */
    ConfigSource source() {
        Map<String, String> overrides = new HashMap<>();
        if (bootstrapServers != null) {
            overrides.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        }
        if (deadLetterTopic != null) {
            overrides.put(ConfigKeys.TOPIC_DEAD_LETTER.name(), deadLetterTopic);
        }
        return ConfigSource.load(configFile, System.getenv(), overrides);
    }

    Duration timeout() {
        return Duration.ofSeconds(Math.max(1, timeoutSeconds));
    }
}
