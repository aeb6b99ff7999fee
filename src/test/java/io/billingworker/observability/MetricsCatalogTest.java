package io.billingworker.observability;

import io.billingworker.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.billingworker.avro.FailureReason;
import io.billingworker.outcome.DeadLetterReason;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MetricsCatalogTest {

    private static final Pattern TYPE_LINE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

    @Test
    void shouldExposeEveryOwnMeterUnderItsCatalogNameAndType() {
        String scrape = scrapeOfOwnMeters();

        Set<String> typeLines = TYPE_LINE.matcher(scrape).results()
                .map(match -> match.group(1) + " " + match.group(2))
                .collect(Collectors.toSet());

        for (MetricsCatalog entry : MetricsCatalog.ownMeters()) {
            assertThat(typeLines).as(entry.name()).contains(entry.prometheusName() + " " + entry.type().prometheusType());
        }
    }

    @Test
    void shouldListEveryWorkerFamilyOfTheScrapeInTheCatalog() {
        String scrape = scrapeOfOwnMeters();

        Set<String> families = TYPE_LINE.matcher(scrape).results().map(match -> match.group(1))
                .filter(name -> name.startsWith("billing_")).collect(Collectors.toSet());

        Set<String> catalog = Arrays.stream(MetricsCatalog.values())
                .flatMap(entry -> entry.type() == MetricsCatalog.Type.TIMER || entry.type() == MetricsCatalog.Type.SUMMARY
                        ? java.util.stream.Stream.of(entry.prometheusName(), entry.prometheusName() + "_max")
                        : java.util.stream.Stream.of(entry.prometheusName()))
                .collect(Collectors.toSet());
        assertThat(families).isNotEmpty();
        assertThat(catalog).containsAll(families);
    }

    @Test
    void shouldTagOwnMetersOnlyWithTheCatalogsBoundedLabels() {
        String scrape = scrapeOfOwnMeters();

        for (MetricsCatalog entry : MetricsCatalog.ownMeters()) {
            Matcher series = Pattern.compile("^" + entry.prometheusName() + "(?:_bucket|_count|_sum|_max)?\\{([^}]*)}",
                    Pattern.MULTILINE).matcher(scrape);
            while (series.find()) {
                Set<String> labels = Arrays.stream(series.group(1).split(","))
                        .map(pair -> pair.substring(0, pair.indexOf('=')))
                        .filter(label -> !label.equals("le"))
                        .collect(Collectors.toSet());
                assertThat(entry.tags()).as(entry.name()).containsAll(labels);
            }
        }
    }

    @Test
    void shouldHaveUniqueNames() {
        long distinct = Arrays.stream(MetricsCatalog.values()).map(MetricsCatalog::prometheusName).distinct().count();

        assertThat(distinct).isEqualTo(MetricsCatalog.values().length);
    }

    @Test
    void shouldRenderOneMarkdownRowPerEntry() {
        String table = MetricsCatalog.markdownReference();

        assertThat(table.lines()).hasSize(MetricsCatalog.values().length + 2);
        assertThat(table.lines().findFirst()).contains("| Prometheus name | type | tags | from | meaning |");
        assertThat(table).contains("| `billing_outcomes_total` | counter | `kind`, `reason`, `merchant` | worker | "
                + MetricsCatalog.OUTCOMES.description() + " |\n");
        assertThat(table).contains("| `billing_records_in_flight` | gauge |  | worker | ");
    }

    private static String scrapeOfOwnMeters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        IntakeMetrics metrics = new IntakeMetrics(registry, new MutableClock(now), Set.of("m1"),
                record -> OptionalLong.of(now.minusSeconds(2).toEpochMilli()));
        metrics.bindGauges(new int[] {1, 2, 1, 0}, s -> s[0], s -> s[1], s -> s[2], s -> s[3]);
        metrics.bindHoldGauges(new int[] {1, 30}, s -> s[0], s -> s[1]);
        metrics.consumed(Outcomes.record(now.toEpochMilli(), new byte[1]));
        metrics.published(Outcomes.record(now.toEpochMilli(), new byte[] {0, 0, 0, 0, 1, 2}), Outcomes.created("m1", 2));
        metrics.published(Outcomes.record(now.toEpochMilli(), new byte[1]),
                Outcomes.failed("m1", FailureReason.INVALID_EVENT, 0));
        metrics.published(Outcomes.record(now.toEpochMilli(), new byte[1]),
                Outcomes.deadLetter("m1", DeadLetterReason.RETRIES_EXHAUSTED, 3));
        metrics.fetching(true, "buffer-full", 1);
        return registry.scrape();
    }
}
