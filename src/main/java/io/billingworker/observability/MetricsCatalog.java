package io.billingworker.observability;

import io.billingworker.sessionapi.SessionGateway;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every metric the worker exposes that operators are expected to read: the worker's own meters, the ones the
 * {@code /session} gateway registers, and the library binders the dashboard and alerts use. The metrics table of
 * docs/operations.md is generated from this list ({@code Main metrics-reference}); tests check each entry against a
 * real Prometheus scrape and that every {@code billing_*} and {@code juspay_*} series is listed here.
 *
 * <p>Tags stay bounded: merchant ids are the configured ones (any other is {@code unknown}), schema ids are ones
 * the registry knows (a record with an unknown id is not counted by schema), every other tag is a small closed set.
 * No order, customer or event id is ever a tag.
 */
public enum MetricsCatalog {

    EVENTS_CONSUMED("billing.events.consumed", Type.COUNTER, "billing_events_consumed_total", Source.WORKER,
            "Signup records fetched from the input topic and handed to processing."),
    OUTCOMES("billing.outcomes", Type.COUNTER, "billing_outcomes_total", Source.WORKER,
            "Outcomes published: `kind` created / failed / dead_letter; `reason` none, INVALID_EVENT, API_REJECTED "
                    + "or the dead-letter reason (RETRIES_EXHAUSTED, AUTH_FAILED, UNDECODABLE, ...).",
            "kind", "reason", "merchant"),
    OUTCOME_LATENCY("billing.outcome.latency", Type.TIMER, "billing_outcome_latency_seconds", Source.WORKER,
            "End to end: from the event's `occurred_at` (the record timestamp when the value cannot be decoded) to "
                    + "its outcome being published. Histogram.",
            "kind"),
    RETRIES("billing.session.retries", Type.COUNTER, "billing_session_retries_total", Source.WORKER,
            "Extra `/session` attempts (beyond the first) of records whose outcome was published.", "merchant"),
    IN_FLIGHT("billing.records.in.flight", Type.GAUGE, "billing_records_in_flight", Source.WORKER,
            "Records being processed now and holding one of the `processing.max-in-flight` permits: decoding, "
                    + "mapping, a `/session` call. Held records do not count."),
    BUFFERED("billing.records.buffered", Type.GAUGE, "billing_records_buffered", Source.WORKER,
            "Records fetched and not yet finished (waiting or in flight); fetching pauses at `processing.max-buffered`."),
    WAITING("billing.records.waiting", Type.GAUGE, "billing_records_waiting", Source.WORKER,
            "Records buffered and not in flight: behind an earlier record of the same key, or held."),
    HELD("billing.records.held", Type.GAUGE, "billing_records_held", Source.WORKER,
            "Records waiting without a permit: their merchant's breaker open, throttled (rate limit, 429), schema "
                    + "registry down, or backing off between attempts. Each waits at most `processing.max-hold-ms`."),
    OLDEST_AGE("billing.records.oldest.age", Type.GAUGE, "billing_records_oldest_age_seconds", Source.WORKER,
            "Age of the oldest fetched record without a published outcome, over the assigned partitions (0 when "
                    + "none): the committed offset cannot pass it. Bounded by `processing.max-hold-ms` plus a call; "
                    + "growing past that means a frozen partition."),
    ACTIVE_KEYS("billing.keys.active", Type.GAUGE, "billing_keys_active", Source.WORKER,
            "Keys (subscriptions) with records waiting or in flight."),
    PAUSED_PARTITIONS("billing.partitions.paused", Type.GAUGE, "billing_partitions_paused", Source.WORKER,
            "Assigned partitions whose fetching is paused (full buffer, shutdown)."),
    FETCH_PAUSES("billing.fetch.pauses", Type.COUNTER, "billing_fetch_pauses_total", Source.WORKER,
            "Times fetching paused, by `reason` (buffer-full, shutdown) or resumed.", "reason"),
    SKIPPED("billing.records.skipped", Type.COUNTER, "billing_records_skipped_total", Source.WORKER,
            "Records fetched again after a restart or rebalance and skipped: they were finished before, as the "
                    + "committed offset's metadata says, so they get no second call and no second outcome."),
    SIGNUP_SCHEMAS("billing.signups.by.schema", Type.COUNTER, "billing_signups_by_schema_total", Source.WORKER,
            "Signups by the writer `schema_id` in their header: `result` read (decoded, whatever came next) or "
                    + "incompatible (dead-lettered as SCHEMA_INCOMPATIBLE). Which schemas upstream teams publish with.",
            "schema_id", "result"),

