package org.fusionmpc.ot;

/**
 * Bit-matrix transposition over {@code long[]}, in 64x64 tiles transposed in registers by the recursive
 * block-swap of Hacker's Delight (section 7-3): six rounds of masked swaps, 6·32 word operations per tile
 * instead of 4096 bit moves. Bit {@code b} of a word is column {@code b} (least significant bit first).
 */
public final class BitTranspose {

    private BitTranspose() {
    }

    /** Transposes the 64x64 tile {@code a[off, off + 64)} in place: afterwards bit j of row i is the old bit i of row j. */
    public static void transpose64(long[] a, int off) {
        // The six rounds written out, so that each inner loop has a constant stride and mask the JIT unrolls.
        round(a, off, 32, 0x0000_0000_FFFF_FFFFL);
        round(a, off, 16, 0x0000_FFFF_0000_FFFFL);
        round(a, off, 8, 0x00FF_00FF_00FF_00FFL);
        round(a, off, 4, 0x0F0F_0F0F_0F0F_0F0FL);
        round(a, off, 2, 0x3333_3333_3333_3333L);
        round(a, off, 1, 0x5555_5555_5555_5555L);
    }

    /** Swaps the off-diagonal j x j sub-blocks of every 2j x 2j block: rows k and k + j, for k with bit j clear. */
    private static void round(long[] a, int off, int j, long m) {
        for (int base = off; base < off + 64; base += 2 * j) {
            for (int k = base; k < base + j; k++) {
                long t = ((a[k] >>> j) ^ a[k + j]) & m;
                a[k] ^= t << j;
                a[k + j] ^= t;
            }
        }
    }

    /**
     * Transposes a matrix of {@code 128} rows by {@code columns} bits (row {@code r} is the {@code columns/64}
     * words at {@code rows[r * columns/64]}) into {@code columns} 128-bit blocks: block {@code c} holds column
     * {@code c}, its bit {@code r} taken from row {@code r} (rows 0-63 in the block's low long, 64-127 in its
     * high long). This is the IKNP step that turns per-base-OT columns into per-OT rows.
     *
     * @param columns a multiple of 64
     * @param tile    scratch space of at least 64 longs
     */
    public static void rowsToBlocks(long[] rows, int columns, long[] blocks, int firstBlock, long[] tile) {
        if ((columns & 63) != 0) {
            throw new IllegalArgumentException("columns must be a multiple of 64, got " + columns);
        }
        rowsToBlocks(rows, columns, blocks, firstBlock, tile, 0, columns >>> 6);
    }

    /**
     * The part of {@link #rowsToBlocks(long[], int, long[], int, long[])} that yields columns
     * {@code [64·fromWord, 64·toWord)}: the 64-column words are independent, so threads with their own tiles can
     * split a matrix between them.
     */
    public static void rowsToBlocks(long[] rows, int columns, long[] blocks, int firstBlock, long[] tile, int fromWord, int toWord) {
        int words = columns >>> 6;
        if ((columns & 63) != 0 || fromWord < 0 || toWord > words || fromWord > toWord) {
            throw new IllegalArgumentException("words [" + fromWord + ", " + toWord + ") of a " + columns + "-column matrix");
        }
        for (int w = fromWord; w < toWord; w++) {
            for (int half = 0; half < 2; half++) {
                int base = half * 64 * words + w;
                for (int k = 0; k < 64; k++) {
                    tile[k] = rows[base + k * words];
                }
                transpose64(tile, 0);
                int out = 2 * (firstBlock + (w << 6)) + half;
                for (int k = 0; k < 64; k++) {
                    blocks[out + 2 * k] = tile[k];
                }
            }
        }
    }
}
