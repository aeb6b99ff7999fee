package io.billingworker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Samples processes' CPU time ({@code utime + stime} of {@code /proc/<pid>/stat}, through {@link CpuClock}) and peak
 * RSS ({@code VmHWM} of {@code /proc/<pid>/status}) every 100 ms on its own thread, so that the last figures of a
 * process that exits by itself are still known.
 */
final class ProcSampler implements AutoCloseable {

    private static final long PERIOD_MILLIS = 100;

    private final List<Watched> watched = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    ProcSampler() {
        thread = new Thread(this::run, "bench-proc-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts sampling {@code pid}; the first sample is taken now. */
    Watched watch(long pid) {
        Watched process = new Watched(pid);
        process.sample();
        watched.add(process);
        return process;
    }

    void unwatch(Watched process) {
        watched.remove(process);
    }

    private void run() {
        while (!stop) {
            for (Watched process : watched) {
                process.sample();
            }
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }

    /** The last sampled figures of one process. */
    static final class Watched {
        private final long pid;
        private volatile long cpuNanos = -1;
        private volatile long peakRssKb = -1;

        private Watched(long pid) {
            this.pid = pid;
        }

        /** Reads the figures now (keeps the last ones when the process is gone). */
        synchronized void sample() {
            long cpu = CpuClock.processNanos(pid);
            if (cpu >= 0) {
                cpuNanos = Math.max(cpuNanos, cpu);
            }
            long hwm = peakRssKb(pid);
            if (hwm >= 0) {
                peakRssKb = Math.max(peakRssKb, hwm);
            }
        }

        long pid() {
            return pid;
        }

        /** CPU seconds since the process started, as last sampled; -1 if never. */
        double cpuSeconds() {
            return cpuNanos < 0 ? -1 : cpuNanos / 1e9;
        }

        /** Peak RSS in MiB as last sampled; -1 if never. */
        double peakRssMb() {
            return peakRssKb < 0 ? -1 : peakRssKb / 1024.0;
        }
    }

    /** {@code VmHWM} of {@code /proc/<pid>/status} in KiB, or -1. */
    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return -1;
    }
}
