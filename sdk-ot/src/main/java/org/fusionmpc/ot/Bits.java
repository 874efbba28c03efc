package org.fusionmpc.ot;

/** Packed bit vectors: bit {@code i} is bit {@code i & 63} of word {@code i >>> 6}. */
public final class Bits {

    private Bits() {
    }

    public static boolean get(long[] bits, int i) {
        return (bits[i >>> 6] >>> (i & 63) & 1) != 0;
    }

    public static void set(long[] bits, int i, boolean value) {
        if (value) {
            bits[i >>> 6] |= 1L << (i & 63);
        } else {
            bits[i >>> 6] &= ~(1L << (i & 63));
        }
    }

    /** Words needed for {@code n} bits. */
    public static int words(int n) {
        return (n + 63) >>> 6;
    }

    /** A mask with the low {@code n mod 64} bits set, or all bits when {@code n} is a multiple of 64. */
    static long tailMask(int n) {
        return (n & 63) == 0 ? -1L : (1L << (n & 63)) - 1;
    }
}
