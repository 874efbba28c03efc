package org.fusionmpc.ot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BitTransposeTest {

    private final SplittableRandom random = new SplittableRandom(11);

    @Test
    void tileTransposeMatchesNaiveTranspose() {
        for (int trial = 0; trial < 50; trial++) {
            long[] a = random.longs(64).toArray();
            if (trial == 0) {
                a = new long[64];
                a[3] = 1L << 60; // a single bit: row 3, column 60
            }
            long[] naive = new long[64];
            for (int i = 0; i < 64; i++) {
                for (int j = 0; j < 64; j++) {
                    if ((a[i] >>> j & 1) != 0) {
                        naive[j] |= 1L << i;
                    }
                }
            }
            long[] fast = a.clone();
            BitTranspose.transpose64(fast, 0);
            assertArrayEquals(naive, fast);
            BitTranspose.transpose64(fast, 0);
            assertArrayEquals(a, fast, "transposing twice is the identity");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 128, 192, 1024})
    void rowsToBlocksMatchesBitByBitTranspose(int columns) {
        int words = columns / 64;
        long[] rows = random.longs(128L * words).toArray();
        long[] blocks = new long[2 * columns + 6];
        BitTranspose.rowsToBlocks(rows, columns, blocks, 3, new long[64]);
        for (int c = 0; c < columns; c++) {
            for (int r = 0; r < 128; r++) {
                boolean expected = Bits.get(rows, r * columns + c);
                boolean actual = (blocks[2 * (3 + c) + (r >>> 6)] >>> (r & 63) & 1) != 0;
                assertEquals(expected, actual, "column " + c + " row " + r);
            }
        }
    }

    @Test
    void wordRangesPieceTogetherTheWholeTranspose() {
        int columns = 640;
        long[] rows = random.longs(128L * columns / 64).toArray();
        long[] whole = new long[2 * columns];
        BitTranspose.rowsToBlocks(rows, columns, whole, 0, new long[64]);
        long[] pieces = new long[2 * columns];
        // Uneven ranges, out of order, as lanes would finish them.
        int[][] ranges = {{7, 10}, {0, 3}, {3, 3}, {3, 7}};
        for (int[] range : ranges) {
            BitTranspose.rowsToBlocks(rows, columns, pieces, 0, new long[64], range[0], range[1]);
        }
        assertArrayEquals(whole, pieces);
        assertThrows(IllegalArgumentException.class,
                () -> BitTranspose.rowsToBlocks(rows, columns, pieces, 0, new long[64], 4, 11));
        assertThrows(IllegalArgumentException.class,
                () -> BitTranspose.rowsToBlocks(rows, columns, pieces, 0, new long[64], 5, 4));
    }

    @Test
    void columnsMustBeWholeWords() {
        assertThrows(IllegalArgumentException.class,
                () -> BitTranspose.rowsToBlocks(new long[256], 100, new long[400], 0, new long[64]));
    }
}
