package io.billingworker.intake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.BitSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The offsets above a partition's committed position whose records are already finished, carried in the offset
 * commit's metadata so that whoever gets the partition next (a restart, another worker after a rebalance) skips them
 * instead of processing them again.
 *
 * <p>Encoding: {@value #PREFIX} followed by URL-safe Base64 (no padding) of one format byte and a body relative to the
 * committed position {@code c} (offset {@code c} itself is never finished: it is the first open record):
 * <ul>
 *   <li>{@code 'B'}: a bit set, bit {@code i} set when offset {@code c + 1 + i} is finished;</li>
 *   <li>{@code 'R'}: run lengths as unsigned varints, alternating open and finished runs, starting with the open run
 *       that begins at {@code c + 1} (possibly of length 0).</li>
 * </ul>
 * The smaller of the two is written. When even that is longer than the broker's {@code offset.metadata.max.bytes}
 * (4,096 by default), the highest finished offsets are left out until it fits: they are processed again by the next
 * owner, as they would be without metadata. Metadata that does not start with the prefix (written by another tool, or
 * empty) means no finished offsets; a version this code does not know is ignored likewise.
 */
final class FinishedOffsets {

    /** Marks metadata written by this worker; the digit is the format's version. */
    static final String PREFIX = "bw1:";

    /** Finished offsets further than this above the position are never recorded (nor accepted when decoding). */
    private static final int MAX_DECODED = 10_000_000;
    private static final byte BITSET = 'B';
    private static final byte RUNS = 'R';

    private FinishedOffsets() {
    }

    /**
     * The metadata for committing {@code position} with {@code finished} (offsets above it, in any order; offsets at
     * or below it are ignored), at most {@code maxBytes} characters; "" when there is nothing to record.
     */
    static String encode(long position, SortedSet<Long> finished, int maxBytes) {
        SortedSet<Long> above = finished.tailSet(position + 1);
        if (above.isEmpty()) {
            return "";
        }
        String encoded = encodeAll(position, above);
        if (encoded.length() <= maxBytes) {
            return encoded;
        }
        // Leave out the highest offsets until it fits: halve the kept count, then grow it back while it still fits.
        Long[] offsets = above.toArray(Long[]::new);
        int low = 0;
        int high = offsets.length;
        String best = "";
        while (low < high) {
            int keep = (low + high + 1) / 2;
            String candidate = encodeAll(position, new TreeSet<>(java.util.Arrays.asList(offsets).subList(0, keep)));
            if (candidate.length() <= maxBytes) {
                best = candidate;
                low = keep;
            } else {
                high = keep - 1;
            }
        }
        return best;
    }

    /** The finished offsets recorded in {@code metadata} committed with {@code position}; empty when none or unknown. */
    static SortedSet<Long> decode(long position, String metadata) {
        SortedSet<Long> finished = new TreeSet<>();
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return finished;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(metadata.substring(PREFIX.length()).getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return finished;
        }
        if (bytes.length == 0) {
            return finished;
        }
        long base = position + 1;
        if (bytes[0] == BITSET) {
            BitSet bits = BitSet.valueOf(java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
            for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
                finished.add(base + i);
            }
        } else if (bytes[0] == RUNS) {
            int[] index = {1};
            long next = base;
            boolean open = true;
            while (index[0] < bytes.length) {
                long run = readVarint(bytes, index);
                if (run < 0 || next - base + run > MAX_DECODED) {
                    return new TreeSet<>();
                }
                if (!open) {
                    for (long offset = next; offset < next + run; offset++) {
                        finished.add(offset);
                    }
                }
                next += run;
                open = !open;
            }
        }
        return finished;
    }

    private static String encodeAll(long position, SortedSet<Long> above) {
        long base = position + 1;
        BitSet bits = new BitSet();
        ByteArrayOutputStream runs = new ByteArrayOutputStream();
        runs.write(RUNS);
        long next = base;
        long runStart = -1;
        long previous = -1;
        for (long offset : above) {
            long relative = offset - base;
            if (bits != null && relative < MAX_DECODED) {
                bits.set((int) relative);
            } else {
                bits = null;
            }
            if (runStart >= 0 && offset == previous + 1) {
                previous = offset;
                continue;
            }
            if (runStart >= 0) {
                writeVarint(runs, previous + 1 - runStart);
                next = previous + 1;
            }
            writeVarint(runs, offset - next);
            runStart = offset;
            previous = offset;
        }
        writeVarint(runs, previous + 1 - runStart);
        byte[] runBytes = runs.toByteArray();
        byte[] chosen = runBytes;
        if (bits != null) {
            byte[] bitBytes = bits.toByteArray();
            if (bitBytes.length + 1 < runBytes.length) {
                chosen = new byte[bitBytes.length + 1];
                chosen[0] = BITSET;
                System.arraycopy(bitBytes, 0, chosen, 1, bitBytes.length);
            }
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(chosen);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Reads an unsigned varint at {@code index[0]}, advancing it; -1 when malformed. */
    private static long readVarint(byte[] bytes, int[] index) {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (index[0] >= bytes.length) {
                return -1;
            }
            byte b = bytes[index[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }
}
