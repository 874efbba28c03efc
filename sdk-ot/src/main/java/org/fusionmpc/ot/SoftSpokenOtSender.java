package org.fusionmpc.ot;

import java.security.SecureRandom;
import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.concurrent.Lanes;
import org.fusionmpc.api.random.Blocks;

/**
 * The sender of SoftSpokenOT (Roy, CRYPTO 2022), the IKNP OT extension (Ishai, Kilian, Nissim and Petrank,
 * CRYPTO 2003, with the ALSZ13 optimisations) generalised so that the receiver sends 128/k bits per OT instead
 * of 128. With k = 1 it is exactly IKNP; k = 4, the default, sends 4 bytes per OT for about four times IKNP's
 * AES work.
 *
 * <p>How: Δ is cut into 128/k blocks Δ_b of k bits. Setup gives this side every leaf seed of a 2^k-leaf tree per
 * block except leaf Δ_b ({@link SoftSpoken}). Per chunk, each leaf x expands to a bit vector r_x; the receiver,
 * who knows all of them, sends d_b = c ⊕ ⊕_x r_x and keeps v_b = ⊕_x x·r_x (k bit vectors); this side computes
 * w_b = ⊕_{x ≠ Δ_b} (x ⊕ Δ_b)·r_x ⊕ Δ_b·d_b = v_b ⊕ c·Δ_b, because the one term it lacks has coefficient zero.
 * Transposed, row i is q_i = t_i ⊕ c_i·Δ, the correlation IKNP gives, and everything above it is IKNP's: random
 * and chosen OTs hash q_i and q_i ⊕ Δ with {@link org.fusionmpc.api.random.FixedKeyAesHash#hash} under a tweak unique to the OT (and to
 * the block of a long message), which keeps the Δ-correlation from leaking (GKWY20).
 *
 * <p>Semi-honest, as IKNP is here: SoftSpokenOT's consistency check against a malicious receiver is not built.
 */
public final class SoftSpokenOtSender implements OtSender {

    private final Channel channel;
    private final int k;
    private final long[] delta;
    private final int[] points;
    private final SoftSpoken.LeafStreams leaves;
    private final long[] matrix = new long[Iknp.KAPPA * Iknp.CHUNK / 64];
    private final long[] received;
    private SoftSpoken.LaneBuffers lanes;
    private final long[] chunkBlocks = Blocks.allocate(Iknp.CHUNK);
    private long tweak;

    private SoftSpokenOtSender(Channel channel, int k, long[] delta, long[] leafSeeds) {
        this.channel = channel;
        this.k = k;
        this.delta = delta;
        this.points = new int[Iknp.KAPPA / k];
        for (int b = 0; b < points.length; b++) {
            points[b] = SoftSpoken.point(delta, b, k);
        }
        this.leaves = new SoftSpoken.LeafStreams(leafSeeds, k, delta);
        this.received = new long[Iknp.KAPPA / k * Iknp.CHUNK / 64];
        this.lanes = new SoftSpoken.LaneBuffers(k, 1);
    }

    /** Most threads {@link #withThreads} takes: 128/k blocks split into at most this many lanes. */
    public static final int MAX_THREADS = SoftSpoken.MAX_THREADS;

    /** The k both sides use unless told otherwise. */
    public static final int DEFAULT_K = SoftSpoken.DEFAULT_K;

    /** Refuses a k other than 1, 2, 4 or 8 with a clear message. */
    public static void checkK(int k) {
        SoftSpoken.checkK(k);
    }

    /** Runs the base OTs with the default k ({@value SoftSpoken#DEFAULT_K}) and returns a sender ready to extend. */
    /** Setup on a session's channel, with the session's randomness ({@link org.fusionmpc.api.session.Session#random()}). */
    public static SoftSpokenOtSender setup(org.fusionmpc.api.session.Session session) {
        return setup(session.channel(), session.random().asSecureRandom());
    }

    public static SoftSpokenOtSender setup(Channel channel, SecureRandom random) {
        return setup(channel, random, SoftSpoken.DEFAULT_K);
    }

    /**
     * Runs the 128 base OTs (as their receiver, choosing with the complement of Δ's path bits), rebuilds the
     * punctured trees from the receiver's openings, and returns a sender ready to extend. Both sides pass the
     * same k, one of 1, 2, 4, 8: the receiver then sends 128/k bits per OT.
     */
    public static SoftSpokenOtSender setup(Channel channel, SecureRandom random, int k) {
        Objects.requireNonNull(channel, "channel");
        SoftSpoken.checkK(k);
        ExtensionAgreement.agree(channel, OtExtension.SOFTSPOKEN, new long[] {k}, "SoftSpokenOT with k = " + k);
        return setup(channel, random, k, false);
    }

