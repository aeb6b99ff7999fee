package io.billingworker.bench;

import io.billingworker.simulator.SessionSimulator;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures, at the simulator, how long it holds a request and how many it holds at once: samples the requests in
 * flight and received every 5 ms, then applies Little's law over a window (mean in flight / arrival rate = mean
 * time in the simulator). That time is the L of the efficiency C / L: the latency the API actually delivered,
 * its own overheads included, rather than the configured one.
 */
final class SimulatorProbe implements AutoCloseable {

    private static final long PERIOD_NANOS = 5_000_000L;

    private final SessionSimulator simulator;
    private final Thread thread;
    private long[] times = new long[4096];
    private int[] inFlight = new int[4096];
    private long[] received = new long[4096];
    private int count;
    private volatile boolean stop;

    SimulatorProbe(SessionSimulator simulator) {
        this.simulator = simulator;
        this.thread = new Thread(this::run, "bench-simulator-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long next = System.nanoTime();
        while (!stop) {
            sample();
            next += PERIOD_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private synchronized void sample() {
        if (count == times.length) {
            times = Arrays.copyOf(times, count * 2);
            inFlight = Arrays.copyOf(inFlight, count * 2);
            received = Arrays.copyOf(received, count * 2);
        }
        times[count] = System.currentTimeMillis();
        inFlight[count] = simulator.inFlight();
        received[count] = simulator.requestsReceived();
        count++;
    }

    /**
     * Mean in flight, arrival rate and mean time in the simulator between two wall-clock times.
     *
     * @return {meanInFlight, requestsPerSecond, meanLatencyMillis}; NaNs when the window holds too few samples
     */
    synchronized double[] window(long fromMillis, long toMillis) {
        long sum = 0;
        int samples = 0;
        int first = -1;
        int last = -1;
        for (int i = 0; i < count; i++) {
            if (times[i] >= fromMillis && times[i] <= toMillis) {
                sum += inFlight[i];
                samples++;
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (samples < 3 || times[last] == times[first]) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double meanInFlight = (double) sum / samples;
        double rate = (received[last] - received[first]) * 1000.0 / (times[last] - times[first]);
        return new double[] {meanInFlight, rate, rate == 0 ? Double.NaN : meanInFlight / rate * 1000.0};
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
