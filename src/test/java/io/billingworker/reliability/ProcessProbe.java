package io.billingworker.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resource figures of another JVM on Linux: heap in use right after a full GC ({@code jcmd GC.run}, then
 * {@code GC.heap_info}), live threads, open file descriptors and open sockets (from {@code /proc/<pid>}), and RSS.
 */
final class ProcessProbe {

    private static final Pattern USED = Pattern.compile("^\\s*(\\S.*?)\\s+total \\d+K, used (\\d+)K");

    /** One sample. */
    record Sample(long heapAfterGcKb, int threads, int fileDescriptors, int sockets, long rssKb) {

        String row(String label) {
            return String.format("| %s | %.1f MB | %d | %d | %d | %.0f MB |", label, heapAfterGcKb / 1024.0, threads,
                    fileDescriptors, sockets, rssKb / 1024.0);
        }
    }

    private ProcessProbe() {
    }

    static Sample sample(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        long heap = heapUsedKb(jcmd(pid, "GC.heap_info"));
        Path proc = Path.of("/proc", Long.toString(pid));
        int fds = 0;
        int sockets = 0;
        try (Stream<Path> entries = Files.list(proc.resolve("fd"))) {
            for (Path fd : entries.toList()) {
                fds++;
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        }
        List<String> status = Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8);
        return new Sample(heap, (int) statusValue(status, "Threads:"), fds, sockets, statusValue(status, "VmRSS:"));
    }

    /** Sums the "used" of each heap space line (serial: young + old; G1: the one heap line); not metaspace. */
    static long heapUsedKb(String heapInfo) {
        long used = 0;
        for (String line : heapInfo.lines().toList()) {
            Matcher matcher = USED.matcher(line);
            if (matcher.find() && !matcher.group(1).startsWith("Metaspace") && !matcher.group(1).startsWith("class space")) {
                used += Long.parseLong(matcher.group(2));
            }
        }
        return used;
    }

    private static long statusValue(List<String> status, String name) {
        return status.stream().filter(line -> line.startsWith(name))
                .map(line -> line.substring(name.length()).trim().split("\\s+")[0])
                .mapToLong(Long::parseLong).findFirst().orElse(-1);
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + output);
        }
        return output;
    }
}
