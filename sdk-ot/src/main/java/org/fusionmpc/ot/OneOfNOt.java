package org.fusionmpc.ot;

import java.util.Arrays;
import java.util.Objects;
import org.fusionmpc.api.channel.BitPacking;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.concurrent.Lanes;
import org.fusionmpc.api.random.Blocks;
import org.fusionmpc.api.random.FixedKeyAesHash;

/**
 * 1-out-of-N oblivious transfer for N = 2^k, k ≤ 8, from k random 1-out-of-2 OTs per transfer: the
 * construction of Naor and Pinkas ("Oblivious transfer and polynomial evaluation", STOC 1999) with its PRF
 * replaced by a fixed-key-AES hash. For transfer i the random OTs give the sender seed pairs (s_b^0, s_b^1)
 * and the receiver s_b^{c_b} for the bits c_b of its index c. Message j is masked with
 * K_j = H(⊕_b s_b^{j_b}, tweak(i, j)), which the receiver can compute only for j = c: every other K_j's input
 * contains a seed difference s_b^0 ⊕ s_b^1 that is uniform and unknown to it, so in the ideal-permutation model
 * of GKWY20 the pads are independent and uniform. Costs: k random OTs (16k bytes) and N masked messages per
 * transfer, N hashes for the sender, one for the receiver. This is not Kolesnikov-Kumaresan 2013, whose
 * codeword trick sends less; it is the simple, well-understood construction.
 *
 * <p>Tweaks live in their own domain (top bit set), apart from the 1-out-of-2 OTs' tweaks.
 */
public final class OneOfNOt {

    public static final int MAX_LOG_N = 8;
    private static final long TWEAK_DOMAIN = 1L << 63;

    private final Channel channel;
    private final int logN;
    private final int n;
    private FixedKeyAesHash[] hashes = {new FixedKeyAesHash()};
    private long tweak = TWEAK_DOMAIN;

    private OneOfNOt(Channel channel, int logN) {
        if (logN < 1 || logN > MAX_LOG_N) {
            throw new IllegalArgumentException("1-out-of-N OT needs N = 2^k with 1 ≤ k ≤ " + MAX_LOG_N + ", got k = " + logN);
        }
        this.channel = Objects.requireNonNull(channel, "channel");
        this.logN = logN;
        this.n = 1 << logN;
    }

    /** A 1-out-of-2^logN OT on {@code channel}; both parties make one with the same {@code logN}. */
    public static OneOfNOt of(Channel channel, int logN) {
        return new OneOfNOt(channel, logN);
    }

