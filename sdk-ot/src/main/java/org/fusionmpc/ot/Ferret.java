package org.fusionmpc.ot;

import java.nio.ByteOrder;
import java.nio.IntBuffer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.concurrent.Lanes;
import org.fusionmpc.api.random.FixedKeyAesHash;
import org.fusionmpc.api.random.Prg;

/**
 * One round of Ferret's extension, both sides (Yang, Weng, Lan, Zhang, Wang, CCS 2020, semi-honest, regular noise).
 * The round consumes K + T·H COTs under the global Δ (its reserve: the LPN secret's K, then H per tree) and makes N:
 *
 * <ol>
 *   <li>Multi-point COT by T single-point COTs over bins of 2^H: the sender expands a GGM tree per bin; for level ℓ
 *       of tree τ it sends the XOR of the level's left nodes and of its right nodes, masked by H(q) and H(q ⊕ Δ) of
 *       the level's reserved COT. The receiver's choice bit b of that COT picks the side it learns, so its
 *       punctured leaf α has bits 1 − b: it rebuilds every leaf but α. The sender adds ψ = Δ ⊕ ⊕ leaves, from
 *       which the receiver gets leaf α ⊕ Δ. So w = v ⊕ e·Δ with e the regular noise vector at the α's.</li>
 *   <li>The primal LPN step with Ferret's 10-local code: output i adds the K-part of the reserve at 10 public
 *       indices drawn from AES-CTR under a seed the sender chose, the round and the tree: y = q·A ⊕ v for the
 *       sender, z = t·A ⊕ w for the receiver, so z = y ⊕ x·Δ with x = u·A ⊕ e.</li>
 * </ol>
 *
 * <p>Choice bits ride in the lowest bit of each block, as in emp-ot: Δ's lowest bit is 1, the sender's COT blocks
 * have it 0 (its leaves are cleared after the tree is built), so the receiver's block carries its choice bit there,
 * and the LPN step, being linear, computes the new choice bits with the blocks.
 *
 * <p>The only message is the sender's T·(2H + 1) blocks, at the start of the round. Outputs are then made a slab of
 * trees at a time as they are needed ({@link Sender#produce}, {@link Receiver#produce}); the sender expands each tree
 * twice (once for the message, once for its outputs), which costs a few percent and keeps a round's memory at its
 * K-block code input and one slab instead of N blocks (170 MB at the default set).
 */
final class Ferret {

    static final int D = 10;
    private static final int BATCH = 1024;

    private Ferret() {
    }

    /** One round's shape: N = T·2^H outputs from K + T·H reserved COTs. */
    record Shape(int n, int k, int t, int h) {
        int reserve() {
            return k + t * h;
        }

        int messageBlocks() {
            return t * (2 * h + 1);
        }

        int leaves() {
            return 1 << h;
        }

        /** Trees per slab: about 2^17 outputs (2 MB), at least one tree. */
        int slabTrees() {
            return Math.max(1, Math.min(t, (1 << 17) >> h));
        }
    }

    /** Per-lane state: a GGM expander and the code's index buffers each; a hash for the level masks. */
    static final class Workers {
        final GgmTree[] trees;
        final byte[][] random;
        final Prg[] codePrgs;
        final int[][] indices;
        final FixedKeyAesHash hash = new FixedKeyAesHash();

        Workers(int lanes) {
            trees = new GgmTree[lanes];
            random = new byte[lanes][4 * D * BATCH];
            codePrgs = new Prg[lanes];
            indices = new int[lanes][D * BATCH];
            for (int i = 0; i < lanes; i++) {
                trees[i] = new GgmTree();
                codePrgs[i] = new Prg(new byte[Prg.SEED_BYTES]); // reseeded per tree
            }
        }

        int lanes() {
            return trees.length;
        }
    }

    /** The sender's side of a round: sends the message when made, then makes outputs slab by slab. */
    static final class Sender {
        private final Shape s;
        private final long[] code;
        private final long[] roots;
        private final byte[] codeSeed;
        private final long round;
        private final Workers w;

