package org.fusionmpc.gc;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.Bits;
import org.fusionmpc.ot.SoftSpokenOtReceiver;
import org.fusionmpc.ot.SoftSpokenOtSender;
import org.fusionmpc.ot.OtReceiver;
import org.fusionmpc.ot.OtSender;

/**
 * {@link ComparisonEngine} by garbled circuits: the server garbles {@link ShareCircuits}, the client
 * evaluates, its input labels arrive by chosen-message OT (SoftSpokenOT extension). One call runs all elements as SIMD
 * instances of one circuit. Semi-honest security; the server's fresh share is a PRG mask it chose, the
 * client's is what it decodes.
 */
public final class GcComparisons implements ComparisonEngine {

    private final GarblerParty garbler;
    private final EvaluatorParty evaluator;
    private final Prg prg;
    private final Map<String, Circuit> circuits = new HashMap<>();

    private GcComparisons(GarblerParty garbler, EvaluatorParty evaluator, Prg prg) {
        this.garbler = garbler;
        this.evaluator = evaluator;
        this.prg = prg;
    }

    /** The server (garbler) side, on an OT sender already set up with the client on this channel. */
    public static GcComparisons server(Channel channel, OtSender ot, Prg prg) {
        return new GcComparisons(new GarblerParty(channel, ot, prg), null, Objects.requireNonNull(prg, "prg"));
    }

    /** The client (evaluator) side, on an OT receiver already set up with the server on this channel. */
    public static GcComparisons client(Channel channel, OtReceiver ot) {
        return new GcComparisons(null, new EvaluatorParty(channel, ot), null);
    }

    /** The server side on a session: its channel, and its randomness for the OT setup and the output masks. */
    public static GcComparisons server(org.fusionmpc.api.session.Session session) {
        return server(session.channel(), SoftSpokenOtSender.setup(session), session.random());
    }

    /** The client side on a session. */
    public static GcComparisons client(org.fusionmpc.api.session.Session session) {
        return client(session.channel(), SoftSpokenOtReceiver.setup(session));
    }

    /** The server side with its own OT-extension setup (base OTs) on {@code channel}. */
    public static GcComparisons server(Channel channel) {
        SecureRandom random = new SecureRandom();
        return server(channel, SoftSpokenOtSender.setup(channel, random), Prg.fromSecureRandom());
    }

    /** The client side with its own OT-extension setup (base OTs) on {@code channel}. */
    public static GcComparisons client(Channel channel) {
        return client(channel, SoftSpokenOtReceiver.setup(channel, new SecureRandom()));
    }

    @Override
    public boolean isServer() {
        return garbler != null;
    }

