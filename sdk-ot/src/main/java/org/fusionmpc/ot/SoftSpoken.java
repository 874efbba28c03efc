package org.fusionmpc.ot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.concurrent.Lanes;
import org.fusionmpc.api.random.FixedKeyAesHash;
import org.fusionmpc.api.random.Blocks;
import org.fusionmpc.api.random.Prg;

/**
 * The parts of SoftSpokenOT (Roy, CRYPTO 2022) the two extension sides share: the punctured seed trees made
 * from the 128 base OTs, and the AES-CTR streams of their leaves.
 *
 * <p>Δ is cut into 128/k blocks of k bits. For block b the extension receiver holds 2^k leaf seeds s_x and the
 * sender all of them but s_{Δ_b}: a (2^k − 1)-out-of-2^k OT, built from k random 1-out-of-2 OTs as a GGM tree
 * whose level i the receiver opens by sending the XOR of all left and of all right children, each masked with
 * one of level i's random OT messages; the sender, having chosen the complement of Δ_b's path bit there, can
 * unmask one of the two, which is exactly what it needs to rebuild every node off the punctured path.
 */
final class SoftSpoken {

    /** The k this SDK uses unless told otherwise: 32 bits on the wire per OT, four times fewer than IKNP. */
    static final int DEFAULT_K = 4;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SoftSpoken() {
    }

    static void checkK(int k) {
        if (k != 1 && k != 2 && k != 4 && k != 8) {
            throw new IllegalArgumentException("SoftSpokenOT's k divides 128 and is at most 8: 1, 2, 4 or 8; got " + k);
        }
    }

    /** Base-OT choices of the extension sender: at block b, level i (1-based), the complement of Δ_b's bit k−i. */
    static long[] baseChoices(long[] delta, int k) {
        long[] choices = new long[2];
        for (int b = 0; b < Iknp.KAPPA / k; b++) {
            int point = point(delta, b, k);
            for (int i = 1; i <= k; i++) {
                Bits.set(choices, b * k + i - 1, (point >>> (k - i) & 1) == 0);
            }
        }
        return choices;
    }

    /** Δ_b, the k bits of Δ from bit b·k up, as an integer whose bit j is Δ's bit b·k + j. */
    static int point(long[] delta, int b, int k) {
        int p = 0;
        for (int j = 0; j < k; j++) {
            if (Bits.get(delta, b * k + j)) {
                p |= 1 << j;
            }
        }
        return p;
    }

    /** The openings' length in longs: two blocks for each of levels 2..k of each of the 128/k trees. */
    static int openingLongs(int k) {
        return 4 * (Iknp.KAPPA / k) * (k - 1);
    }

    /**
     * The receiver's trees: from the base OTs' pairs ({@code pairs}, 2 blocks per OT) returns every block's 2^k
     * leaves (leaf x of block b at block {@code b·2^k + x}) and writes the openings of levels 2..k, two blocks
     * per level, into {@code openings}.
     */
    static long[] fullTrees(long[] pairs, int k, long[] openings) {
        int blocks = Iknp.KAPPA / k;
        int leaves = 1 << k;
        long[] out = Blocks.allocate(blocks * leaves);
        long[] level = Blocks.allocate(leaves);
        long[] next = Blocks.allocate(leaves);
        int opening = 0;
        for (int b = 0; b < blocks; b++) {
            int ot = b * k;
            System.arraycopy(pairs, 4 * ot, level, 0, 4);
            for (int i = 2; i <= k; i++) {
                int width = 1 << (i - 1);
                long[] sums = new long[4];
                for (int p = 0; p < width; p++) {
                    children(level, p, next);
                    for (int c = 0; c < 4; c++) {
                        sums[c] ^= next[4 * p + c];
                    }
                }
                int pair = 4 * (ot + i - 1);
                for (int c = 0; c < 4; c++) {
                    openings[4 * opening + c] = sums[c] ^ pairs[pair + c];
                }
                opening++;
                long[] t = level;
                level = next;
                next = t;
            }
            System.arraycopy(level, 0, out, 2 * b * leaves, 2 * leaves);
        }
        return out;
    }