        /**
         * @param reserve K + T·H blocks q under Δ, lowest bits 0; the round keeps its K-part, the caller may reuse it
         * @param roots   T random blocks, the trees' roots
         */
        Sender(Channel ch, Shape s, long[] reserve, long[] delta, long[] roots, byte[] codeSeed, long round, long tweak, Workers w) {
            this.s = s;
            this.code = java.util.Arrays.copyOf(reserve, 2 * s.k);
            this.roots = roots;
            this.codeSeed = codeSeed;
            this.round = round;
            this.w = w;
            int leaves = s.leaves();
            long[] msg = new long[2 * s.messageBlocks()];
            Lanes.split(w.lanes(), s.t, (from, to, lane) -> {
                long[] tree = new long[2 * leaves];
                for (int tau = from; tau < to; tau++) {
                    expand(w.trees[lane], tau, tree, 0, msg, 2 * tau * (2 * s.h + 1));
                    long s0 = delta[0], s1 = delta[1];
                    for (int p = 0; p < 2 * leaves; p += 2) {
                        s0 ^= tree[p] & ~1L;
                        s1 ^= tree[p + 1];
                    }
                    int m = 2 * tau * (2 * s.h + 1) + 4 * s.h;
                    msg[m] = s0;
                    msg[m + 1] = s1;
                }
            });
            // Level masks: H(q_c) for the left sum, H(q_c ⊕ Δ) for the right, one tweak per level OT.
            int levels = s.t * s.h;
            long[] pad0 = java.util.Arrays.copyOfRange(reserve, 2 * s.k, 2 * s.k + 2 * levels);
            long[] pad1 = new long[2 * levels];
            for (int c = 0; c < levels; c++) {
                pad1[2 * c] = pad0[2 * c] ^ delta[0];
                pad1[2 * c + 1] = pad0[2 * c + 1] ^ delta[1];
            }
            w.hash.hash(pad0, 0, pad0, 0, levels, tweak);
            w.hash.hash(pad1, 0, pad1, 0, levels, tweak);
            for (int tau = 0; tau < s.t; tau++) {
                for (int level = 1; level <= s.h; level++) {
                    int c = tau * s.h + level - 1;
                    int at = 2 * tau * (2 * s.h + 1) + 4 * (level - 1);
                    msg[at] ^= pad0[2 * c];
                    msg[at + 1] ^= pad0[2 * c + 1];
                    msg[at + 2] ^= pad1[2 * c];
                    msg[at + 3] ^= pad1[2 * c + 1];
                }
            }
            ch.send(msg);
            ch.flush();
        }

        /** Expands tree τ into {@code tree} at block {@code at}; with {@code msg}, writes its level sums there. */
        private void expand(GgmTree ggm, int tau, long[] tree, int at, long[] msg, int m) {
            tree[2 * at] = roots[2 * tau];
            tree[2 * at + 1] = roots[2 * tau + 1];
            for (int level = 1; level <= s.h; level++) {
                ggm.expandLevel(tree, at, 1 << (level - 1));
                if (msg != null) {
                    long l0 = 0, l1 = 0, r0 = 0, r1 = 0;
                    int end = 2 * (at + (1 << level));
                    for (int p = 2 * at; p < end; p += 4) {
                        l0 ^= tree[p];
                        l1 ^= tree[p + 1];
                        r0 ^= tree[p + 2];
                        r1 ^= tree[p + 3];
                    }
                    int x = m + 4 * (level - 1);
                    msg[x] = l0;
                    msg[x + 1] = l1;
                    msg[x + 2] = r0;
                    msg[x + 3] = r1;
                }
            }
        }

        /** Outputs of trees [first, first + count) into {@code out} from block 0. */
        void produce(int first, int count, long[] out) {
            int leaves = s.leaves();
            Lanes.split(Math.min(w.lanes(), count), count, (from, to, lane) -> {
                for (int j = from; j < to; j++) {
                    expand(w.trees[lane], first + j, out, j * leaves, null, 0);
                    for (int p = 2 * j * leaves; p < 2 * (j + 1) * leaves; p += 2) {
                        out[p] &= ~1L;
                    }
                    encode(s, code, codeSeed, round, first + j, out, j * leaves, w.random[lane], w.indices[lane], w.codePrgs[lane]);
                }
            });
        }
    }

    /** The receiver's side of a round: reads the message when made, then rebuilds outputs slab by slab. */
    static final class Receiver {
        private final Shape s;
        private final long[] code;
        private final long[] msg;
        private final long[] pads;
        private final int[] sides;
        private final byte[] codeSeed;
        private final long round;
        private final Workers w;

        /** @param reserve K + T·H blocks t = q ⊕ u·Δ, u in their lowest bits; the round keeps what it needs */
        Receiver(Channel ch, Shape s, long[] reserve, byte[] codeSeed, long round, long tweak, Workers w) {
            this.s = s;
            this.code = java.util.Arrays.copyOf(reserve, 2 * s.k);
            this.codeSeed = codeSeed;
            this.round = round;
            this.w = w;
            this.msg = new long[2 * s.messageBlocks()];
            ch.receive(msg, 0, msg.length);
            int levels = s.t * s.h;
            pads = java.util.Arrays.copyOfRange(reserve, 2 * s.k, 2 * s.k + 2 * levels);
            sides = new int[levels];
            for (int c = 0; c < levels; c++) {
                sides[c] = (int) (pads[2 * c] & 1);
            }
            w.hash.hash(pads, 0, pads, 0, levels, tweak);
        }