    SESSION_CALL(SessionGateway.CALL_TIMER, Type.TIMER, "juspay_session_call_seconds", Source.SESSION_API,
            "Latency of one `POST /session` attempt; `status_class` 2xx / 3xx / 4xx / 5xx / invalid (a 2xx that is not a created session) / timeout / io. "
                    + "Histogram.",
            "merchant", "status_class"),
    SESSION_RESULTS(SessionGateway.RESULT_COUNTER, Type.COUNTER, "juspay_session_results_total", Source.SESSION_API,
            "Record calls that ended or paused, by `result` (created, rejected, dead_letter; breaker_open, "
                    + "rate_limited, in_flight_limit, server_throttled: the record is held and calls again).",
            "merchant", "result"),

    BREAKER_STATE("resilience4j.circuitbreaker.state", Type.GAUGE, "resilience4j_circuitbreaker_state",
            Source.RESILIENCE4J, "1 for the merchant breaker's current `state` (closed, open, half_open, ...), "
                    + "0 for the others; `name` is the merchant id.",
            "name", "state"),
    BREAKER_FAILURE_RATE("resilience4j.circuitbreaker.failure.rate", Type.GAUGE,
            "resilience4j_circuitbreaker_failure_rate", Source.RESILIENCE4J,
            "Failure rate (percent) in the merchant breaker's window; -1 until `breaker.minimum-calls` calls.", "name"),
    BREAKER_NOT_PERMITTED("resilience4j.circuitbreaker.not.permitted.calls", Type.COUNTER,
            "resilience4j_circuitbreaker_not_permitted_calls_total", Source.RESILIENCE4J,
            "Attempts refused by an open breaker.", "name", "kind"),
    RATE_LIMITER_PERMITS("resilience4j.ratelimiter.available.permissions", Type.GAUGE,
            "resilience4j_ratelimiter_available_permissions", Source.RESILIENCE4J,
            "Rate-limit permits left in the merchant's current period; negative while calls wait for a permit.",
            "name"),
    RATE_LIMITER_WAITING("resilience4j.ratelimiter.waiting_threads", Type.GAUGE,
            "resilience4j_ratelimiter_waiting_threads", Source.RESILIENCE4J,
            "Threads blocked in the rate limiter itself (0 here: the gateway reserves permits and sleeps through "
                    + "its own sleeper; waits show as negative available permissions).",
            "name"),
    RETRY_CALLS("resilience4j.retry.calls", Type.COUNTER, "resilience4j_retry_calls_total", Source.RESILIENCE4J,
            "Records by retry `kind`: successful_without_retry, successful_with_retry, failed_with_retry, "
                    + "failed_without_retry.",
            "name", "kind"),
    BULKHEAD_AVAILABLE("resilience4j.bulkhead.available.concurrent.calls", Type.GAUGE,
            "resilience4j_bulkhead_available_concurrent_calls", Source.RESILIENCE4J,
            "Free `/session` call slots under `processing.max-in-flight`.", "name"),

    CONSUMER_LAG("kafka.consumer.fetch.manager.records.lag", Type.GAUGE,
            "kafka_consumer_fetch_manager_records_lag", Source.KAFKA,
            "Consumer lag per assigned partition, in records (Kafka client metrics binder).",
            "topic", "partition", "client_id"),
    CONSUMER_LAG_MAX("kafka.consumer.fetch.manager.records.lag.max", Type.GAUGE,
            "kafka_consumer_fetch_manager_records_lag_max", Source.KAFKA,
            "Largest partition lag of the consumer over its sample window.", "client_id"),
    CONSUMER_ASSIGNED("kafka.consumer.coordinator.assigned.partitions", Type.GAUGE,
            "kafka_consumer_coordinator_assigned_partitions", Source.KAFKA,
            "Partitions assigned to this worker by the group coordinator.", "client_id"),
    CONSUMER_REBALANCES("kafka.consumer.coordinator.rebalance.total", Type.COUNTER,
            "kafka_consumer_coordinator_rebalance_total", Source.KAFKA,
            "Group rebalances this consumer took part in.", "client_id"),

