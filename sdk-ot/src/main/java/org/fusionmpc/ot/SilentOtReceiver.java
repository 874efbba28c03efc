package org.fusionmpc.ot;

import java.security.SecureRandom;
import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.FixedKeyAesHash;

/** The receiver of the silent OT extension; mirrors {@link SilentOtSender} call by call. */
public final class SilentOtReceiver implements OtReceiver {

    private final Channel channel;
    private final FerretParams params;
    private final byte[] codeSeed;
    private Ferret.Workers workers = new Ferret.Workers(1);
    private final CotDerivation.Hasher hash = CotDerivation.Hasher.of(new FixedKeyAesHash());
    private final FerretStream stream;
    private Ferret.Receiver round;

    private SilentOtReceiver(Channel channel, FerretParams params, byte[] codeSeed, long[] bootstrap) {
        this.channel = channel;
        this.params = params;
        this.codeSeed = codeSeed;
        this.stream = new FerretStream(params, new FerretStream.Side() {
            @Override
            public void begin(Ferret.Shape shape, long[] input, long index, long tweak) {
                round = new Ferret.Receiver(SilentOtReceiver.this.channel, shape, input, SilentOtReceiver.this.codeSeed, index, tweak,
                        workers);
            }

            @Override
            public void produce(int firstTree, int trees, long[] out) {
                round.produce(firstTree, trees, out);
            }
        }, bootstrap);
    }

    public static SilentOtReceiver setup(Channel channel, SecureRandom random) {
        return setup(channel, random, FerretParams.REGULAR_2024);
    }

    public static SilentOtReceiver setup(Channel channel, SecureRandom random, FerretParams params) {
        Objects.requireNonNull(channel, "channel");
        SilentOt.agree(channel, params);
        SoftSpokenOtReceiver base = SoftSpokenOtReceiver.setupAgreed(channel, random, SoftSpoken.DEFAULT_K);
        byte[] codeSeed = new byte[16];
        channel.receive(codeSeed, 0, 16);
        Ferret.Shape pre = SilentOt.bootstrapShape(params);
        long[] bootChoices = new long[Bits.words(pre.reserve())];
        for (int i = 0; i < bootChoices.length; i++) {
            bootChoices[i] = random.nextLong();
        }
        long[] boot = new long[2 * pre.reserve()];
        base.correlated(pre.reserve(), bootChoices, boot);
        for (int i = 0; i < pre.reserve(); i++) {
            boot[2 * i] = (boot[2 * i] & ~1L) | (bootChoices[i >>> 6] >>> i & 1); // the sender cleared its lowest bits
        }
        SilentOtReceiver r = new SilentOtReceiver(channel, params, codeSeed, boot);
        r.stream.start();
        return r;
    }

    public SilentOtReceiver withThreads(int threads) {
        SoftSpoken.checkThreads(threads);
        workers = new Ferret.Workers(threads);
        return this;
    }

    public FerretParams params() {
        return params;
    }

    /** Writes n COTs t_i = q_i ⊕ r_i·Δ to {@code t} and their random choices r_i to {@code choicesOut} (packed). */
    public void correlatedRandomChoices(int n, long[] choicesOut, long[] t) {
        Iknp.checkBlocks("t", t, n);
        Iknp.checkChoices(choicesOut, n);
        stream.take(n, t, 0);
        java.util.Arrays.fill(choicesOut, 0, Bits.words(n), 0L);
        for (int i = 0; i < n; i++) {
            choicesOut[i >>> 6] |= (t[2 * i] & 1) << i;
        }
    }

    /** Mirrors {@link SilentOtSender#randomWithRandomChoices}: m_{r_i} to {@code m}, r_i to {@code choicesOut}. */
    @Override
    public void randomWithRandomChoices(int n, long[] choicesOut, long[] m) {
        correlatedRandomChoices(n, choicesOut, m);
        stream.tweak = CotDerivation.randomReceiver(m, n, hash, stream.tweak);
    }

    @Override
    public void correlated(int n, long[] choices, long[] t) {
        Iknp.checkChoices(choices, n);
        long[] flips = new long[Bits.words(n)];
        correlatedRandomChoices(n, flips, t);
        // The sender shifts by Δ wherever the chosen bit differs from the random one.
        for (int w = 0; w < flips.length; w++) {
            flips[w] ^= choices[w];
        }
        if (n > 0) {
            flips[flips.length - 1] &= Bits.tailMask(n);
            channel.send(flips);
            channel.flush();
        }
    }

    @Override
    public void random(int n, long[] choices, long[] m) {
        Iknp.checkBlocks("m", m, n);
        correlated(n, choices, m);
        stream.tweak = CotDerivation.randomReceiver(m, n, hash, stream.tweak);
    }

    @Override
    public void chosen(int n, long[] choices, long[] out, int longsPerMessage) {
        stream.tweak = CotDerivation.chosenReceiver(this, channel, n, choices, out, longsPerMessage, 0, hash, stream.tweak);
    }

    @Override
    public void chosenBits(int n, long[] choices, long[] out, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("short messages have 1..64 bits, got " + bits);
        }
        stream.tweak = CotDerivation.chosenReceiver(this, channel, n, choices, out, 1, bits, hash, stream.tweak);
    }

    @Override
    public void additive(int n, long[] choices, long[] out, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("ring elements have 1..64 bits, got " + bits);
        }
        stream.tweak = CotDerivation.additiveReceiver(this, channel, n, choices, out, bits, hash, stream.tweak);
    }
}
