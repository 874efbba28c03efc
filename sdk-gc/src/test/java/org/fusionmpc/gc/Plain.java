package org.fusionmpc.gc;

/** Bit-sliced plaintext helpers: 64 instances per word, value bits spread over words. */
final class Plain {

    private Plain() {
    }

    /** Slices {@code values} (up to 64) of {@code bits} bits into {@code bits} words, written at {@code out[at..]}. */
    static void slice(long[] values, int bits, long[] out, int at) {
        for (int k = 0; k < bits; k++) {
            long w = 0;
            for (int i = 0; i < values.length; i++) {
                w |= (values[i] >>> k & 1) << i;
            }
            out[at + k] = w;
        }
    }

    /** The inverse of {@link #slice}: value i from words {@code in[at .. at+bits)}. */
    static long[] unslice(long[] in, int at, int bits, int count) {
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < bits; k++) {
                v[i] |= (in[at + k] >>> i & 1) << k;
            }
        }
        return v;
    }

    static long mask(int bits) {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    /** Sign-extends an ℓ-bit value. */
    static long signed(long v, int bits) {
        return bits == 64 ? v : v << (64 - bits) >> (64 - bits);
    }
}
