package io.billingworker.replay;

import java.util.Map;

/** Renders counts as aligned lines for the terminal. */
final class Counts {

    private Counts() {
    }

    /** {@code title} then one indented line per entry, names padded to one width, counts right-aligned. */
    static String table(String title, Map<String, Long> counts) {
        StringBuilder text = new StringBuilder(title).append('\n');
        if (counts.isEmpty()) {
            return text.append("  (none)\n").toString();
        }
        int nameWidth = counts.keySet().stream().mapToInt(String::length).max().orElse(0);
        int countWidth = counts.values().stream().mapToInt(count -> Long.toString(count).length()).max().orElse(1);
        counts.forEach((name, count) -> text.append("  ").append(pad(name, nameWidth)).append("  ")
                .append(String.format("%" + countWidth + "d", count)).append('\n'));
        return text.toString();
    }

    static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    /** {@code 1 record}, {@code 2 records}. */
    static String records(long count) {
        return count + (count == 1 ? " record" : " records");
    }
}
