package org.fusionmpc.api.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BlocksTest {

    @Test
    void bytesAreLittleEndianLowHalfFirstAndRoundTrip() {
        long[] block = {0x0706050403020100L, 0x0f0e0d0c0b0a0908L};
        byte[] bytes = new byte[16];
        Blocks.toBytes(block, 0, bytes, 0, 1);
        for (int i = 0; i < 16; i++) {
            assertEquals(i, bytes[i]);
        }
        long[] back = new long[2];
        Blocks.fromBytes(bytes, 0, back, 0, 1);
        assertArrayEquals(block, back);
    }

    @Test
    void xorActsOnWholeBlocks() {
        long[] a = {1, 2, 3, 4};
        long[] b = {0, 0, 7, 8};
        Blocks.xor(a, 1, b, 1, 1);
        assertArrayEquals(new long[] {1, 2, 3 ^ 7, 4 ^ 8}, a);
    }
}
