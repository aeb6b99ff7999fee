package io.billingworker.observability;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL of the dashboard's panels and of the alert rules, and the metric names they read. */
final class DashboardQueries {

    private static final Pattern METRIC = Pattern.compile(
            "\\b((?:billing|juspay|resilience4j|kafka|jvm|process)_[a-z0-9_]+)\\b");
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum");

    private DashboardQueries() {
    }

    /** A panel query: its panel title, refId and expression. */
    record Query(String panel, String refId, String expr) {
        /** The expression as Prometheus gets it from Grafana over a range of {@code rateInterval}. */
        String forPrometheus(String rateInterval) {
            return expr.replace("$__rate_interval", rateInterval).replace("${__rate_interval}", rateInterval);
        }
    }

    static List<Query> panelQueries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.has("targets")) {
                for (JsonNode target : panel.get("targets")) {
                    queries.add(new Query(panel.get("title").asText(), target.get("refId").asText(),
                            target.get("expr").asText()));
                }
            }
        }
        return queries;
    }

    /** Metric families an expression reads, histogram series folded into their family. */
    static Set<String> metricFamilies(String expr) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = METRIC.matcher(expr);
        while (matcher.find()) {
            String name = matcher.group(1);
            for (String suffix : HISTOGRAM_SUFFIXES) {
                if (name.endsWith(suffix) && !name.endsWith("_total")) {
                    name = name.substring(0, name.length() - suffix.length());
                    break;
                }
            }
            names.add(name);
        }
        return names;
    }
}
