package org.fusionmpc.ot;

import java.nio.ByteOrder;
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
 *       indices drawn from AES-CTR under a seed the sender chose: y = q·A ⊕ v for the sender, z = t·A ⊕ w and
 *       choice bits x = u·A ⊕ e for the receiver, so z = y ⊕ x·Δ.</li>
 * </ol>
 *
 * <p>Choice bits ride in the lowest bit of each block, as in emp-ot: Δ's lowest bit is 1, the sender's COT blocks have
 * it 0 (its leaves are cleared after the tree is built), so the receiver's block has its choice bit there, and the
 * LPN step, being linear, computes the new choice bits with the blocks.
 *
 * <p>The only message is the sender's T·(2H + 1) blocks. The code's indices come in segments of
 * {@value #SEGMENT} outputs, each from its own AES-CTR stream, so that lanes split the work without changing it.
 */
final class Ferret {

    static final int D = 10;
    static final int SEGMENT = 1 << 15;
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
    }

    /** Per-lane AES state: a GGM expander, a hash for the level masks. */
    static final class Workers {
        final GgmTree[] trees;
        final FixedKeyAesHash hash = new FixedKeyAesHash();

        Workers(int lanes) {
            trees = new GgmTree[lanes];
            for (int i = 0; i < lanes; i++) {
                trees[i] = new GgmTree();
            }
        }

        int lanes() {
            return trees.length;
        }
    }

    /**
     * Sender: sends the round's message and writes the N output blocks y to {@code out}.
     *
     * @param reserve K + T·H blocks q under Δ
     * @param roots   T random blocks, the trees' roots
     */
    static void send(Channel ch, Shape s, long[] reserve, long[] delta, long[] roots, byte[] codeSeed, long round, long tweak,
                     long[] out, Workers w) {
        int leaves = 1 << s.h;
        long[] msg = new long[2 * s.messageBlocks()];
        Lanes.split(w.lanes(), s.t, (from, to, lane) -> {
            GgmTree ggm = w.trees[lane];
            for (int tau = from; tau < to; tau++) {
                int base = tau * leaves;
                out[2 * base] = roots[2 * tau];
                out[2 * base + 1] = roots[2 * tau + 1];
                int m = 2 * tau * (2 * s.h + 1);
                for (int level = 1; level <= s.h; level++) {
                    ggm.expandLevel(out, base, 1 << (level - 1));
                    long l0 = 0, l1 = 0, r0 = 0, r1 = 0;
                    int end = 2 * (base + (1 << level));
                    for (int p = 2 * base; p < end; p += 4) {
                        l0 ^= out[p];
                        l1 ^= out[p + 1];
                        r0 ^= out[p + 2];
                        r1 ^= out[p + 3];
                    }
                    int at = m + 4 * (level - 1);
                    msg[at] = l0;
                    msg[at + 1] = l1;
                    msg[at + 2] = r0;
                    msg[at + 3] = r1;
                }
                long s0 = delta[0], s1 = delta[1];
                for (int p = 2 * base; p < 2 * (base + leaves); p += 2) {
                    out[p] &= ~1L;
                    s0 ^= out[p];
                    s1 ^= out[p + 1];
                }
                msg[m + 4 * s.h] = s0;
                msg[m + 4 * s.h + 1] = s1;
            }
        });
        // Level masks: H(q_c) for the left sum, H(q_c ⊕ Δ) for the right, one tweak per level OT.
        int levels = s.t * s.h;
        long[] pad0 = new long[2 * levels];
        long[] pad1 = new long[2 * levels];
        System.arraycopy(reserve, 2 * s.k, pad0, 0, 2 * levels);
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
        encode(s, reserve, codeSeed, round, out, w.lanes());
    }

    /**
     * Receiver: reads the round's message and writes z to {@code out} and the choice bits x to {@code choices}.
     *
     * @param reserve K + T·H blocks t = q ⊕ u·Δ, u in their lowest bits
     */
    static void receive(Channel ch, Shape s, long[] reserve, byte[] codeSeed, long round, long tweak, long[] out, Workers w) {
        int leaves = 1 << s.h;
        long[] msg = new long[2 * s.messageBlocks()];
        ch.receive(msg, 0, msg.length);
        int levels = s.t * s.h;
        long[] pad = new long[2 * levels];
        System.arraycopy(reserve, 2 * s.k, pad, 0, 2 * levels);
        w.hash.hash(pad, 0, pad, 0, levels, tweak);
        Lanes.split(w.lanes(), s.t, (from, to, lane) -> {
            GgmTree ggm = w.trees[lane];
            for (int tau = from; tau < to; tau++) {
                int base = tau * leaves;
                int m = 2 * tau * (2 * s.h + 1);
                int alpha = 0;
                for (int level = 1; level <= s.h; level++) {
                    int c = tau * s.h + level - 1;
                    int b = (int) (reserve[2 * (s.k + c)] & 1);
                    // The learned side is the sibling of the path: the path goes the other way.
                    alpha = (alpha << 1) | (1 - b);
                    long k0 = msg[m + 4 * (level - 1) + 2 * b] ^ pad[2 * c];
                    long k1 = msg[m + 4 * (level - 1) + 2 * b + 1] ^ pad[2 * c + 1];
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
                int leaf = base + alpha;
                // Leaf α is v_α ⊕ Δ: its lowest bit is 1, the noise bit.
                out[2 * leaf] = z0;
                out[2 * leaf + 1] = z1;
            }
        });
        encode(s, reserve, codeSeed, round, out, w.lanes());
    }

    /**
     * out[i] ^= ⊕ of reserve[j] over output i's 10 indices j < K (choice bits included, in the lowest bits). Each
     * segment of {@value #SEGMENT} outputs draws its indices from AES-CTR under the code seed, the round and the
     * segment, so the result does not depend on the lanes.
     */
    static void encode(Shape s, long[] reserve, byte[] codeSeed, long round, long[] out, int lanes) {
        int segments = (s.n + SEGMENT - 1) / SEGMENT;
        Lanes.split(lanes, segments, (from, to, lane) -> {
            byte[] r = new byte[4 * D * BATCH];
            int[] idx = new int[D * BATCH];
            java.nio.IntBuffer ints = java.nio.ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            byte[] seed = new byte[16];
            long k = s.k;
            for (int seg = from; seg < to; seg++) {
                System.arraycopy(codeSeed, 0, seed, 0, 16);
                long tag = round << 32 | seg;
                for (int b = 0; b < 8; b++) {
                    seed[b] ^= (byte) (tag >>> (8 * b));
                }
                Prg prg = new Prg(seed);
                int first = seg * SEGMENT;
                int last = Math.min(s.n, first + SEGMENT);
                for (int i0 = first; i0 < last; i0 += BATCH) {
                    int m = Math.min(BATCH, last - i0);
                    prg.nextBytes(r, 0, 4 * D * m);
                    ints.clear();
                    ints.get(idx, 0, D * m);
                    // Doubled: the index of a block's first long in the interleaved reserve.
                    for (int e = 0; e < D * m; e++) {
                        idx[e] = (int) ((idx[e] & 0xFFFF_FFFFL) * k >>> 32) << 1;
                    }
                    gather(reserve, idx, out, i0, m);
                }
            }
        });
    }

    /** Outputs i0..i0+m-1 each XOR the ten reserve blocks their indices name. */
    private static void gather(long[] reserve, int[] idx, long[] out, int i0, int m) {
        for (int j = 0, e = 0; j < m; j++, e += D) {
            int o = 2 * (i0 + j);
            int x0 = idx[e], x1 = idx[e + 1], x2 = idx[e + 2], x3 = idx[e + 3], x4 = idx[e + 4];
            int x5 = idx[e + 5], x6 = idx[e + 6], x7 = idx[e + 7], x8 = idx[e + 8], x9 = idx[e + 9];
            out[o] ^= reserve[x0] ^ reserve[x1] ^ reserve[x2] ^ reserve[x3] ^ reserve[x4]
                    ^ reserve[x5] ^ reserve[x6] ^ reserve[x7] ^ reserve[x8] ^ reserve[x9];
            out[o + 1] ^= reserve[x0 + 1] ^ reserve[x1 + 1] ^ reserve[x2 + 1] ^ reserve[x3 + 1] ^ reserve[x4 + 1]
                    ^ reserve[x5 + 1] ^ reserve[x6 + 1] ^ reserve[x7 + 1] ^ reserve[x8 + 1] ^ reserve[x9 + 1];
        }
    }
}