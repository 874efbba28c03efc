package org.fusionmpc.api.channel;

/**
 * Values of fewer than 64 bits packed end to end into longs, for the wire: ℓ-bit shares, short OT messages,
 * 54-bit ciphertext coefficients. Little-endian within and across words, like the SDK's bit vectors.
 */
public final class BitPacking {

    private BitPacking() {
    }

    /** Longs that {@code count} values of {@code bits} bits take. */
    public static int words(int count, int bits) {
        return Math.toIntExact(((long) count * bits + 63) >>> 6);
    }

    /** The low {@code bits} bits of each of the first {@code count} values, concatenated. */
    public static long[] pack(long[] values, int count, int bits) {
        long[] out = new long[Math.toIntExact(((long) count * bits + 63) >>> 6)];
        for (int i = 0; i < count; i++) {
            long v = bits == 64 ? values[i] : values[i] & ((1L << bits) - 1);
            long at = (long) i * bits;
            int word = (int) (at >>> 6);
            int shift = (int) (at & 63);
            out[word] |= v << shift;
            if (shift + bits > 64) {
                out[word + 1] |= v >>> (64 - shift);
            }
        }
        return out;
    }

    /** Inverse of {@link #pack}: the first {@code count} values into {@code out}. */
    public static void unpack(long[] packed, int count, int bits, long[] out) {
        long keep = bits == 64 ? -1L : (1L << bits) - 1;
        for (int i = 0; i < count; i++) {
            long at = (long) i * bits;
            int word = (int) (at >>> 6);
            int shift = (int) (at & 63);
            long v = packed[word] >>> shift;
            if (shift + bits > 64) {
                v |= packed[word + 1] << (64 - shift);
            }
            out[i] = v & keep;
        }
    }

    /**
     * Whether the bits after the last of {@code count} packed values are zero, as {@link #pack} leaves them: a reader
     * that checks this accepts one wire form per message, not 2^padding of them.
     */
    public static boolean unusedBitsClear(long[] packed, int count, int bits) {
        long used = (long) count * bits;
        int tail = (int) (used & 63);
        return tail == 0 || packed[(int) (used >>> 6)] >>> tail == 0;
    }
}