    /**
     * The sender's trees: from its base-OT outputs ({@code seeds}, one block per OT, chosen by
     * {@link #baseChoices}) and the receiver's openings, every leaf but leaf Δ_b of each block, which stays zero.
     */
    static long[] puncturedTrees(long[] seeds, long[] delta, int k, long[] openings) {
        int blocks = Iknp.KAPPA / k;
        int leaves = 1 << k;
        long[] out = Blocks.allocate(blocks * leaves);
        long[] level = Blocks.allocate(leaves);
        long[] next = Blocks.allocate(leaves);
        int opening = 0;
        for (int b = 0; b < blocks; b++) {
            int ot = b * k;
            int point = point(delta, b, k);
            int path = point >>> (k - 1);
            java.util.Arrays.fill(level, 0, 4, 0);
            level[2 * (path ^ 1)] = seeds[2 * ot];
            level[2 * (path ^ 1) + 1] = seeds[2 * ot + 1];
            for (int i = 2; i <= k; i++) {
                int width = 1 << (i - 1);
                int side = (point >>> (k - i) & 1) ^ 1;
                long lo = openings[4 * opening + 2 * side] ^ seeds[2 * (ot + i - 1)];
                long hi = openings[4 * opening + 2 * side + 1] ^ seeds[2 * (ot + i - 1) + 1];
                opening++;
                for (int p = 0; p < width; p++) {
                    if (p == path) {
                        continue;
                    }
                    children(level, p, next);
                    lo ^= next[2 * (2 * p + side)];
                    hi ^= next[2 * (2 * p + side) + 1];
                }
                int lost = 2 * path + (side ^ 1);
                next[2 * lost] = 0;
                next[2 * lost + 1] = 0;
                next[2 * (2 * path + side)] = lo;
                next[2 * (2 * path + side) + 1] = hi;
                path = 2 * path + (side ^ 1);
                long[] t = level;
                level = next;
                next = t;
            }
            System.arraycopy(level, 0, out, 2 * b * leaves, 2 * leaves);
        }
        return out;
    }

    /** The GGM step: node p of {@code level} becomes nodes 2p and 2p+1 of {@code next}, by AES under the node. */
    private static void children(long[] level, int p, long[] next) {
        byte[] key = new byte[Blocks.BYTES];
        Blocks.toBytes(level, p, key, 0, 1);
        new Prg(key).nextLongs(next, 4 * p, 4);
    }

    /**
     * Writes row j = ⊕ of the slots y with bit j set, for the 2^k slots of {@code words} longs at
     * {@code slots[y·words]}, to {@code rows[firstRow + j·words]}; slot 0 is left holding ⊕ of all slots. It is
     * the small-field VOLE's v = Σ_y y·r_y, computed as a butterfly: each level folds odd slots into one row and
     * pairs into half as many slots, 2(2^k − 1) passes instead of k·2^(k−1) + 2^k.
     */
    static void subsetSums(long[] slots, int k, int words, long[] rows, int firstRow) {
        for (int j = 0, size = 1 << k; j < k; j++, size >>>= 1) {
            int row = firstRow + j * words;
            for (int p = 0; p < size / 2; p++) {
                int even = 2 * p * words;
                int odd = even + words;
                int dst = p * words;
                if (p == 0) {
                    for (int w = 0; w < words; w++) {
                        long o = slots[odd + w];
                        rows[row + w] = o;
                        slots[dst + w] = slots[even + w] ^ o;
                    }
                } else {
                    for (int w = 0; w < words; w++) {
                        long o = slots[odd + w];
                        rows[row + w] ^= o;
                        slots[dst + w] = slots[even + w] ^ o;
                    }
                }
            }
        }
    }


    /** Each lane's working memory for one chunk: 2^k leaf slots, the AES scratch, a transpose tile and a hash. */
    static final class LaneBuffers {
        final long[][] slots;
        final byte[][] scratch;
        final long[][] tiles;
        final FixedKeyAesHash[] hashes;

