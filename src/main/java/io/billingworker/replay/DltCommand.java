package io.billingworker.replay;

import io.billingworker.config.ConfigKeys;
import io.billingworker.config.ConfigSource;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlt}: commands that look at the dead-letter topic without changing anything. */
@Command(name = "dlt", description = "Look at the dead-letter topic.", mixinStandardHelpOptions = true,
        subcommands = DltCommand.Inspect.class)
public final class DltCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code dlt inspect}: what sits in the dead-letter topic. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Summarize the dead-letter topic: counts by reason, merchant, HTTP status, age and replay"
                    + " count, oldest and newest, samples per reason. Reads outside any consumer group: commits"
                    + " nothing.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:done", "1:failed while reading", "2:invalid options",
                "3:broker unreachable, topic missing or access denied"})
    static final class Inspect implements Callable<Integer> {

        @Mixin
        ConnectionOptions connection;

        @Option(names = "--samples", defaultValue = "1", paramLabel = "N",
                description = "Sample records shown per reason (default: ${DEFAULT-VALUE}).")
        int samples;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (samples < 0) {
                err.println("dlt inspect: --samples " + samples + ": must not be negative");
                return 2;
            }
            ConfigSource source;
            try {
                source = connection.source();
            } catch (UncheckedIOException e) {
                err.println("dlt inspect: " + e.getMessage());
                return 2;
            }
            String topic = source.get(ConfigKeys.TOPIC_DEAD_LETTER);
            try {
                DltReport report = new DltInspector(KafkaSettings.from(source), Clock.systemUTC(),
                        connection.timeout()).inspect(topic, samples);
                out.print(report.render());
                out.flush();
                return 0;
            } catch (ReplayException e) {
                err.println("dlt inspect: " + e.getMessage());
                return e.kind().exitCode();
            } catch (ReplayFailedException | KafkaException e) {
                err.println("dlt inspect failed: " + KafkaTopics.rootMessage(e));
                return 1;
            }
        }
    }
}
