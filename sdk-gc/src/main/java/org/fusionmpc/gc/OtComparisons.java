package org.fusionmpc.gc;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.fusionmpc.api.channel.BitPacking;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.concurrent.Lanes;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.Bits;
import org.fusionmpc.ot.SoftSpokenOtReceiver;
import org.fusionmpc.ot.SoftSpokenOtSender;
import org.fusionmpc.ot.OneOfNOt;
import org.fusionmpc.ot.OtReceiver;
import org.fusionmpc.ot.OtSender;

/**
 * {@link ComparisonEngine} by oblivious transfer, after CrypTFlow2 (Rathee et al., CCS 2020): the
 * millionaires' comparison splits each input into m-bit digits ({@link #withDigitBits}; 4 on SoftSpokenOT, 3 on
 * the silent extension), compares every digit with one 1-out-of-2^m OT (the server's messages are the two bits
 * [a_j &lt; v] and [a_j = v], masked; the client picks v = b_j), and folds adjacent digits with
 * lt = lt_hi ⊕ (eq_hi ∧ lt_lo), eq = eq_hi ∧ eq_lo. The ANDs use bit triples made from random OTs with random
 * choices (one each way; Cheetah's use of silent OT): the two that share eq_hi one pair triple and 3 opened bits
 * each way, the last level's single AND 2 bits. ReLU takes the carry of the two low parts (one comparison on ℓ-1
 * bits), so DReLU = 1 ⊕ msb_0 ⊕ msb_1 ⊕ carry, and multiplies it into x with two additively correlated OTs of ℓ
 * bits (one each way).
 *
 * <p>Truncation by 2^f of a value known to lie in [0, 2^(ℓ-1)) (a ReLU's output, or a signed value with
 * |x| &lt; 2^(ℓ-2) offset by 2^(ℓ-2)): with its top bit known to be 0, the wrap of the two shares is
 * msb(y_0) ∨ msb(y_1), whose arithmetic share costs one additively correlated OT; the result is ⌊y/2^f⌋ or one less (the
 * carry of the dropped low bits is not corrected), an error of at most one unit in the last place. A ReLU with
 * truncation truncates x as a signed value first and then selects it by x &gt; 0, so a non-positive input gives
 * exactly 0 rather than a shared 0 truncated to -1.
 *
 * <p>Semi-honest security. The two parties need OT in both directions: the server's OT-extension sender (the same one
 * the garbled-circuit engine uses) and a second extension in which the client sends. Work runs in passes of
 * {@value #CHUNK} values, so memory stays bounded for any batch, and every step of a pass is one round trip
 * whatever its length: each OT call reads all of its peer's corrections before it answers (see {@link OneOfNOt}).
 */
public final class OtComparisons implements ComparisonEngine {

    /** Digit width on SoftSpokenOT, where each of a digit's OTs costs 32 bits: 4 (1-out-of-16). */
    static final int DIGIT_BITS = 4;
    /**
     * Values per pass. Each step of a pass (the digits' OTs, each level of the AND tree, the multiplexer, the
     * truncation) is one round trip however many values it holds, so a layer costs the protocol's depth in rounds
     * per 262,144 values (one pass for every layer of a CIFAR-10 network, four for ResNet-50's largest); memory is
     * {@link #WORKING_BYTES_PER_VALUE} bytes per value of a pass at most, plus the OT extensions' bounded steps.
     */
    static final int CHUNK = 1 << 18;

    /**
     * Heap per value of a pass, generously: the digits' shares and choices (about 28 bytes for each of up to 64
     * digits of a 64-bit value would be more, but ℓ ≤ 41 and 3- or 4-bit digits give at most 14), the AND tree's
     * operands, the multiplexer's and the truncation's messages and the tables waiting to leave.
     */
    public static final long WORKING_BYTES_PER_VALUE = 640;

    /** The most heap this engine's passes hold for a call on {@code values} values (before the OT extensions'). */
    public static long workingBytes(long values) {
        return Math.min(values, CHUNK) * WORKING_BYTES_PER_VALUE;
    }

    private final Channel channel;
    private final boolean server;
    private final OtSender sender;
    private final OtReceiver receiver;
    private OneOfNOt digits;
    private int digitBits = DIGIT_BITS;
    private final Prg prg;
    private int threads = 1;