        LaneBuffers(int k, int lanes) {
            checkThreads(lanes);
            slots = new long[lanes][(1 << k) * Iknp.CHUNK / 64];
            scratch = new byte[lanes][];
            tiles = new long[lanes][64];
            hashes = new FixedKeyAesHash[lanes];
            for (int t = 0; t < lanes; t++) {
                scratch[t] = LeafStreams.scratch();
                hashes[t] = new FixedKeyAesHash();
            }
        }

        /** Lanes for a chunk of m OTs: one for short chunks, where handing work over would cost more than it saves. */
        int lanesFor(int m) {
            return m >= MIN_OTS_PER_SPLIT ? slots.length : 1;
        }

        /** The chunk's 128 x m matrix into m blocks, its 64-column words split between the lanes. */
        void transpose(long[] matrix, int columnsBits, long[] blocks, int m) {
            Lanes.split(lanesFor(m), columnsBits >>> 6,
                    (from, to, lane) -> BitTranspose.rowsToBlocks(matrix, columnsBits, blocks, 0, tiles[lane], from, to));
        }

        /**
         * Blocks [0, n) of {@code a} hashed in place, block i under tweak {@code tweak + i}, split between the lanes:
         * the same output as one {@link FixedKeyAesHash#hash} call.
         */
        void hash(long[] a, int n, long tweak) {
            Lanes.split(lanesFor(n), n, (from, to, lane) -> hashes[lane].hash(a, from, a, from, to - from, tweak + from));
        }
    }

    static final int MAX_THREADS = 8;

    /** Chunks shorter than this run on one lane. */
    static final int MIN_OTS_PER_SPLIT = 4096;

    static void checkThreads(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("OT extension threads must be 1.." + MAX_THREADS + ", got " + threads);
        }
    }

    static void checkPeerK(int theirs, int ours) {
        if (theirs != ours) {
            throw new ChannelException(ChannelException.Kind.PROTOCOL,
                    "SoftSpokenOT: the peer extends with k = " + theirs + ", this side with k = " + ours
                            + "; both sides must use the same k");
        }
    }

    /**
     * The leaves' pseudo-random streams: one AES-CTR cipher per leaf and a shared scratch buffer, so that 512
     * leaves (k = 4) cost a few hundred KB rather than a {@link Prg}'s buffers each.
     */
    static final class LeafStreams {

        private final Cipher[] ciphers;
        private final byte[] zeros = new byte[Iknp.CHUNK / 8];

        /**
         * Streams for the 2^k leaves of each of the 128/k blocks; with {@code delta} given (the sender), leaf Δ_b
         * of block b is the punctured one and gets no stream.
         */
        LeafStreams(long[] leaves, int k, long[] delta) {
            int perBlock = 1 << k;
            ciphers = new Cipher[Iknp.KAPPA / k * perBlock];
            byte[] key = new byte[Blocks.BYTES];
            try {
                for (int x = 0; x < ciphers.length; x++) {
                    if (delta != null && (x & (perBlock - 1)) == point(delta, x >>> k, k)) {
                        continue;
                    }
                    Blocks.toBytes(leaves, x, key, 0, 1);
                    Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
                    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
                    ciphers[x] = c;
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-CTR is not available: " + e.getMessage(), e);
            }
        }

        /**
         * The next {@code words} longs of leaf {@code x}'s stream into {@code dst[at, at + words)}, through the
         * caller's {@code scratch} ({@link #scratch()}), so that threads working on different leaves share nothing.
         */
        void next(int x, long[] dst, int at, int words, byte[] scratch) {
            int bytes = 8 * words;
            try {
                ciphers[x].update(zeros, 0, bytes, scratch, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            for (int w = 0; w < words; w++) {
                dst[at + w] = (long) LONGS.get(scratch, 8 * w);
            }
        }

        static byte[] scratch() {
            return new byte[Iknp.CHUNK / 8];
        }
    }
}