    /**
     * After the agreement on the extension (the silent one's bootstrap has had its own): with {@code lsbOne}, Δ's
     * lowest bit is 1, so that a COT's choice bit can ride in the lowest bit of its block.
     */
    static SoftSpokenOtSender setup(Channel channel, SecureRandom random, int k, boolean lsbOne) {
        Objects.requireNonNull(channel, "channel");
        SoftSpoken.checkK(k);
        long[] delta = new long[2];
        delta[0] = random.nextLong() | (lsbOne ? 1 : 0);
        delta[1] = random.nextLong();
        long[] seeds = ChouOrlandiBaseOt.receive(channel, SoftSpoken.baseChoices(delta, k), Iknp.KAPPA, random);
        byte[] peerK = new byte[1];
        channel.receive(peerK, 0, 1);
        SoftSpoken.checkPeerK(peerK[0], k);
        long[] openings = new long[SoftSpoken.openingLongs(k)];
        if (openings.length > 0) {
            channel.receive(openings, 0, openings.length);
        }
        long[] leafSeeds = SoftSpoken.puncturedTrees(seeds, delta, k, openings);
        return new SoftSpokenOtSender(channel, k, delta, leafSeeds);
    }

    /**
     * Expands the leaves of each chunk on {@code threads} threads (blocks split between them); the outputs and
     * the wire are the same for any count.
     */
    public SoftSpokenOtSender withThreads(int threads) {
        lanes = new SoftSpoken.LaneBuffers(k, threads);
        return this;
    }

    /** The k of this extension: the receiver sends 128/k bits per OT. */
    public int k() {
        return k;
    }

    @Override
    public long[] delta() {
        return delta.clone();
    }

    @Override
    public void correlated(int n, long[] q) {
        Iknp.checkBlocks("q", q, n);
        for (int done = 0; done < n; done += Iknp.CHUNK) {
            int m = Math.min(Iknp.CHUNK, n - done);
            extend(m);
            System.arraycopy(chunkBlocks, 0, q, 2 * done, 2 * m);
        }
    }

    @Override
    public void random(int n, long[] m0, long[] m1) {
        Iknp.checkBlocks("m0", m0, n);
        Iknp.checkBlocks("m1", m1, n);
        correlated(n, m0);
        tweak = CotDerivation.randomSender(m0, m1, n, delta, this::hash, tweak);
    }

    @Override
    public void chosen(int n, long[] x0, long[] x1, int longsPerMessage) {
        tweak = CotDerivation.chosenSender(this, channel, n, x0, x1, longsPerMessage, 0, this::hash, tweak);
    }

    @Override
    public void chosenBits(int n, long[] x0, long[] x1, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("short messages have 1..64 bits, got " + bits);
        }
        tweak = CotDerivation.chosenSender(this, channel, n, x0, x1, 1, bits, this::hash, tweak);
    }

    /** The derived OTs' hashes, split between this extension's lanes. */
    private void hash(long[] blocks, int n, long from) {
        lanes.hash(blocks, n, from);
    }

    /** One extension chunk of {@code m ≤ CHUNK} correlated OTs into {@code chunkBlocks}. */
    private void extend(int m) {
        int columnsBits = Iknp.padded(m);
        int words = columnsBits >>> 6;
        int blocks = Iknp.KAPPA / k;
        int perBlock = 1 << k;
        // A correction of the wrong size from the receiver is refused here, by the channel's fixed-length receive.
        channel.receive(received, 0, blocks * words);
        // Blocks are independent (their own leaves, rows and corrections): any number of lanes gives the same result.
        Lanes.split(lanes.lanesFor(m), blocks, (from, to, lane) -> {
            long[] laneSlots = lanes.slots[lane];
            for (int b = from; b < to; b++) {
                int point = points[b];
                int firstRow = b * k * words;
                // Slot y holds r_{y ⊕ Δ_b}: slot 0, the punctured leaf, is zero, and the subset sums are then w_b.
                java.util.Arrays.fill(laneSlots, 0, words, 0);
                for (int y = 1; y < perBlock; y++) {
                    leaves.next(b * perBlock + (y ^ point), laneSlots, y * words, words, lanes.scratch[lane]);
                }
                SoftSpoken.subsetSums(laneSlots, k, words, matrix, firstRow);
                for (int y = point, j = 0; y != 0; y >>>= 1, j++) {
                    if ((y & 1) != 0) {
                        int row = firstRow + j * words;
                        int d = b * words;
                        for (int w = 0; w < words; w++) {
                            matrix[row + w] ^= received[d + w];
                        }
                    }
                }
            }
        });
        lanes.transpose(matrix, columnsBits, chunkBlocks, m);
    }

    @Override
    public void additive(int n, long[] correlation, long[] x, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("ring elements have 1..64 bits, got " + bits);
        }
        tweak = CotDerivation.additiveSender(this, channel, n, correlation, x, bits, this::hash, tweak);
    }
}
