package io.billingworker.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/** The fault matrix's results table: each scenario's row is printed and appended to {@code target/fault-matrix.md}. */
final class FaultMatrixReport {

    static final Path FILE = Path.of("target", "fault-matrix.md");
    private static final String HEADER = "| scenario | events | lost | duplicates | created | dead letters | "
            + "time to recover | drained after | notes |\n|---|---|---|---|---|---|---|---|---|\n";

    /** One row: time to recover is from the fault's end to the first session created after it. */
    record Row(String scenario, int events, int lost, int duplicates, long created, long deadLetters,
            Duration recover, Duration drained, String notes) {

        String markdown() {
            return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %s | %s |%n", scenario, events,
                    lost, duplicates, created, deadLetters, seconds(recover), seconds(drained), notes);
        }
    }

    private FaultMatrixReport() {
    }

    static synchronized void append(Row row) {
        String line = row.markdown();
        System.out.print("FAULT-MATRIX " + line);
        try {
            Files.createDirectories(FILE.getParent());
            if (!Files.exists(FILE)) {
                Files.writeString(FILE, HEADER, StandardCharsets.UTF_8);
            }
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
