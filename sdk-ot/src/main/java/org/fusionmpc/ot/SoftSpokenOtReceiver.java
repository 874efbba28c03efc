package org.fusionmpc.ot;

import java.security.SecureRandom;
import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.concurrent.Lanes;
import org.fusionmpc.api.random.Blocks;
import org.fusionmpc.api.random.Prg;

/**
 * The receiver of SoftSpokenOT; see {@link SoftSpokenOtSender} for the protocol. This side is the base OTs'
 * sender and holds every leaf of every block's tree, so per chunk it sends one correction d_b of m bits per
 * block, 128/k bits per OT in all. Its choice vector is padded to a whole number of 128-bit blocks with random
 * bits from its own PRG, so the padding reveals nothing.
 */
public final class SoftSpokenOtReceiver implements OtReceiver {

    private final Channel channel;
    private final int k;
    private final SoftSpoken.LeafStreams leaves;
    private final Prg padding;
    private final long[] matrix = new long[Iknp.KAPPA * Iknp.CHUNK / 64];
    private final long[] corrections;
    private SoftSpoken.LaneBuffers lanes;
    private final long[] r = new long[Iknp.CHUNK / 64];
    private final long[] chunkBlocks = Blocks.allocate(Iknp.CHUNK);
    private long tweak;

    private SoftSpokenOtReceiver(Channel channel, int k, long[] leafSeeds, Prg padding) {
        this.channel = channel;
        this.k = k;
        this.padding = padding;
        this.leaves = new SoftSpoken.LeafStreams(leafSeeds, k, null);
        this.corrections = new long[Iknp.KAPPA / k * Iknp.CHUNK / 64];
        this.lanes = new SoftSpoken.LaneBuffers(k, 1);
    }

    /** Runs the base OTs with the default k ({@value SoftSpoken#DEFAULT_K}) and returns a receiver ready to extend. */
    /** Setup on a session's channel, with the session's randomness ({@link org.fusionmpc.api.session.Session#random()}). */
    public static SoftSpokenOtReceiver setup(org.fusionmpc.api.session.Session session) {
        return setup(session.channel(), session.random().asSecureRandom());
    }

    public static SoftSpokenOtReceiver setup(Channel channel, SecureRandom random) {
        return setup(channel, random, SoftSpoken.DEFAULT_K);
    }

    /** Runs the 128 base OTs (as their sender), opens the seed trees, and returns a receiver ready to extend. */
    public static SoftSpokenOtReceiver setup(Channel channel, SecureRandom random, int k) {
        Objects.requireNonNull(channel, "channel");
        SoftSpoken.checkK(k);
        ExtensionAgreement.agree(channel, OtExtension.SOFTSPOKEN, new long[] {k}, "SoftSpokenOT with k = " + k);
        return setupAgreed(channel, random, k);
    }

    /** {@link #setup} after the agreement on the extension (the silent one's bootstrap has had its own). */
    static SoftSpokenOtReceiver setupAgreed(Channel channel, SecureRandom random, int k) {
        long[] pairs = ChouOrlandiBaseOt.send(channel, Iknp.KAPPA, random);
        long[] openings = new long[SoftSpoken.openingLongs(k)];
        long[] leafSeeds = SoftSpoken.fullTrees(pairs, k, openings);
        channel.send(new byte[] {(byte) k});
        if (openings.length > 0) {
            channel.send(openings);
        }
        channel.flush();
        byte[] paddingSeed = new byte[Prg.SEED_BYTES];
        random.nextBytes(paddingSeed);
        return new SoftSpokenOtReceiver(channel, k, leafSeeds, new Prg(paddingSeed));
    }

    /**
     * Expands the leaves of each chunk on {@code threads} threads (blocks split between them); the outputs and
     * the wire are the same for any count.
     */
    public SoftSpokenOtReceiver withThreads(int threads) {
        lanes = new SoftSpoken.LaneBuffers(k, threads);
        return this;
    }

    /** The k of this extension: this side sends 128/k bits per OT. */
    public int k() {
        return k;
    }

    @Override
    public void correlated(int n, long[] choices, long[] t) {
        Iknp.checkBlocks("t", t, n);
        Iknp.checkChoices(choices, n);
        for (int done = 0; done < n; done += Iknp.CHUNK) {
            int m = Math.min(Iknp.CHUNK, n - done);
            extend(m, choices, done);
            System.arraycopy(chunkBlocks, 0, t, 2 * done, 2 * m);
        }
        channel.flush();
    }

    @Override
    public void random(int n, long[] choices, long[] m) {
        correlated(n, choices, m);
        tweak = CotDerivation.randomReceiver(m, n, this::hash, tweak);
    }

    @Override
    public void chosen(int n, long[] choices, long[] out, int longsPerMessage) {
        tweak = CotDerivation.chosenReceiver(this, channel, n, choices, out, longsPerMessage, 0, this::hash, tweak);
    }

    @Override
    public void chosenBits(int n, long[] choices, long[] out, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("short messages have 1..64 bits, got " + bits);
        }
        tweak = CotDerivation.chosenReceiver(this, channel, n, choices, out, 1, bits, this::hash, tweak);
    }

    /** The derived OTs' hashes, split between this extension's lanes. */
    private void hash(long[] blocks, int n, long from) {
        lanes.hash(blocks, n, from);
    }

    /** One extension chunk: sends u for choices {@code [from, from + m)} and leaves t_i in {@code chunkBlocks}. */
    private void extend(int m, long[] choices, int from) {
        int columnsBits = Iknp.padded(m);
        int words = columnsBits >>> 6;
        int used = Bits.words(m);
        if ((from & 63) == 0) {
            System.arraycopy(choices, from >>> 6, r, 0, used);
        } else {
            for (int k = 0; k < used; k++) {
                int bit = from + 64 * k;
                long lo = choices[bit >>> 6] >>> (bit & 63);
                long hi = (bit >>> 6) + 1 < choices.length ? choices[(bit >>> 6) + 1] << (64 - (bit & 63)) : 0;
                r[k] = lo | hi;
            }
        }
        // Pad the choices to whole 128-bit blocks with random bits: they are sent masked like real ones.
        long tail = Bits.tailMask(m);
        r[used - 1] = (r[used - 1] & tail) | (padding.nextLong() & ~tail);
        for (int k = used; k < words; k++) {
            r[k] = padding.nextLong();
        }
        int blocks = Iknp.KAPPA / k;
        int perBlock = 1 << k;
        // Blocks are independent (their own leaves, rows and corrections): any number of lanes gives the same result.
        Lanes.split(lanes.lanesFor(m), blocks, (first, end, lane) -> {
            long[] laneSlots = lanes.slots[lane];
            for (int b = first; b < end; b++) {
                for (int x = 0; x < perBlock; x++) {
                    leaves.next(b * perBlock + x, laneSlots, x * words, words, lanes.scratch[lane]);
                }
                SoftSpoken.subsetSums(laneSlots, k, words, matrix, b * k * words);
                // Slot 0 now holds u_b = ⊕_x r_x, which masks the choices.
                int d = b * words;
                for (int w = 0; w < words; w++) {
                    corrections[d + w] = laneSlots[w] ^ r[w];
                }
            }
        });
        channel.send(corrections, 0, blocks * words);
        lanes.transpose(matrix, columnsBits, chunkBlocks, m);
    }

    @Override
    public void additive(int n, long[] choices, long[] out, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("ring elements have 1..64 bits, got " + bits);
        }
        tweak = CotDerivation.additiveReceiver(this, channel, n, choices, out, bits, this::hash, tweak);
    }
}