    private OtComparisons(Channel channel, boolean server, OtSender sender, OtReceiver receiver, Prg prg) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.server = server;
        this.sender = Objects.requireNonNull(sender, "sender");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.digits = OneOfNOt.of(channel, DIGIT_BITS);
        this.prg = Objects.requireNonNull(prg, "prg");
    }

    /** The server's engine: {@code toClient} sends to the client, {@code fromClient} receives from it. */
    public static OtComparisons server(Channel channel, OtSender toClient, OtReceiver fromClient, Prg prg) {
        return new OtComparisons(channel, true, toClient, fromClient, prg);
    }

    /** The client's engine: {@code fromServer} receives from the server, {@code toServer} sends to it. */
    public static OtComparisons client(Channel channel, OtReceiver fromServer, OtSender toServer, Prg prg) {
        return new OtComparisons(channel, false, toServer, fromServer, prg);
    }

    /** The server's engine on a session: both OT-extension directions on its channel, all randomness from the session's. */
    public static OtComparisons server(org.fusionmpc.api.session.Session session) {
        SecureRandom r = session.random().asSecureRandom();
        Channel ch = session.channel();
        return server(ch, SoftSpokenOtSender.setup(ch, r), SoftSpokenOtReceiver.setup(ch, r), session.random());
    }

    /** The client's engine on a session; mirrors {@link #server(org.fusionmpc.api.session.Session)}. */
    public static OtComparisons client(org.fusionmpc.api.session.Session session) {
        SecureRandom r = session.random().asSecureRandom();
        Channel ch = session.channel();
        return client(ch, SoftSpokenOtReceiver.setup(ch, r), SoftSpokenOtSender.setup(ch, r), session.random());
    }

    /** The server's engine with both OT-extension directions set up on {@code channel} (server-sends first). */
    public static OtComparisons server(Channel channel) {
        return server(channel, 1);
    }

    /** The client's engine with both OT-extension directions set up on {@code channel}. */
    public static OtComparisons client(Channel channel) {
        return client(channel, 1);
    }

    /** The server's engine on the given OT extension (SoftSpokenOT's default k), both directions set up on {@code channel}. */
    public static OtComparisons server(Channel channel, int threads, org.fusionmpc.ot.OtExtension ot) {
        SecureRandom r = new SecureRandom();
        OtSender s = ot.sender(channel, r, SoftSpokenOtSender.DEFAULT_K, threads);
        return server(channel, s, ot.receiver(channel, r, SoftSpokenOtSender.DEFAULT_K, threads), Prg.fromSecureRandom())
                .withThreads(threads).withDigitBits(digitBitsFor(ot));
    }

    /** The client's engine on the given OT extension; mirrors {@link #server(Channel, int, org.fusionmpc.ot.OtExtension)}. */
    public static OtComparisons client(Channel channel, int threads, org.fusionmpc.ot.OtExtension ot) {
        SecureRandom r = new SecureRandom();
        OtReceiver s = ot.receiver(channel, r, SoftSpokenOtSender.DEFAULT_K, threads);
        return client(channel, s, ot.sender(channel, r, SoftSpokenOtSender.DEFAULT_K, threads), Prg.fromSecureRandom())
                .withThreads(threads).withDigitBits(digitBitsFor(ot));
    }

    /** {@link #server(Channel)} with this engine and its OT extensions working on {@code threads} threads. */
    public static OtComparisons server(Channel channel, int threads) {
        SecureRandom r = new SecureRandom();
        SoftSpokenOtSender s = SoftSpokenOtSender.setup(channel, r).withThreads(threads);
        return server(channel, s, SoftSpokenOtReceiver.setup(channel, r).withThreads(threads), Prg.fromSecureRandom())
                .withThreads(threads);
    }

    /** {@link #client(Channel)} with this engine and its OT extensions working on {@code threads} threads. */
    public static OtComparisons client(Channel channel, int threads) {
        SecureRandom r = new SecureRandom();
        SoftSpokenOtReceiver s = SoftSpokenOtReceiver.setup(channel, r).withThreads(threads);
        return client(channel, s, SoftSpokenOtSender.setup(channel, r).withThreads(threads), Prg.fromSecureRandom())
                .withThreads(threads);
    }

    /**
     * Splits this engine's CPU work on {@code count} threads: the digit comparisons' messages and the 1-out-of-N
     * OTs' keys, hashes and masks. The OT extensions split their own work by their {@code withThreads}. Each step
     * is split inside itself and its messages leave in the same order, so the wire, the outputs and the
     * peer's view are the same for any count, and the two parties may choose different counts.
     */
    public OtComparisons withThreads(int count) {
        if (count < 1 || count > OneOfNOt.MAX_THREADS) {
            throw new IllegalArgumentException("comparison threads must be 1.." + OneOfNOt.MAX_THREADS + ", got " + count);
        }
        digits.withThreads(count);
        threads = count;
        return this;
    }

    /**
     * The digit width m of the millionaires' comparison: each m-bit digit costs m OTs and 2^m two-bit messages, and a
     * 32-bit comparison needs ⌈32/m⌉ digits and as many ANDs less one. Both parties must use the same m. The best m
     * depends on what an OT costs on the wire: {@link #digitBitsFor}.
     */
    public OtComparisons withDigitBits(int m) {
        if (m < 1 || m > 6) {
            throw new IllegalArgumentException("digits of 1..6 bits, got " + m);
        }
        digits = OneOfNOt.of(channel, m).withThreads(threads);
        digitBits = m;
        return this;
    }

    /**
     * The digit width with the fewest bits per 32-bit comparison for an OT extension, counting the AND tree on
     * triples: 4 on SoftSpokenOT, where every OT costs 32 bits (about 1,770 bits at m = 4, 1,930 at 3, 1,990 at 5);
     * 3 on the silent one, where an OT costs about half a bit plus a bit per chosen choice and the digit tables
     * dominate (about 294 bits at m = 3, 351 at 4; m = 2 would save 5% of the bytes for 20% more OTs and one
     * more round per layer).
     */
    public static int digitBitsFor(org.fusionmpc.ot.OtExtension ot) {
        return ot == org.fusionmpc.ot.OtExtension.SILENT ? 3 : DIGIT_BITS;
    }

    // ---- the engine's operations, chunked ----

    @Override
    public long[] relu(long[] share, int bits, int shift) {
        ShareCircuits.checkBits(bits);
        ShareCircuits.checkShift(bits, shift);
        return chunked(share, bits, x -> {
            if (shift == 0) {
                return mux(drelu1(x, bits), x, bits);
            }
            // Truncate first, then select by x > 0 (x - 1 ≥ 0; the server's share moves by one, locally): a
            // non-positive input gives exactly 0. Selecting first and truncating the shared 0 would read -1 (the
            // uncorrected carry of its low bits), a bias of -2^-f on every non-positive activation.
            // The comparison first, then the truncation's OT sent by whichever party did not send the comparison's
            // last flight, so that its first message rides on that flight and its second on the multiplexer's first.
            long[] below = server ? minusOne(x, bits) : x;
            long[] positive = drelu1(below, bits);
            boolean serverSentLast = foldLevels((bits - 1 + digitBits - 1) / digitBits) % 2 == 0;
            return mux(positive, truncateSigned(x, bits, shift, !serverSentLast), bits);
        });
    }

    private static long[] minusOne(long[] x, int bits) {
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        long[] y = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i] - 1) & m;
        }
        return y;
    }

    @Override
    public long[] truncate(long[] share, int bits, int shift) {
        ShareCircuits.checkBits(bits);
        ShareCircuits.checkShift(bits, shift);
        return chunked(share, bits, x -> truncateSigned(x, bits, shift));
    }

    @Override
    public long[] maxPool(long[] share, int window, int bits, int shift) {
        ShareCircuits.checkBits(bits);
        ShareCircuits.checkWindow(window);
        ShareCircuits.checkShift(bits, shift);
        if (share.length % window != 0) {
            throw new IllegalArgumentException(share.length + " values do not split into windows of " + window);
        }
        int groups = share.length / window;
        int per = Math.max(1, 2 * CHUNK / window); // a pass compares window / 2 pairs per group at most
        long[] out = new long[groups];
        for (int g = 0; g < groups; g += per) {
            int m = Math.min(per, groups - g);
            long[] v = mask(Arrays.copyOfRange(share, g * window, (g + m) * window), bits);
            long[] best = tournament(v, m, window, bits, null)[0];
            if (shift > 0) {
                best = truncateSigned(best, bits, shift);
            }
            System.arraycopy(best, 0, out, g, m);
        }
        return out;
    }

    @Override
    public int[] argmax(long[] share, int groupSize, int bits) {
        ShareCircuits.checkBits(bits);
        ShareCircuits.checkWindow(groupSize);
        if (share.length % groupSize != 0) {
            throw new IllegalArgumentException(share.length + " values do not split into groups of " + groupSize);
        }
        int groups = share.length / groupSize;
        long[] index = new long[share.length];
        if (server) { // the positions are public: the server holds them as its share, the client 0
            for (int i = 0; i < index.length; i++) {
                index[i] = i % groupSize;
            }
        }
        long[] idx = tournament(mask(share.clone(), bits), groups, groupSize, bits, index)[1];
        int[] result = new int[groups];
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        if (server) {
            channel.send(idx);
            channel.flush();
            Arrays.fill(result, -1);
        } else {
            long[] theirs = new long[groups];
            channel.receive(theirs, 0, groups);
            for (int i = 0; i < groups; i++) {
                result[i] = (int) ((idx[i] + theirs[i]) & m);
            }
        }
        return result;
    }

    /**
     * Pairwise rounds over groups of {@code k} consecutive values: the larger of each pair survives (the later
     * one only if strictly larger, so the first maximum wins), with its index when {@code index} is given.
     * Returns {values, indices}.
     */
    private long[][] tournament(long[] v, int groups, int k, int bits, long[] index) {
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        int len = k;
        long[] idx = index;
        while (len > 1) {
            int pairs = len / 2;
            int next = pairs + len % 2;
            long[] diff = new long[groups * pairs];
            long[] strict = new long[groups * pairs];
            for (int g = 0; g < groups; g++) {
                for (int p = 0; p < pairs; p++) {
                    long a = v[g * len + 2 * p];
                    long b = v[g * len + 2 * p + 1];
                    diff[g * pairs + p] = (b - a) & m;
                    strict[g * pairs + p] = (b - a - (server ? 1 : 0)) & m; // b - a - 1 ≥ 0 iff b > a
                }
            }
            long[] takeB = drelu1(idx == null ? diff : strict, bits);
            long[] both = diff;
            if (idx != null) {
                both = new long[2 * diff.length];
                System.arraycopy(diff, 0, both, 0, diff.length);
                for (int g = 0; g < groups; g++) {
                    for (int p = 0; p < pairs; p++) {
                        both[diff.length + g * pairs + p] = (idx[g * len + 2 * p + 1] - idx[g * len + 2 * p]) & m;
                    }
                }
                long[] twice = new long[2 * takeB.length];
                System.arraycopy(takeB, 0, twice, 0, takeB.length);
                System.arraycopy(takeB, 0, twice, takeB.length, takeB.length);
                takeB = twice;
            }
            long[] delta = mux(takeB, both, bits);
            long[] nv = new long[groups * next];
            long[] ni = idx == null ? null : new long[groups * next];
            for (int g = 0; g < groups; g++) {
                for (int p = 0; p < pairs; p++) {
                    nv[g * next + p] = (v[g * len + 2 * p] + delta[g * pairs + p]) & m;
                    if (ni != null) {
                        ni[g * next + p] = (idx[g * len + 2 * p] + delta[diff.length + g * pairs + p]) & m;
                    }
                }
                if (len % 2 == 1) {
                    nv[g * next + pairs] = v[g * len + len - 1];
                    if (ni != null) {
                        ni[g * next + pairs] = idx[g * len + len - 1];
                    }
                }
            }
            v = nv;
            idx = ni;
            len = next;
        }
        return new long[][] {v, idx};
    }

    // ---- building blocks ----

    @Override
    public boolean isServer() {
        return server;
    }

    @Override
    public long[] drelu(long[] share, int bits) {
        ShareCircuits.checkBits(bits);
        return chunked(share, bits, x -> drelu1(x, bits));
    }

    /** B2A with the multiplexer: shares of d·1, the server holding 1 and the client 0 as the shares of the constant. */
    @Override
    public long[] bitsToArithmetic(long[] bitShares, int bits) {
        ShareCircuits.checkBits(bits);
        return chunked(bitShares, bits, shares -> {
            long[] d = new long[shares.length];
            long[] one = new long[shares.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = shares[i] & 1;
                one[i] = server ? 1 : 0;
            }
            return mux(d, one, bits);
        });
    }

    /** XOR shares (0/1) of [x ≥ 0] for signed ℓ-bit x, one chunk. */
    private long[] drelu1(long[] x, int bits) {
        long lowMask = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long[] in = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            long low = x[i] & lowMask;
            in[i] = server ? lowMask - low : low; // carry of the low parts = [lowMask - low_0 < low_1]
        }
        long[] carry = lessThanChunk(in, bits - 1); // x is one chunk already
        long[] d = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            long msb = (x[i] >>> (bits - 1)) & 1;
            d[i] = (server ? 1 : 0) ^ msb ^ carry[i];
        }
        return d;
    }

    /**
     * The millionaires' comparison: XOR shares of [a &lt; b] where the server inputs a and the client b, each of
     * {@code bits} bits (unsigned; higher bits are ignored). Any number of values, in chunks.
     */
    public long[] lessThan(long[] mine, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("the millionaires' comparison takes 1..64-bit inputs, got " + bits);
        }
        return chunked(mine, bits, v -> lessThanChunk(v, bits));
    }

    private long[] lessThanChunk(long[] mine, int bits) {
        int m = digitBits;
        int values = 1 << m;
        long digitMask = values - 1;
        int q = (bits + m - 1) / m;
        int n = mine.length;
        long[] lt = new long[n * q];
        long[] eq = new long[n * q];
        Triples triples = new Triples(n * foldAnds(q));
        if (server) {
            triplesAsSender(triples); // rides on the client's flight into the digits' OTs
            long[] masks = new long[Bits.words(2 * n * q)];
            prg.nextLongs(masks);
            for (int t = 0; t < n * q; t++) {
                lt[t] = Bits.get(masks, 2 * t) ? 1 : 0;
                eq[t] = Bits.get(masks, 2 * t + 1) ? 1 : 0;
            }
            long[] lt0 = lt;
            long[] eq0 = eq;
            // The tables are made a step of transfers at a time (transfer t is digit t % q of value t / q).
            digits.sendBits(sender, n * q, (first, count, out) -> Lanes.split(count >= 1024 ? threads : 1, count, (from, to, lane) -> {
                for (int k = from; k < to; k++) {
                    int t = first + k;
                    int digit = (int) ((mine[t / q] >>> (m * (t % q))) & digitMask);
                    long l = lt0[t];
                    long e = eq0[t] << 1;
                    int at = k * values;
                    for (int v = 0; v < values; v++) {
                        out[at + v] = ((digit < v ? 1 : 0) ^ l) | (((digit == v ? 1 : 0) << 1) ^ e);
                    }
                }
            }), 2);
            triplesAsReceiver(triples); // rides on the tables' flight
        } else {
            int[] choices = new int[n * q];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < q; j++) {
                    choices[i * q + j] = (int) ((mine[i] >>> (m * j)) & digitMask);
                }
            }
            long[] got = new long[n * q];
            triplesAsReceiver(triples);
            digits.receiveBits(receiver, n * q, choices, got, 2);
            triplesAsSender(triples);
            for (int t = 0; t < n * q; t++) {
                lt[t] = got[t] & 1;
                eq[t] = got[t] >>> 1;
            }
        }
        triples.finish();
        // Fold adjacent digits (low index = low digit) until one remains per value.
        int len = q;
        int level = 0;
        while (len > 1) {
            int pairs = len / 2;
            int next = pairs + len % 2;
            boolean needEq = next > 1;
            long[] x = new long[n * pairs * (needEq ? 2 : 1)];
            long[] y = new long[x.length];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < pairs; p++) {
                    int hi = i * len + 2 * p + 1;
                    int lo = i * len + 2 * p;
                    x[i * pairs + p] = eq[hi];
                    y[i * pairs + p] = lt[lo];
                    if (needEq) {
                        x[n * pairs + i * pairs + p] = eq[hi];
                        y[n * pairs + i * pairs + p] = eq[lo];
                    }
                }
            }
            long[] z = needEq ? andPair(x, y, n * pairs, triples, level) : andOne(x, y, triples, level);
            level++;
            long[] nlt = new long[n * next];
            long[] neq = new long[n * next];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < pairs; p++) {
                    nlt[i * next + p] = lt[i * len + 2 * p + 1] ^ z[i * pairs + p];
                    if (needEq) {
                        neq[i * next + p] = z[n * pairs + i * pairs + p];
                    }
                }
                if (len % 2 == 1) {
                    nlt[i * next + pairs] = lt[i * len + len - 1];
                    neq[i * next + pairs] = eq[i * len + len - 1];
                }
            }
            lt = nlt;
            eq = neq;
            len = next;
        }
        return lt;
    }

    /** Triples per value in the fold of q digits: one per pair of each level (a pair triple serves both of its ANDs). */
    static int foldAnds(int q) {
        int ands = 0;
        for (int len = q; len > 1; ) {
            int pairs = len / 2;
            int next = pairs + len % 2;
            ands += pairs;
            len = next;
        }
        return ands;
    }

    /** Levels of the fold of q digits. */
    static int foldLevels(int q) {
        int levels = 0;
        for (int len = q; len > 1; len = len / 2 + len % 2) {
            levels++;
        }
        return levels;
    }

    /**
     * XOR-shared random bit triples (a; b, b'; c = a∧b, c' = a∧b') for the AND tree, from one random OT with random
     * choices each way and no message of their own (Cheetah's use of silent OT): a party's a is its choice bits as
     * receiver, its (b, b') the XOR of the two low bits of its two messages as sender, and a_0·b_1 ⊕ a_1·b_0 is
     * shared by what each received and its own message 0. On the silent extension they cost its LPN rounds only; on
     * SoftSpokenOT they ride on the digits' flights. Bits are packed, 5 per triple.
     */
    private static final class Triples {
        final int count;
        final long[] a;
        final long[] b1;
        final long[] b2;
        final long[] c1;
        final long[] c2;
        int next;

        Triples(int count) {
            this.count = count;
            int w = Bits.words(count);
            a = new long[w];
            b1 = new long[w];
            b2 = new long[w];
            c1 = new long[w];
            c2 = new long[w];
        }

        /** c ⊕= a·b, once both halves are in. */
        void finish() {
            for (int w = 0; w < a.length; w++) {
                c1[w] ^= a[w] & b1[w];
                c2[w] ^= a[w] & b2[w];
            }
        }

        long bit(long[] v, int i) {
            return v[i >>> 6] >>> i & 1;
        }
    }

    private static final int TRIPLE_STEP = 1 << 15;

    private void triplesAsSender(Triples t) {
        int step = Math.min(TRIPLE_STEP, Math.max(1, t.count));
        long[] m0 = new long[2 * step];
        long[] m1 = new long[2 * step];
        for (int done = 0; done < t.count; done += step) {
            int m = Math.min(step, t.count - done);
            sender.randomWithRandomChoices(m, m0, m1);
            for (int i = 0; i < m; i++) {
                int k = done + i;
                long x0 = m0[2 * i];
                long b = x0 ^ m1[2 * i];
                t.b1[k >>> 6] |= (b & 1) << k;
                t.b2[k >>> 6] |= (b >>> 1 & 1) << k;
                t.c1[k >>> 6] ^= (x0 & 1) << k;
                t.c2[k >>> 6] ^= (x0 >>> 1 & 1) << k;
            }
        }
    }

    private void triplesAsReceiver(Triples t) {
        int step = Math.min(TRIPLE_STEP, Math.max(1, t.count));
        long[] choices = new long[Bits.words(step)];
        long[] got = new long[2 * step];
        for (int done = 0; done < t.count; done += step) {
            int m = Math.min(step, t.count - done);
            receiver.randomWithRandomChoices(m, choices, got);
            for (int i = 0; i < m; i++) {
                int k = done + i;
                long y = got[2 * i];
                t.a[k >>> 6] |= (choices[i >>> 6] >>> i & 1) << k;
                t.c1[k >>> 6] ^= (y & 1) << k;
                t.c2[k >>> 6] ^= (y >>> 1 & 1) << k;
            }
        }
    }

    /**
     * Opens this level's masked values of {@code bits} bits each (packed): the server leads the even levels and the
     * client the odd ones, and the follower answers in the same flight as it leads the next level, so the whole tree
     * costs one flight per level (the first rides on the digits' tables). Returns the opened values, mine ⊕ theirs.
     */
    private long[] open(long[] mine, int count, int bits, int level) {
        long[] packed = BitPacking.pack(mine, count, bits);
        long[] theirs = new long[packed.length];
        if ((level % 2 == 0) == server) {
            channel.send(packed);
            channel.flush();
            channel.receive(theirs, 0, theirs.length);
        } else {
            channel.receive(theirs, 0, theirs.length);
            channel.send(packed);
            channel.flush();
        }
        if (!BitPacking.unusedBitsClear(theirs, count, bits)) {
            throw new ChannelException(ChannelException.Kind.PROTOCOL, "the peer's opened bits have padding set past bit "
                    + (long) count * bits);
        }
        long[] opened = new long[count];
        BitPacking.unpack(theirs, count, bits, opened);
        for (int i = 0; i < count; i++) {
            opened[i] ^= mine[i];
        }
        return opened;
    }

    /**
     * XOR shares of a∧b and a∧b' for the pairs (a = x[i], b = y[i], b' = y[half + i]), i &lt; half, that the fold
     * needs (eq_hi ∧ lt_lo and eq_hi ∧ eq_lo share eq_hi), with one pair triple each: both parties open
     * d = a ⊕ α, e = b ⊕ β, e' = b' ⊕ β' (3 bits each way) and a∧b = γ ⊕ d·β ⊕ e·α ⊕ d·e.
     */
    long[] andPair(long[] x, long[] y, int half, Triples t, int level) {
        int base = t.next;
        t.next += half;
        long[] mine = new long[half];
        for (int i = 0; i < half; i++) {
            int k = base + i;
            mine[i] = (x[i] ^ t.bit(t.a, k)) | (y[i] ^ t.bit(t.b1, k)) << 1 | (y[half + i] ^ t.bit(t.b2, k)) << 2;
        }
        long[] opened = open(mine, half, 3, level);
        long[] z = new long[2 * half];
        long own = server ? 1 : 0;
        for (int i = 0; i < half; i++) {
            int k = base + i;
            long d = opened[i] & 1;
            long e1 = opened[i] >>> 1 & 1;
            long e2 = opened[i] >>> 2 & 1;
            long a = t.bit(t.a, k);
            z[i] = t.bit(t.c1, k) ^ (d & t.bit(t.b1, k)) ^ (e1 & a) ^ (own & d & e1);
            z[half + i] = t.bit(t.c2, k) ^ (d & t.bit(t.b2, k)) ^ (e2 & a) ^ (own & d & e2);
        }
        return z;
    }

    /** XOR shares of x ∧ y with one triple each (its b' unused): 2 opened bits each way. */
    long[] andOne(long[] x, long[] y, Triples t, int level) {
        int n = x.length;
        int base = t.next;
        t.next += n;
        long[] mine = new long[n];
        for (int i = 0; i < n; i++) {
            int k = base + i;
            mine[i] = (x[i] ^ t.bit(t.a, k)) | (y[i] ^ t.bit(t.b1, k)) << 1;
        }
        long[] opened = open(mine, n, 2, level);
        long[] z = new long[n];
        long own = server ? 1 : 0;
        for (int i = 0; i < n; i++) {
            int k = base + i;
            long d = opened[i] & 1;
            long e = opened[i] >>> 1 & 1;
            z[i] = t.bit(t.c1, k) ^ (d & t.bit(t.b1, k)) ^ (e & t.bit(t.a, k)) ^ (own & d & e);
        }
        return z;
    }

    /**
     * Arithmetic shares of d·x mod 2^ℓ from XOR shares of a bit d and arithmetic shares of x: d·x = d·x_0 + d·x_1,
     * and (d_i ⊕ c)·x_i = d_i·x_i + c·(1 - 2d_i)·x_i, so each term is one additively correlated OT (ℓ bits) in which
     * the holder of x_i sends with correlation (1 - 2d_i)·x_i and keeps d_i·x_i - X_i, and the other chooses with c.
     */
    long[] mux(long[] d, long[] x, int bits) {
        int n = x.length;
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        long[] correlation = new long[n];
        long[] choice = new long[Bits.words(n)];
        for (int i = 0; i < n; i++) {
            correlation[i] = (d[i] == 0 ? x[i] : -x[i]) & m;
            Bits.set(choice, i, d[i] != 0);
        }
        long[] mine = new long[n];
        long[] got = new long[n];
        if (server) {
            sender.additive(n, correlation, mine, bits);
            receiver.additive(n, choice, got, bits);
        } else {
            receiver.additive(n, choice, got, bits);
            sender.additive(n, correlation, mine, bits);
        }
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = (d[i] * x[i] - mine[i] + got[i]) & m;
        }
        return y;
    }

    /**
     * Shares of ⌊y/2^f⌋ (or one less) for y in [0, 2^(ℓ-1)): the wrap is msb(y_0) ∨ msb(y_1), one additively
     * correlated OT of ℓ bits. Either
     * party can send it: with {@code serverSends} false the client sends and the server's choice bits follow the
     * flight that ends the comparison before it, and the client's messages lead the multiplexer's flight after it, so
     * a ReLU's truncation adds no round.
     */
    long[] truncateNonNegative(long[] y, int bits, int f, boolean serverSends) {
        int n = y.length;
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        long wrap = bits - f == 64 ? 0 : (1L << (bits - f)) & m;
        long[] out = new long[n];
        if (server == serverSends) {
            // The OT's sender: wrap·2^(ℓ-f) = msb_s·2^(ℓ-f) + c·(1 - msb_s)·2^(ℓ-f), c the receiver's msb; it keeps the
            // first term less its random X, and the receiver gets X + c·(1 - msb_s)·2^(ℓ-f).
            long[] correlation = new long[n];
            long[] x = new long[n];
            for (int i = 0; i < n; i++) {
                correlation[i] = ((y[i] >>> (bits - 1)) & 1) == 0 ? wrap : 0;
            }
            sender.additive(n, correlation, x, bits);
            for (int i = 0; i < n; i++) {
                long msb = (y[i] >>> (bits - 1)) & 1;
                out[i] = (((y[i] & m) >>> f) - (msb * wrap - x[i])) & m;
            }
        } else { // the OT's receiver gets its part of wrap·2^(ℓ-f) and subtracts it
            long[] choice = new long[Bits.words(n)];
            for (int i = 0; i < n; i++) {
                Bits.set(choice, i, ((y[i] >>> (bits - 1)) & 1) != 0);
            }
            long[] got = new long[n];
            receiver.additive(n, choice, got, bits);
            for (int i = 0; i < n; i++) {
                out[i] = (((y[i] & m) >>> f) - got[i]) & m;
            }
        }
        return out;
    }

    /** Signed truncation for |x| &lt; 2^(ℓ-2): offset into [0, 2^(ℓ-1)), truncate, remove the offset. */
    long[] truncateSigned(long[] x, int bits, int f) {
        return truncateSigned(x, bits, f, true);
    }

    private long[] truncateSigned(long[] x, int bits, int f, boolean serverSends) {
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        long offset = 1L << (bits - 2);
        long[] y = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = server ? (x[i] + offset) & m : x[i] & m;
        }
        long[] t = truncateNonNegative(y, bits, f, serverSends);
        if (server) {
            for (int i = 0; i < t.length; i++) {
                t[i] = (t[i] - (offset >>> f)) & m;
            }
        }
        return t;
    }

    /** Applies an element-wise step to chunks of {@value #CHUNK} values (taken mod 2^ℓ), so memory stays bounded. */
    private static long[] chunked(long[] share, int bits, java.util.function.UnaryOperator<long[]> step) {
        long[] out = new long[share.length];
        for (int from = 0; from < share.length; from += CHUNK) {
            long[] y = step.apply(mask(Arrays.copyOfRange(share, from, Math.min(share.length, from + CHUNK)), bits));
            System.arraycopy(y, 0, out, from, y.length);
        }
        return out;
    }

    private static long[] mask(long[] v, int bits) {
        if (bits < 64) {
            long m = (1L << bits) - 1;
            for (int i = 0; i < v.length; i++) {
                v[i] &= m;
            }
        }
        return v;
    }
}
