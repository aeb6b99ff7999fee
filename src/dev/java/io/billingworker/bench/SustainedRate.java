package io.billingworker.bench;

/**
 * The sustained rate of a stream of outcomes: the slope of a least-squares line through the number of outcomes
 * decided so far, sampled at even steps between two of them. Where outcomes come unevenly (in bursts, or around a
 * pause), counting events between the first and the last of a window depends on where the two ends fall, by up to a
 * burst at each end; the line averages over the whole window instead. For an even stream both give the same.
 */
final class SustainedRate {

    private static final int SAMPLES = 1_000;

    private SustainedRate() {
    }

    /**
     * @param sortedMillis decision times in ascending order
     * @param low          index of the first outcome of the window
     * @param high         index of the last outcome of the window
     * @return outcomes per second; 0 when the window has no length
     */
    static double perSecond(long[] sortedMillis, int low, int high) {
        if (low < 0 || high >= sortedMillis.length || high <= low) {
            throw new IllegalArgumentException("window [" + low + ", " + high + "] outside 0.."
                    + (sortedMillis.length - 1));
        }
        long start = sortedMillis[low];
        long end = sortedMillis[high];
        if (end <= start) {
            return 0;
        }
        double step = (double) (end - start) / SAMPLES;
        double sumT = 0;
        double sumC = 0;
        double sumTT = 0;
        double sumTC = 0;
        int index = low;
        for (int i = 0; i <= SAMPLES; i++) {
            double t = i * step;
            while (index + 1 <= high && sortedMillis[index + 1] - start <= t) {
                index++;
            }
            double count = index - low + 1;
            sumT += t;
            sumC += count;
            sumTT += t * t;
            sumTC += t * count;
        }
        int n = SAMPLES + 1;
        double slopePerMilli = (n * sumTC - sumT * sumC) / (n * sumTT - sumT * sumT);
        return slopePerMilli * 1000;
    }
}
