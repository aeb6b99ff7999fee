package io.billingworker.app;

import io.billingworker.config.ConfigDump;
import io.billingworker.config.ConfigException;
import io.billingworker.config.ConfigSource;
import io.billingworker.config.WorkerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the effective configuration, as {@code run} would use it, with secrets masked. */
@Command(name = "config-dump", description = "Print the effective configuration (file, BILLING_* environment and "
        + "defaults) with passwords, tokens and URL credentials masked; exit 2 when it is invalid.")
final class ConfigDumpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, description = "Config file (Java properties). Environment variables BILLING_* override it.")
    Path configFile;

    @Override
    public Integer call() {
        ConfigSource source = ConfigSource.load(configFile, System.getenv(), Map.of());
        try {
            WorkerConfig config = WorkerConfig.from(source);
            spec.commandLine().getOut().print(ConfigDump.render(source, config));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
    }
}
