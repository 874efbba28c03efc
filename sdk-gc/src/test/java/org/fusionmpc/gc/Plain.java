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

    /** max(x, 0) of each signed ℓ-bit value, mod 2^ℓ. */
    static long[] relu(long[] x, int bits) {
        long[] y = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(signed(x[i], bits), 0) & mask(bits);
        }
        return y;
    }

    /** The maximum of each group of {@code k} consecutive signed values, mod 2^ℓ. */
    static long[] max(long[] x, int k, int bits) {
        long[] m = new long[x.length / k];
        for (int i = 0; i < m.length; i++) {
            long best = Long.MIN_VALUE;
            for (int j = 0; j < k; j++) {
                best = Math.max(best, signed(x[i * k + j], bits));
            }
            m[i] = best & mask(bits);
        }
        return m;
    }

    /** The index of the first maximum of each group of {@code k} consecutive signed values. */
    static int[] argmax(long[] x, int k, int bits) {
        int[] a = new int[x.length / k];
        for (int i = 0; i < a.length; i++) {
            for (int j = 1; j < k; j++) {
                if (signed(x[i * k + j], bits) > signed(x[i * k + a[i]], bits)) {
                    a[i] = j;
                }
            }
        }
        return a;
    }
}