    /**
     * Builds, hashes and masks keys on {@code threads} threads (transfers split between them) when a call has at
     * least {@value #MIN_TRANSFERS_PER_SPLIT} transfers; the wire and the outputs are the same for any count.
     */
    public OneOfNOt withThreads(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("1-out-of-N OT threads must be 1.." + MAX_THREADS + ", got " + threads);
        }
        FixedKeyAesHash[] h = new FixedKeyAesHash[threads];
        for (int t = 0; t < threads; t++) {
            h[t] = t < hashes.length ? hashes[t] : new FixedKeyAesHash();
        }
        hashes = h;
        return this;
    }

    /** Most threads {@link #withThreads} takes. */
    public static final int MAX_THREADS = 8;

    /** Calls with fewer transfers run on one thread: handing them over would cost more than it saves. */
    static final int MIN_TRANSFERS_PER_SPLIT = 1024;

    private int lanesFor(int count) {
        return count >= MIN_TRANSFERS_PER_SPLIT ? hashes.length : 1;
    }

    /**
     * The sender's messages, made a run of transfers at a time so that a long call never holds them all: writes
     * message j of transfer {@code first + i} to {@code out[(i * N + j) * L, + L)} for i &lt; {@code count}.
     */
    @FunctionalInterface
    public interface Messages {
        void fill(int first, int count, long[] out);

        /** Messages already laid out in one array, transfer after transfer. */
        static Messages of(long[] all, int n, int longsPerMessage) {
            return (first, count, out) -> System.arraycopy(all, first * n * longsPerMessage, out, 0, count * n * longsPerMessage);
        }
    }

    /**
     * Sends {@code count} transfers; message j of transfer i is {@code messages[(i * N + j) * L, + L)} with
     * L = {@code longsPerMessage}.
     */
    public void send(OtSender ot, int count, long[] messages, int longsPerMessage) {
        Iknp.checkMessages(messages, count * n, longsPerMessage);
        send(ot, count, Messages.of(messages, n, longsPerMessage), longsPerMessage, 0);
    }

    /**
     * Sends {@code count} transfers of short messages: message j of transfer i is the low {@code bits} bits of
     * {@code messages[i * N + j]}, and the wire carries exactly {@code bits} bits per message (packed), not a long.
     */
    public void sendBits(OtSender ot, int count, long[] messages, int bits) {
        checkBits(bits);
        Iknp.checkMessages(messages, count * n, 1);
        send(ot, count, Messages.of(messages, n, 1), 1, bits);
    }

    /** {@link #sendBits(OtSender, int, long[], int)} with the messages made on demand, a run of transfers at a time. */
    public void sendBits(OtSender ot, int count, Messages messages, int bits) {
        checkBits(bits);
        send(ot, count, messages, 1, bits);
    }

    /** Receives transfers of short messages: {@code out[i]} = the low {@code bits} bits of message {@code choices[i]}. */
    public void receiveBits(OtReceiver ot, int count, int[] choices, long[] out, int bits) {
        checkBits(bits);
        receive(ot, count, choices, out, 1, bits);
    }

    private static void checkBits(int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("short messages have 1..64 bits, got " + bits);
        }
    }

    /**
     * Transfers per step: the random OTs, keys and pads of one step are what a call holds in memory, whatever its
     * length (rounded down to whole batches of messages on the sender's side).
     */
    static final int STEP = 1 << 14;

    /**
     * The sender reads the receiver's side of the random OTs for the whole call, step by step, masking each step's
     * messages as it goes, and sends the masked messages only then: one round trip for a call of any length, and
     * neither party writes while the other is blocked writing. What waits meanwhile is exactly what the wire carries.
     */
    private void send(OtSender ot, int count, Messages messages, int longsPerMessage, int packBits) {
        int w = Iknp.blocksPerMessage(longsPerMessage);
        int batch = transfersPerBatch(w);
        int full = Math.max(batch, STEP / batch * batch); // whole batches, so the messages are the same for any step
        int step = Math.min(full, count);
        long[] s0 = Blocks.allocate(step * logN);
        long[] s1 = Blocks.allocate(step * logN);
        long[] plain = new long[step * n * longsPerMessage];
        long[][] out = new long[(count + batch - 1) / batch][];
        for (int first = 0; first < count; first += full) {
            int m = Math.min(full, count - first);
            ot.random(m * logN, s0, s1);
            messages.fill(first, m, plain);
            int firstBatch = first / batch;
            int batches = (m + batch - 1) / batch;
            int from0 = first;
            Lanes.split(lanesFor(m), batches, (from, to, lane) -> {
                long[] pads = Blocks.allocate(batch * n * w);
                long[] masked = new long[batch * n * longsPerMessage];
                for (int b = from; b < to; b++) {
                    int length = maskBatch(from0, b, m, s0, s1, plain, longsPerMessage, pads, masked, hashes[lane]);
                    out[firstBatch + b] = packBits == 0 ? Arrays.copyOf(masked, length) : BitPacking.pack(masked, length, packBits);
                }
            });
        }
        for (long[] message : out) {
            channel.send(message);
        }
        tweak += (long) count * n * w;
        channel.flush();
    }

    /**
     * Masks batch {@code b} of the step that starts at transfer {@code first}: its transfers' keys x_j, hashed to
     * pads, xor the messages, into {@code masked}; returns the number of longs written (N·L per transfer; the last
     * batch may be short).
     */
    private int maskBatch(int first, int b, int stepCount, long[] s0, long[] s1, long[] messages, int longsPerMessage,
                          long[] pads, long[] masked, FixedKeyAesHash hash) {
        int w = Iknp.blocksPerMessage(longsPerMessage);
        int batch = transfersPerBatch(w);
        int start = b * batch;
        int m = Math.min(batch, stepCount - start);
        long[] x = w == 1 ? null : Blocks.allocate(n);
        long[] d = new long[2 * logN];
        for (int i = 0; i < m; i++) {
            int seeds = 2 * (start + i) * logN;
            // x_0 = ⊕_b s_b^0; x_j = x_{j without its lowest bit b} ⊕ d_b, with d_b = s_b^0 ⊕ s_b^1.
            long lo = 0;
            long hi = 0;
            for (int t = 0; t < logN; t++) {
                lo ^= s0[seeds + 2 * t];
                hi ^= s0[seeds + 2 * t + 1];
                d[2 * t] = s0[seeds + 2 * t] ^ s1[seeds + 2 * t];
                d[2 * t + 1] = s0[seeds + 2 * t + 1] ^ s1[seeds + 2 * t + 1];
            }
            // Short messages (w = 1) build their keys in place; longer ones repeat each key w times.
            long[] keys = w == 1 ? pads : x;
            int at = w == 1 ? 2 * i * n : 0;
            keys[at] = lo;
            keys[at + 1] = hi;
            // Key j ⊕ 2^t for every j < 2^t: a doubling that reads each difference once.
            for (int t = 0, half = 1; t < logN; t++, half <<= 1) {
                long dl = d[2 * t];
                long dh = d[2 * t + 1];
                for (int j = 0; j < half; j++) {
                    keys[at + 2 * (half + j)] = keys[at + 2 * j] ^ dl;
                    keys[at + 2 * (half + j) + 1] = keys[at + 2 * j + 1] ^ dh;
                }
            }
            if (w > 1) {
                Iknp.repeatBlocks(x, n, w, pads, null, 2 * i * n * w);
            }
        }
        hash.hash(pads, 0, pads, 0, m * n * w, tweak + (long) (first + start) * n * w);
        int base = start * n * longsPerMessage;
        for (int mIndex = 0; mIndex < m * n; mIndex++) {
            for (int k = 0; k < longsPerMessage; k++) {
                masked[mIndex * longsPerMessage + k] = messages[base + mIndex * longsPerMessage + k] ^ pads[2 * mIndex * w + k];
            }
        }
        return m * n * longsPerMessage;
    }

    /** Receives {@code count} transfers: writes message {@code choices[i]} of transfer i to {@code out[i * L, + L)}. */
    public void receive(OtReceiver ot, int count, int[] choices, long[] out, int longsPerMessage) {
        receive(ot, count, choices, out, longsPerMessage, 0);
    }

    /**
     * Mirrors {@link #send}: runs the random OTs for the whole call step by step (all this side sends), keeping only
     * each transfer's pad for its chosen message in {@code out}, then reads the masked messages.
     */
    private void receive(OtReceiver ot, int count, int[] choices, long[] out, int longsPerMessage, int packBits) {
        Iknp.checkMessages(out, count, longsPerMessage);
        if (choices.length < count) {
            throw new IllegalArgumentException(choices.length + " choices for " + count + " transfers");
        }
        for (int i = 0; i < count; i++) {
            if (choices[i] < 0 || choices[i] >= n) {
                throw new IllegalArgumentException("choice " + i + " is " + choices[i] + ", outside [0, " + n + ")");
            }
        }
        int w = Iknp.blocksPerMessage(longsPerMessage);
        int step = Math.min(STEP, count);
        long[] bits = new long[Bits.words(step * logN)];
        long[] s = Blocks.allocate(step * logN);
        long[] pads = Blocks.allocate(step * w);
        long[] tweaks = new long[step * w];
        for (int first = 0; first < count; first += STEP) {
            int m = Math.min(STEP, count - first);
            Arrays.fill(bits, 0L);
            for (int i = 0; i < m; i++) {
                int at = i * logN;
                long c = choices[first + i];
                bits[at >>> 6] |= c << (at & 63);
                if ((at & 63) + logN > 64) {
                    bits[(at >>> 6) + 1] |= c >>> (64 - (at & 63));
                }
            }
            ot.random(m * logN, bits, s);
            int f = first;
            Lanes.split(lanesFor(m), m, (from, to, lane) -> {
                long[] x = new long[2];
                for (int i = from; i < to; i++) {
                    x[0] = 0;
                    x[1] = 0;
                    for (int b = 0; b < logN; b++) {
                        x[0] ^= s[2 * (i * logN + b)];
                        x[1] ^= s[2 * (i * logN + b) + 1];
                    }
                    Iknp.repeatBlocks(x, 1, w, pads, null, 2 * i * w);
                    for (int k = 0; k < w; k++) {
                        tweaks[i * w + k] = tweak + ((long) (f + i) * n + choices[f + i]) * w + k;
                    }
                }
                hashes[lane].hash(pads, from * w, pads, from * w, (to - from) * w, tweaks, from * w);
                for (int i = from; i < to; i++) {
                    System.arraycopy(pads, 2 * i * w, out, (f + i) * longsPerMessage, longsPerMessage);
                }
            });
        }
        tweak += (long) count * n * w;
        int batch = transfersPerBatch(w);
        long[] masked = new long[Math.min(batch, count) * n * longsPerMessage];
        long keep = packBits == 0 || packBits == 64 ? -1L : (1L << packBits) - 1;
        for (int first = 0; first < count; first += batch) {
            int m = Math.min(batch, count - first);
            if (packBits == 0) {
                channel.receive(masked, 0, m * n * longsPerMessage);
            } else {
                long[] packed = new long[Bits.words(m * n * packBits)];
                channel.receive(packed, 0, packed.length);
                BitPacking.unpack(packed, m * n, packBits, masked);
            }
            for (int i = first; i < first + m; i++) {
                int from = ((i - first) * n + choices[i]) * longsPerMessage;
                for (int k = 0; k < longsPerMessage; k++) {
                    out[i * longsPerMessage + k] = (masked[from + k] ^ out[i * longsPerMessage + k]) & keep;
                }
            }
        }
    }

    /** Transfers per message: about 32 KiB of pads, at least one transfer. */
    private int transfersPerBatch(int w) {
        return Math.max(1, 2048 / (n * w));
    }
}
