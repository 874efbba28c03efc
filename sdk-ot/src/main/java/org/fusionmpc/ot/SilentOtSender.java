package org.fusionmpc.ot;

import java.security.SecureRandom;
import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.FixedKeyAesHash;
import org.fusionmpc.api.random.Prg;

/**
 * The sender of a silent OT extension: Ferret (Yang, Weng, Lan, Zhang, Wang, CCS 2020), semi-honest, primal LPN with
 * regular noise ({@link FerretParams}). Setup bootstraps from SoftSpokenOT (this side its sender, so both share Δ);
 * after that each round of about 10^7 correlated OTs costs one message of T·(2H + 1) blocks from this side, about
 * 0.45 bits per OT, and keeps K + T·H of its outputs as the next round's input.
 *
 * <p>{@link #correlatedRandomChoices} hands out those COTs as they come, the receiver's choices random: nothing more
 * is sent. The {@link OtSender} methods, where the receiver chooses, cost it one bit per OT more (it sends its
 * choices XOR the random ones, and this side shifts by Δ where they differ); random and chosen-message OTs are then
 * derived from the correlated ones by {@link CotDerivation}, as for any COT extension.
 */
public final class SilentOtSender implements OtSender {

    private final Channel channel;
    private final FerretParams params;
    private final long[] delta;
    private final byte[] codeSeed;
    private final Prg prg;
    private Ferret.Workers workers = new Ferret.Workers(1);
    private final CotDerivation.Hasher hash = CotDerivation.Hasher.of(new FixedKeyAesHash());
    private final FerretStream stream;
    private Ferret.Sender round;

    private SilentOtSender(Channel channel, FerretParams params, long[] delta, byte[] codeSeed, Prg prg, long[] bootstrap) {
        this.channel = channel;
        this.params = params;
        this.delta = delta;
        this.codeSeed = codeSeed;
        this.prg = prg;
        this.stream = new FerretStream(params, new FerretStream.Side() {
            @Override
            public void begin(Ferret.Shape shape, long[] input, long index, long tweak) {
                long[] roots = new long[2 * shape.t()];
                SilentOtSender.this.prg.nextLongs(roots);
                round = new Ferret.Sender(SilentOtSender.this.channel, shape, input, SilentOtSender.this.delta, roots,
                        SilentOtSender.this.codeSeed, index, tweak, workers);
            }

            @Override
            public void produce(int firstTree, int trees, long[] out) {
                round.produce(firstTree, trees, out);
            }
        }, bootstrap);
    }

    /** Bootstraps with the default parameter set, {@link FerretParams#REGULAR_2024}. */
    public static SilentOtSender setup(Channel channel, SecureRandom random) {
        return setup(channel, random, FerretParams.REGULAR_2024);
    }

    /**
     * Agrees on {@code params} with the receiver (a peer with another set is refused at once), runs SoftSpokenOT for
     * the bootstrap round's COTs and starts the bootstrap round. The receiver calls {@link SilentOtReceiver#setup}.
     */
    public static SilentOtSender setup(Channel channel, SecureRandom random, FerretParams params) {
        Objects.requireNonNull(channel, "channel");
        SilentOt.agree(channel, params);
        SoftSpokenOtSender base = SoftSpokenOtSender.setup(channel, random, SoftSpoken.DEFAULT_K, true);
        byte[] codeSeed = new byte[16];
        random.nextBytes(codeSeed);
        channel.send(codeSeed);
        byte[] prgSeed = new byte[16];
        random.nextBytes(prgSeed);
        Ferret.Shape pre = SilentOt.bootstrapShape(params);
        long[] boot = new long[2 * pre.reserve()];
        base.correlated(pre.reserve(), boot);
        for (int i = 0; i < boot.length; i += 2) {
            boot[i] &= ~1L; // Δ's lowest bit is 1: the receiver's lowest bit is then its choice
        }
        SilentOtSender s = new SilentOtSender(channel, params, base.delta(), codeSeed, new Prg(prgSeed), boot);
        s.stream.start();
        return s;
    }

    /** Expands GGM trees and encodes on {@code threads} threads; the outputs and the wire are the same for any count. */
    public SilentOtSender withThreads(int threads) {
        SoftSpoken.checkThreads(threads);
        workers = new Ferret.Workers(threads);
        return this;
    }

    public FerretParams params() {
        return params;
    }

    @Override
    public long[] delta() {
        return delta.clone();
    }

    /**
     * Writes n COTs q_i to {@code q} (blocks); the receiver gets q_i ⊕ r_i·Δ for random r_i it learns. Sends nothing
     * but the rounds' messages.
     */
    public void correlatedRandomChoices(int n, long[] q) {
        Iknp.checkBlocks("q", q, n);
        stream.take(n, q, 0);
    }

    /**
     * Random OT with the receiver's choices random (what a silent extension makes for free): two random blocks per
     * OT, H(q_i) and H(q_i ⊕ Δ); the receiver learns one of them and which. Sends nothing but the rounds' messages.
     */
    @Override
    public void randomWithRandomChoices(int n, long[] m0, long[] m1) {
        Iknp.checkBlocks("m1", m1, n);
        correlatedRandomChoices(n, m0);
        stream.tweak = CotDerivation.randomSender(m0, m1, n, delta, hash, stream.tweak);
    }

    @Override
    public void correlated(int n, long[] q) {
        correlatedRandomChoices(n, q);
        long[] flips = new long[Bits.words(n)];
        if (n > 0) {
            channel.receive(flips, 0, flips.length);
        }
        for (int i = 0; i < n; i++) {
            if ((flips[i >>> 6] >>> i & 1) != 0) {
                q[2 * i] ^= delta[0];
                q[2 * i + 1] ^= delta[1];
            }
        }
    }

    @Override
    public void random(int n, long[] m0, long[] m1) {
        Iknp.checkBlocks("m0", m0, n);
        Iknp.checkBlocks("m1", m1, n);
        correlated(n, m0);
        stream.tweak = CotDerivation.randomSender(m0, m1, n, delta, hash, stream.tweak);
    }

    @Override
    public void chosen(int n, long[] x0, long[] x1, int longsPerMessage) {
        stream.tweak = CotDerivation.chosenSender(this, channel, n, x0, x1, longsPerMessage, 0, hash, stream.tweak);
    }

    @Override
    public void chosenBits(int n, long[] x0, long[] x1, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("short messages have 1..64 bits, got " + bits);
        }
        stream.tweak = CotDerivation.chosenSender(this, channel, n, x0, x1, 1, bits, hash, stream.tweak);
    }

    @Override
    public void additive(int n, long[] correlation, long[] x, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("ring elements have 1..64 bits, got " + bits);
        }
        stream.tweak = CotDerivation.additiveSender(this, channel, n, correlation, x, bits, hash, stream.tweak);
    }
}
