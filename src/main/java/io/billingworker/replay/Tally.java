package io.billingworker.replay;

import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Counts of records by reason, merchant and the hour (UTC) they were dead-lettered. */
public final class Tally {

    /** Shown for a record without the header. */
    public static final String NONE = "(none)";

    private final Map<String, Long> byReason = new TreeMap<>();
    private final Map<String, Long> byMerchant = new TreeMap<>();
    private final Map<String, Long> byHour = new TreeMap<>();
    private long total;

    public void add(DeadLetterRecord record) {
        total++;
        byReason.merge(orNone(record.reason()), 1L, Long::sum);
        byMerchant.merge(orNone(record.merchantId()), 1L, Long::sum);
        byHour.merge(record.deadLetteredAt().truncatedTo(ChronoUnit.HOURS).toString(), 1L, Long::sum);
    }

    public long total() {
        return total;
    }

    public Map<String, Long> byReason() {
        return Collections.unmodifiableMap(byReason);
    }

    public Map<String, Long> byMerchant() {
        return Collections.unmodifiableMap(byMerchant);
    }

    /** Keys are hours such as {@code 2026-11-23T10:00:00Z}. */
    public Map<String, Long> byHour() {
        return Collections.unmodifiableMap(byHour);
    }

    static String orNone(String value) {
        return value == null ? NONE : value;
    }
}
