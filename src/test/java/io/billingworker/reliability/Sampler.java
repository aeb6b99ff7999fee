package io.billingworker.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/** Reads a value every {@code periodMillis} on its own thread while a scenario runs, with the time of each reading. */
final class Sampler implements AutoCloseable {

    /** One reading: wall-clock time (epoch ms) and value. */
    record Sample(long at, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    Sampler(String name, long periodMillis, DoubleSupplier value) {
        thread = Thread.ofPlatform().name("sampler-" + name).daemon().start(() -> {
            while (!stopped) {
                Sample sample = new Sample(System.currentTimeMillis(), value.getAsDouble());
                synchronized (samples) {
                    samples.add(sample);
                }
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The largest value read (NaN readings ignored), or NaN when there was none. */
    double max() {
        return samples().stream().mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    /** The longest run of consecutive readings above zero, in milliseconds from its first to its last reading. */
    long longestPositiveStretchMillis() {
        long longest = 0;
        long start = -1;
        long last = -1;
        for (Sample sample : samples()) {
            if (sample.value() > 0) {
                if (start < 0) {
                    start = sample.at();
                }
                last = sample.at();
                longest = Math.max(longest, last - start);
            } else {
                start = -1;
            }
        }
        return longest;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(5_000);
    }
}
