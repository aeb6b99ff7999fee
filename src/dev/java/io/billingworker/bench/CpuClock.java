package io.billingworker.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of other processes and of the whole machine, from Linux's {@code /proc} (-1 elsewhere). Clock ticks are
 * taken as 100 per second ({@code getconf CLK_TCK} on Linux x86-64 and arm64).
 */
final class CpuClock {

    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuClock() {
    }

    /** User + system CPU time of process {@code pid} in nanoseconds, or -1. */
    static long processNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime field 14, stime field 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * {JIT, GC} CPU time of JVM process {@code pid} in nanoseconds, from its threads'
     * {@code /proc/<pid>/task/<tid>/stat}:
     * the compiler threads ({@code C1 CompilerThread}, {@code C2 CompilerThread}) and the garbage collector's threads
     * ({@code GC Thread#n}, {@code G1 ...}); {-1, -1} if unreadable. Threads that already ended are not counted.
     */
    static long[] jitAndGcNanos(long pid) {
        long jit = 0;
        long gc = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                boolean compiler = name.contains("CompilerThre");
                boolean collector = name.startsWith("GC Thread") || name.startsWith("G1 ");
                if (compiler || collector) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
                    if (compiler) {
                        jit += nanos;
                    } else {
                        gc += nanos;
                    }
                }
            }
            return new long[] {jit, gc};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** {busy, total} CPU time of the machine in nanoseconds summed over all cores, or {-1, -1}. */
    static long[] machineNanos() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] fields = line.trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                long value = Long.parseLong(fields[i]);
                total += value;
                if (i == 4 || i == 5) {
                    idle += value;
                }
            }
            return new long[] {(total - idle) * NANOS_PER_TICK, total * NANOS_PER_TICK};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** CPU time of this JVM in nanoseconds, or -1. */
    static long selfNanos() {
        return WorkerChild.processCpuNanos();
    }
}