    JVM_MEMORY_USED("jvm.memory.used", Type.GAUGE, "jvm_memory_used_bytes", Source.JVM,
            "JVM memory in use by `area` (heap, nonheap) and pool.", "area", "id"),
    JVM_GC_PAUSE("jvm.gc.pause", Type.SUMMARY, "jvm_gc_pause_seconds", Source.JVM,
            "Garbage collection pauses.", "action", "cause", "gc"),
    JVM_THREADS("jvm.threads.live", Type.GAUGE, "jvm_threads_live_threads", Source.JVM,
            "Live platform threads (record processing runs on virtual threads, not counted here)."),
    PROCESS_CPU("process.cpu.usage", Type.GAUGE, "process_cpu_usage", Source.JVM,
            "Recent CPU usage of the worker process (0-1 per available CPU)."),
    PROCESS_UPTIME("process.uptime", Type.GAUGE, "process_uptime_seconds", Source.JVM,
            "Time since the process started."),
    PROCESS_FILES("process.files.open", Type.GAUGE, "process_files_open_files", Source.JVM,
            "Open file descriptors.");

    /** Micrometer meter types as they appear in Prometheus: a timer with a histogram, or without (a summary). */
    public enum Type {
        COUNTER("counter"), GAUGE("gauge"), TIMER("histogram"), SUMMARY("summary");

        private final String prometheusType;

        Type(String prometheusType) {
            this.prometheusType = prometheusType;
        }

        /** The Prometheus metric type the meter is exposed as. */
        public String prometheusType() {
            return prometheusType;
        }
    }

    /** Who registers the meter. */
    public enum Source {
        WORKER("worker"),
        SESSION_API("session gateway"),
        RESILIENCE4J("resilience4j binder"),
        KAFKA("Kafka client binder"),
        JVM("JVM / process binders");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final String meterName;
    private final Type type;
    private final String prometheusName;
    private final Source source;
    private final String description;
    private final List<String> tags;

    MetricsCatalog(String meterName, Type type, String prometheusName, Source source, String description,
            String... tags) {
        this.meterName = Objects.requireNonNull(meterName, "meterName");
        this.type = Objects.requireNonNull(type, "type");
        this.prometheusName = Objects.requireNonNull(prometheusName, "prometheusName");
        this.source = Objects.requireNonNull(source, "source");
        this.description = Objects.requireNonNull(description, "description");
        this.tags = List.of(tags);
    }

    /** The Micrometer name, used to register the meter. */
    public String meterName() {
        return meterName;
    }

    public Type type() {
        return type;
    }

    /**
     * The name in a Prometheus scrape. For a histogram or summary, the family: its series add {@code _bucket} (histogram),
     * {@code _count} and {@code _sum}, and Micrometer adds a {@code <name>_max} gauge.
     */
    public String prometheusName() {
        return prometheusName;
    }

    public Source source() {
        return source;
    }

    public String description() {
        return description;
    }

    /** The label names in Prometheus (the worker's own tags are spelled the same in Micrometer). */
    public List<String> tags() {
        return tags;
    }

    /** Entries registered by the worker itself (this package). */
    public static List<MetricsCatalog> ownMeters() {
        return Arrays.stream(values()).filter(entry -> entry.source == Source.WORKER).toList();
    }

    /** The metrics table of docs/operations.md. */
    public static String markdownReference() {
        StringBuilder table = new StringBuilder();
        table.append("| Prometheus name | type | tags | from | meaning |\n");
        table.append("|---|---|---|---|---|\n");
        for (MetricsCatalog entry : values()) {
            table.append("| `").append(entry.prometheusName).append("` | ")
                    .append(entry.type.prometheusType()).append(" | ")
                    .append(entry.tags.isEmpty() ? "" : "`" + String.join("`, `", entry.tags) + "`").append(" | ")
                    .append(entry.source.label()).append(" | ")
                    .append(entry.description).append(" |\n");
        }
        return table.toString();
    }
}