        void produce(int first, int count, long[] out) {
            int leaves = s.leaves();
            Lanes.split(Math.min(w.lanes(), count), count, (from, to, lane) -> {
                for (int j = from; j < to; j++) {
                    rebuild(w.trees[lane], first + j, out, j * leaves);
                    encode(s, code, codeSeed, round, first + j, out, j * leaves, w.random[lane], w.indices[lane], w.codePrgs[lane]);
                }
            });
        }

        /** Every leaf of tree τ but α from the learned sibling sums, then leaf α ⊕ Δ from ψ. */
        private void rebuild(GgmTree ggm, int tau, long[] out, int base) {
            int leaves = s.leaves();
            int m = 2 * tau * (2 * s.h + 1);
            int alpha = 0;
            for (int level = 1; level <= s.h; level++) {
                int c = tau * s.h + level - 1;
                int b = sides[c];
                // The learned side is the sibling of the path: the path goes the other way.
                alpha = (alpha << 1) | (1 - b);
                long k0 = msg[m + 4 * (level - 1) + 2 * b] ^ pads[2 * c];
                long k1 = msg[m + 4 * (level - 1) + 2 * b + 1] ^ pads[2 * c + 1];
                if (level > 1) {
                    ggm.expandLevel(out, base, 1 << (level - 1));
                }
                int path = base + alpha;
                int sibling = path ^ 1;
                out[2 * path] = 0;
                out[2 * path + 1] = 0;
                out[2 * sibling] = 0;
                out[2 * sibling + 1] = 0;
                int end = 2 * (base + (1 << level));
                for (int p = 2 * base + 2 * b; p < end; p += 4) {
                    k0 ^= out[p];
                    k1 ^= out[p + 1];
                }
                out[2 * sibling] = k0;
                out[2 * sibling + 1] = k1;
            }
            long z0 = msg[m + 4 * s.h], z1 = msg[m + 4 * s.h + 1];
            for (int p = 2 * base; p < 2 * (base + leaves); p += 2) {
                out[p] &= ~1L;
                z0 ^= out[p];
                z1 ^= out[p + 1];
            }
            // Leaf α is v_α ⊕ Δ: its lowest bit is 1, the noise bit.
            out[2 * (base + alpha)] = z0;
            out[2 * (base + alpha) + 1] = z1;
        }
    }

    /**
     * The 2^H outputs of tree τ at {@code out[at..]} each XOR ten blocks of {@code code}: the indices come from AES-CTR
     * under the code seed, the round and the tree, so any split of the trees between lanes gives the same result.
     */
    static void encode(Shape s, long[] code, byte[] codeSeed, long round, int tau, long[] out, int at, byte[] r, int[] idx,
                       Prg prg) {
        byte[] seed = codeSeed.clone();
        long tag = round << 32 | tau;
        for (int b = 0; b < 8; b++) {
            seed[b] ^= (byte) (tag >>> (8 * b));
        }
        prg.reseed(seed);
        int leaves = s.leaves();
        int m0 = Math.min(BATCH, leaves);
        IntBuffer ints = java.nio.ByteBuffer.wrap(r, 0, 4 * D * m0).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        long k = s.k;
        for (int i0 = 0; i0 < leaves; i0 += m0) {
            prg.nextBytes(r, 0, 4 * D * m0);
            ints.clear();
            ints.get(idx, 0, D * m0);
            // Doubled: the index of a block's first long in the interleaved code input.
            for (int e = 0; e < D * m0; e++) {
                idx[e] = (int) ((idx[e] & 0xFFFF_FFFFL) * k >>> 32) << 1;
            }
            gather(code, idx, out, at + i0, m0);
        }
    }

    /** Outputs i0..i0+m-1 each XOR the ten blocks their indices name. */
    private static void gather(long[] code, int[] idx, long[] out, int i0, int m) {
        for (int j = 0, e = 0; j < m; j++, e += D) {
            int o = 2 * (i0 + j);
            int x0 = idx[e], x1 = idx[e + 1], x2 = idx[e + 2], x3 = idx[e + 3], x4 = idx[e + 4];
            int x5 = idx[e + 5], x6 = idx[e + 6], x7 = idx[e + 7], x8 = idx[e + 8], x9 = idx[e + 9];
            out[o] ^= code[x0] ^ code[x1] ^ code[x2] ^ code[x3] ^ code[x4]
                    ^ code[x5] ^ code[x6] ^ code[x7] ^ code[x8] ^ code[x9];
            out[o + 1] ^= code[x0 + 1] ^ code[x1 + 1] ^ code[x2 + 1] ^ code[x3 + 1] ^ code[x4 + 1]
                    ^ code[x5 + 1] ^ code[x6 + 1] ^ code[x7 + 1] ^ code[x8 + 1] ^ code[x9 + 1];
        }
    }
}
