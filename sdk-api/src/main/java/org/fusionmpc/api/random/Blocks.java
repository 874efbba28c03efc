package org.fusionmpc.api.random;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The SDK's 128-bit block convention: block {@code i} of a {@code long[]} is the pair
 * {@code (a[2i], a[2i+1])}, low half first; as bytes it is the 16-byte little-endian encoding of that
 * pair. OT messages, garbled-circuit labels and hash inputs all use it, so batches of blocks are plain
 * {@code long[]} arrays and no object exists per block.
 */
public final class Blocks {

    /** Longs per block. */
    public static final int LONGS = 2;
    /** Bytes per block. */
    public static final int BYTES = 16;

    private static final VarHandle LE_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Blocks() {
    }

    /** A zeroed array of {@code n} blocks. */
    public static long[] allocate(int n) {
        return new long[LONGS * n];
    }

    /** {@code dst[i] ^= src[i]} for {@code n} blocks. */
    public static void xor(long[] dst, int dstBlock, long[] src, int srcBlock, int n) {
        int d = LONGS * dstBlock;
        int s = LONGS * srcBlock;
        for (int k = 0; k < LONGS * n; k++) {
            dst[d + k] ^= src[s + k];
        }
    }

    public static boolean equal(long[] a, int aBlock, long[] b, int bBlock) {
        return a[LONGS * aBlock] == b[LONGS * bBlock] && a[LONGS * aBlock + 1] == b[LONGS * bBlock + 1];
    }

    /** Writes {@code n} blocks as bytes, little-endian. */
    public static void toBytes(long[] src, int srcBlock, byte[] dst, int dstOffset, int n) {
        for (int k = 0; k < LONGS * n; k++) {
            LE_LONGS.set(dst, dstOffset + 8 * k, src[LONGS * srcBlock + k]);
        }
    }

    /** Reads {@code n} blocks from bytes, little-endian. */
    public static void fromBytes(byte[] src, int srcOffset, long[] dst, int dstBlock, int n) {
        for (int k = 0; k < LONGS * n; k++) {
            dst[LONGS * dstBlock + k] = (long) LE_LONGS.get(src, srcOffset + 8 * k);
        }
    }
}