    @Override
    public long[] drelu(long[] share, int bits) {
        ShareCircuits.checkBits(bits);
        Circuit c = circuits.computeIfAbsent("drelu" + bits, k -> ShareCircuits.drelu(bits));
        int n = share.length;
        if (isServer()) {
            long[] r = new long[Bits.words(n)];
            prg.nextLongs(r);
            long[] mine = new long[n];
            long[] packed = new long[Bits.words(n * (bits + 1))];
            for (int i = 0; i < n; i++) {
                put(packed, i * (bits + 1), share[i], bits);
                mine[i] = Bits.get(r, i) ? 1 : 0;
                put(packed, i * (bits + 1) + bits, mine[i], 1);
            }
            garbler.run(c, n, packed);
            return mine;
        }
        long[] out = evaluator.run(c, n, pack(share, 1, bits, null));
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = Bits.get(out, i) ? 1 : 0;
        }
        return y;
    }

    @Override
    public long[] bitsToArithmetic(long[] bitShares, int bits) {
        ShareCircuits.checkBits(bits);
        Circuit c = circuits.computeIfAbsent("b2a" + bits, k -> ShareCircuits.bitToArithmetic(bits));
        int n = bitShares.length;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        if (isServer()) {
            long[] r = new long[n];
            prg.nextLongs(r);
            long[] packed = new long[Bits.words(n * (bits + 1))];
            for (int i = 0; i < n; i++) {
                r[i] &= mask;
                put(packed, i * (bits + 1), bitShares[i] & 1, 1);
                put(packed, i * (bits + 1) + 1, r[i], bits);
            }
            garbler.run(c, n, packed);
            return r;
        }
        long[] out = evaluator.run(c, n, pack(bitShares, 1, 1, null));
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = unpack(out, i * bits, bits);
        }
        return y;
    }

    @Override
    public long[] relu(long[] share, int bits, int shift) {
        Circuit c = circuits.computeIfAbsent("relu" + bits + ">>" + shift, k -> ShareCircuits.relu(bits, shift));
        return masked(c, share, 1, bits);
    }

    @Override
    public long[] truncate(long[] share, int bits, int shift) {
        Circuit c = circuits.computeIfAbsent("trunc" + bits + ">>" + shift, k -> ShareCircuits.truncate(bits, shift));
        return masked(c, share, 1, bits);
    }

    @Override
    public long[] maxPool(long[] share, int window, int bits, int shift) {
        ShareCircuits.checkWindow(window);
        if (share.length % window != 0) {
            throw new IllegalArgumentException(share.length + " values do not split into windows of " + window);
        }
        Circuit c = circuits.computeIfAbsent("max" + bits + "x" + window + ">>" + shift, k -> ShareCircuits.max(bits, window, shift));
        return masked(c, share, window, bits);
    }

    @Override
    public int[] argmax(long[] share, int groupSize, int bits) {
        ShareCircuits.checkWindow(groupSize);
        if (share.length % groupSize != 0) {
            throw new IllegalArgumentException(share.length + " values do not split into groups of " + groupSize);
        }
        Circuit c = circuits.computeIfAbsent("argmax" + bits + "x" + groupSize, k -> ShareCircuits.argmax(bits, groupSize));
        int n = share.length / groupSize;
        int[] result = new int[n];
        if (isServer()) {
            garbler.run(c, n, pack(share, groupSize, bits, null));
            java.util.Arrays.fill(result, -1);
            return result;
        }
        long[] out = evaluator.run(c, n, pack(share, groupSize, bits, null));
        int w = c.outputCount();
        for (int i = 0; i < n; i++) {
            result[i] = (int) unpack(out, i * w, w);
        }
        return result;
    }

    /** Runs a circuit whose result the server masks with fresh r: server gets r, client gets result - r. */
    private long[] masked(Circuit c, long[] share, int group, int bits) {
        ShareCircuits.checkBits(bits);
        int n = share.length / group;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        if (isServer()) {
            long[] r = new long[n];
            prg.nextLongs(r);
            for (int i = 0; i < n; i++) {
                r[i] &= mask;
            }
            garbler.run(c, n, pack(share, group, bits, r));
            return r;
        }
        long[] out = evaluator.run(c, n, pack(share, group, bits, null));
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = unpack(out, i * bits, bits);
        }
        return y;
    }

    /** Instance i: its {@code group} values of {@code bits} bits, then r_i if given. */
    private static long[] pack(long[] values, int group, int bits, long[] r) {
        int n = values.length / group;
        int per = (group + (r == null ? 0 : 1)) * bits;
        long[] packed = new long[Bits.words(n * per)];
        for (int i = 0; i < n; i++) {
            int at = i * per;
            for (int j = 0; j < group; j++, at += bits) {
                put(packed, at, values[i * group + j], bits);
            }
            if (r != null) {
                put(packed, at, r[i], bits);
            }
        }
        return packed;
    }

    private static void put(long[] packed, int at, long v, int bits) {
        for (int k = 0; k < bits; k++) {
            Bits.set(packed, at + k, (v >>> k & 1) != 0);
        }
    }

    private static long unpack(long[] packed, int at, int bits) {
        long v = 0;
        for (int k = 0; k < bits; k++) {
            v |= (Bits.get(packed, at + k) ? 1L : 0L) << k;
        }
        return v;
    }
}
