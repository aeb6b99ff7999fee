package io.billingworker.app;

import io.billingworker.observability.MetricsCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints the metrics reference (the table of docs/operations.md) from the metrics catalog. */
@Command(name = "metrics-reference", description = "Print the metrics the worker exposes as a Markdown table.")
final class MetricsReferenceCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.print(MetricsCatalog.markdownReference());
        return 0;
    }
}
