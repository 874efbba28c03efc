package org.fusionmpc.ot;

/** Sizes and checks shared by the two sides of the IKNP extension. */
final class Iknp {

    /** Base OTs, and bits of Δ: the computational security parameter. */
    static final int KAPPA = 128;

    /**
     * OTs per extension chunk. The receiver's matrix for one chunk is 16 bytes per OT (256 KiB here), which
     * keeps the working set in L2 and lets the two parties overlap, and bounds memory whatever n is.
     */
    static final int CHUNK = 1 << 14;

    private Iknp() {
    }

    /** {@code m} rounded up to a whole number of 128-bit blocks. */
    static int padded(int m) {
        return (m + KAPPA - 1) / KAPPA * KAPPA;
    }

    static int blocksPerMessage(int longsPerMessage) {
        return (longsPerMessage + 1) >>> 1;
    }

    /** OTs per step of a chosen-message batch: one chunk, fewer when messages are long. */
    static int chunkFor(int blocksPerMessage) {
        return Math.max(KAPPA, CHUNK / Integer.highestOneBit(Math.max(1, blocksPerMessage)) / KAPPA * KAPPA);
    }

    /** Writes each of the first {@code m} blocks of {@code src} {@code w} times into {@code dst}, XORed with {@code delta} if given. */
    static void repeatBlocks(long[] src, int m, int w, long[] dst, long[] delta) {
        repeatBlocks(src, m, w, dst, delta, 0);
    }

    /** As above, writing from {@code dst[dstOffset]} on. */
    static void repeatBlocks(long[] src, int m, int w, long[] dst, long[] delta, int dstOffset) {
        long d0 = delta == null ? 0 : delta[0];
        long d1 = delta == null ? 0 : delta[1];
        int o = dstOffset;
        for (int i = 0; i < m; i++) {
            long lo = src[2 * i] ^ d0;
            long hi = src[2 * i + 1] ^ d1;
            for (int k = 0; k < w; k++) {
                dst[o++] = lo;
                dst[o++] = hi;
            }
        }
    }

    static void checkBlocks(String name, long[] a, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("the number of OTs must be non-negative, got " + n);
        }
        if (a.length < 2L * n) {
            throw new IllegalArgumentException(name + " holds " + a.length / 2 + " blocks, " + n + " are needed");
        }
    }

    static void checkChoices(long[] choices, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("the number of OTs must be non-negative, got " + n);
        }
        if (choices.length < Bits.words(n)) {
            throw new IllegalArgumentException("choices hold " + 64L * choices.length + " bits, " + n + " are needed");
        }
    }

    static void checkMessages(long[] messages, int n, int longsPerMessage) {
        if (longsPerMessage < 1) {
            throw new IllegalArgumentException("a message has at least one long, got " + longsPerMessage);
        }
        if (messages.length < (long) n * longsPerMessage) {
            throw new IllegalArgumentException("message array holds " + messages.length + " longs, "
                    + (long) n * longsPerMessage + " are needed");
        }
    }
}
