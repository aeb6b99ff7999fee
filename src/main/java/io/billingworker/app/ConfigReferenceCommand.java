package io.billingworker.app;

import io.billingworker.config.ConfigKeys;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints the configuration reference (the table of docs/configuration.md) from the key definitions. */
@Command(name = "config-reference", description = "Print every configuration key as a Markdown table.")
final class ConfigReferenceCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.print(ConfigKeys.markdownReference());
        return 0;
    }
}
