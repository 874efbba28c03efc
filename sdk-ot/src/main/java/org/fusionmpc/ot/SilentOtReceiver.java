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
    private final FixedKeyAesHash hash = new FixedKeyAesHash();
    private final long[] reserve;
    private long[] buffer;
    private int position;
    private int limit;
    private long round;
    private long tweak;

    private SilentOtReceiver(Channel channel, FerretParams params, byte[] codeSeed) {
        this.channel = channel;
        this.params = params;
        this.codeSeed = codeSeed;
        this.reserve = new long[2 * params.reserve()];
    }

    public static SilentOtReceiver setup(Channel channel, SecureRandom random) {
        return setup(channel, random, FerretParams.REGULAR_2024);
    }

    public static SilentOtReceiver setup(Channel channel, SecureRandom random, FerretParams params) {
        Objects.requireNonNull(channel, "channel");
        SilentOt.agree(channel, params);
        SoftSpokenOtReceiver base = SoftSpokenOtReceiver.setup(channel, random);
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
        SilentOtReceiver r = new SilentOtReceiver(channel, params, codeSeed);
        long[] out = new long[2 * pre.n()];
        r.runRound(pre, boot, out);
        System.arraycopy(out, 0, r.reserve, 0, r.reserve.length);
        r.buffer = out;
        r.position = params.reserve();
        r.limit = pre.n();
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
        java.util.Arrays.fill(choicesOut, 0, Bits.words(n), 0L);
        int done = 0;
        while (done < n) {
            if (position == limit) {
                nextRound();
            }
            int m = Math.min(n - done, limit - position);
            System.arraycopy(buffer, 2 * position, t, 2 * done, 2 * m);
            for (int i = 0; i < m; i++) {
                int o = done + i;
                choicesOut[o >>> 6] |= (t[2 * o] & 1) << o;
            }
            position += m;
            done += m;
        }
    }

    /** Mirrors {@link SilentOtSender#randomWithRandomChoices}: m_{r_i} to {@code m}, r_i to {@code choicesOut}. */
    public void randomWithRandomChoices(int n, long[] choicesOut, long[] m) {
        correlatedRandomChoices(n, choicesOut, m);
        tweak = CotDerivation.randomReceiver(m, n, hash, tweak);
    }

    @Override
    public void correlated(int n, long[] choices, long[] t) {
        Iknp.checkChoices(choices, n);
        long[] random = new long[Bits.words(n)];
        correlatedRandomChoices(n, random, t);
        // The sender shifts by Δ wherever the chosen bit differs from the random one.
        for (int w = 0; w < random.length; w++) {
            random[w] ^= choices[w];
        }
        if (n > 0) {
            random[random.length - 1] &= Bits.tailMask(n);
            channel.send(random);
            channel.flush();
        }
    }

    @Override
    public void random(int n, long[] choices, long[] m) {
        Iknp.checkBlocks("m", m, n);
        correlated(n, choices, m);
        tweak = CotDerivation.randomReceiver(m, n, hash, tweak);
    }

    @Override
    public void chosen(int n, long[] choices, long[] out, int longsPerMessage) {
        tweak = CotDerivation.chosenReceiver(this, channel, n, choices, out, longsPerMessage, 0, hash, tweak);
    }

    @Override
    public void chosenBits(int n, long[] choices, long[] out, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("short messages have 1..64 bits, got " + bits);
        }
        tweak = CotDerivation.chosenReceiver(this, channel, n, choices, out, 1, bits, hash, tweak);
    }

    private void nextRound() {
        Ferret.Shape main = SilentOt.mainShape(params);
        if (buffer.length < 2 * main.n()) {
            buffer = new long[2 * main.n()];
        }
        runRound(main, reserve, buffer);
        System.arraycopy(buffer, 0, reserve, 0, reserve.length);
        position = params.reserve();
        limit = main.n();
    }

    private void runRound(Ferret.Shape shape, long[] input, long[] out) {
        Ferret.receive(channel, shape, input, codeSeed, round++, tweak, out, workers);
        tweak += (long) shape.t() * shape.h();
    }
}
