package org.fusionmpc.ot;

import org.fusionmpc.api.channel.BitPacking;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.Blocks;
import org.fusionmpc.api.random.FixedKeyAesHash;

/**
 * Random and chosen-message OT from correlated OT, in one place for any COT extension (as emp-ot's {@code cot.h}
 * does for all of its): the sender's pads are H(q_i) and H(q_i ⊕ Δ), the receiver's H(t_i), under a tweak unique
 * to the OT and to the block of a long message, which keeps the Δ-correlation from leaking (GKWY20). Each method
 * returns the next unused tweak; both sides advance it alike.
 */
final class CotDerivation {

    /** OTs per step of a chosen-message batch: bounds the pads' memory; a call is one round trip however many steps. */
    static final int STEP = 1 << 16;

    private CotDerivation() {
    }

    /** Hashes blocks {@code [0, n)} of {@code blocks} in place, block j under tweak + j (on as many threads as it likes). */
    @FunctionalInterface
    interface Hasher {
        void hash(long[] blocks, int n, long tweak);

        static Hasher of(FixedKeyAesHash h) {
            return (b, n, t) -> h.hash(b, 0, b, 0, n, t);
        }
    }

    static long randomSender(long[] m0, long[] m1, int n, long[] delta, Hasher hash, long tweak) {
        for (int i = 0; i < 2 * n; i += 2) {
            m1[i] = m0[i] ^ delta[0];
            m1[i + 1] = m0[i + 1] ^ delta[1];
        }
        hash.hash(m0, n, tweak);
        hash.hash(m1, n, tweak);
        return tweak + n;
    }

    static long randomReceiver(long[] m, int n, Hasher hash, long tweak) {
        hash.hash(m, n, tweak);
        return tweak + n;
    }

    /**
     * Sends x_0 ⊕ H(q_i) and x_1 ⊕ H(q_i ⊕ Δ) per OT, packed to {@code packBits} bits when not 0. The receiver's
     * corrections for the whole call are read before any message leaves, so a call of any length costs one round
     * trip and neither side can block the other on a full socket; what waits meanwhile is exactly what the wire
     * will carry.
     */
    static long chosenSender(OtSender cot, Channel channel, int n, long[] x0, long[] x1, int longsPerMessage, int packBits,
                             Hasher hash, long tweak) {
        Iknp.checkMessages(x0, n, longsPerMessage);
        Iknp.checkMessages(x1, n, longsPerMessage);
        long[] delta = cot.delta();
        int w = Iknp.blocksPerMessage(longsPerMessage);
        int step = Math.max(1, STEP / w);
        long[] q = Blocks.allocate(Math.min(step, n));
        long[] pad0 = Blocks.allocate(Math.min(step, n) * w);
        long[] pad1 = Blocks.allocate(Math.min(step, n) * w);
        long[][] out = new long[(n + step - 1) / step][];
        for (int done = 0, s = 0; done < n; done += step, s++) {
            int m = Math.min(step, n - done);
            cot.correlated(m, q);
            Iknp.repeatBlocks(q, m, w, pad0, null);
            Iknp.repeatBlocks(q, m, w, pad1, delta);
            hash.hash(pad0, m * w, tweak);
            hash.hash(pad1, m * w, tweak);
            tweak += (long) m * w;
            long[] masked = new long[2 * m * longsPerMessage];
            for (int i = 0; i < m; i++) {
                int x = (done + i) * longsPerMessage;
                int o = 2 * i * longsPerMessage;
                int pad = 2 * i * w;
                for (int k = 0; k < longsPerMessage; k++) {
                    masked[o + k] = x0[x + k] ^ pad0[pad + k];
                    masked[o + longsPerMessage + k] = x1[x + k] ^ pad1[pad + k];
                }
            }
            out[s] = packBits == 0 ? masked : BitPacking.pack(masked, 2 * m, packBits);
        }
        for (long[] message : out) {
            channel.send(message);
        }
        channel.flush();
        return tweak;
    }

    /**
     * Mirrors {@link #chosenSender}: writes x_{c_i} to {@code out}. Every correction of the call is sent before any
     * message is read; meanwhile {@code out} holds the pads.
     */
    static long chosenReceiver(OtReceiver cot, Channel channel, int n, long[] choices, long[] out, int longsPerMessage,
                               int packBits, Hasher hash, long tweak) {
        Iknp.checkChoices(choices, n);
        Iknp.checkMessages(out, n, longsPerMessage);
        int w = Iknp.blocksPerMessage(longsPerMessage);
        int step = Math.max(1, STEP / w);
        long[] t = Blocks.allocate(Math.min(step, n));
        long[] pad = Blocks.allocate(Math.min(step, n) * w);
        long[] stepChoices = new long[Bits.words(Math.min(step, n))];
        for (int done = 0; done < n; done += step) {
            int m = Math.min(step, n - done);
            cot.correlated(m, stepChoices(choices, done, m, stepChoices), t);
            Iknp.repeatBlocks(t, m, w, pad, null);
            hash.hash(pad, m * w, tweak);
            tweak += (long) m * w;
            for (int i = 0; i < m; i++) {
                System.arraycopy(pad, 2 * i * w, out, (done + i) * longsPerMessage, longsPerMessage);
            }
        }
        long keep = packBits == 0 || packBits == 64 ? -1L : (1L << packBits) - 1;
        long[] masked = new long[2 * Math.min(step, n) * longsPerMessage];
        for (int done = 0; done < n; done += step) {
            int m = Math.min(step, n - done);
            if (packBits == 0) {
                channel.receive(masked, 0, 2 * m * longsPerMessage);
            } else {
                long[] packed = new long[BitPacking.words(2 * m, packBits)];
                channel.receive(packed, 0, packed.length);
                BitPacking.unpack(packed, 2 * m, packBits, masked);
            }
            for (int i = 0; i < m; i++) {
                int chosen = (2 * i + (Bits.get(choices, done + i) ? 1 : 0)) * longsPerMessage;
                int o = (done + i) * longsPerMessage;
                for (int k = 0; k < longsPerMessage; k++) {
                    out[o + k] = (masked[chosen + k] ^ out[o + k]) & keep;
                }
            }
        }
        return tweak;
    }

    /**
     * Additively correlated OT (CrypTFlow2's COT): the sender's output x_i is its pad H(q_i) cut to ℓ bits, and it
     * sends x_i + a_i - H(q_i ⊕ Δ) mod 2^ℓ, so the receiver gets x_i + c_i·a_i: ℓ bits per OT where a chosen OT sends
     * 2ℓ. Two-phase like {@link #chosenSender}.
     */
    static long additiveSender(OtSender cot, Channel channel, int n, long[] correlation, long[] x, int bits, Hasher hash,
                               long tweak) {
        Iknp.checkMessages(correlation, n, 1);
        Iknp.checkMessages(x, n, 1);
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long[] delta = cot.delta();
        int step = Math.min(STEP, Math.max(n, 1));
        long[] q = Blocks.allocate(step);
        long[] pad1 = Blocks.allocate(step);
        long[][] out = new long[(n + STEP - 1) / STEP][];
        long[] masked = new long[step];
        for (int done = 0, s = 0; done < n; done += STEP, s++) {
            int m = Math.min(STEP, n - done);
            cot.correlated(m, q);
            Iknp.repeatBlocks(q, m, 1, pad1, delta);
            hash.hash(q, m, tweak);
            hash.hash(pad1, m, tweak);
            tweak += m;
            for (int i = 0; i < m; i++) {
                long xi = q[2 * i] & mask;
                x[done + i] = xi;
                masked[i] = (xi + correlation[done + i] - pad1[2 * i]) & mask;
            }
            out[s] = BitPacking.pack(masked, m, bits);
        }
        for (long[] message : out) {
            channel.send(message);
        }
        channel.flush();
        return tweak;
    }

    /** Mirrors {@link #additiveSender}: writes x_i + c_i·a_i mod 2^ℓ to {@code out}. */
    static long additiveReceiver(OtReceiver cot, Channel channel, int n, long[] choices, long[] out, int bits, Hasher hash,
                                 long tweak) {
        Iknp.checkChoices(choices, n);
        Iknp.checkMessages(out, n, 1);
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        int step = Math.min(STEP, Math.max(n, 1));
        long[] t = Blocks.allocate(step);
        long[] stepChoices = new long[Bits.words(step)];
        for (int done = 0; done < n; done += STEP) {
            int m = Math.min(STEP, n - done);
            cot.correlated(m, stepChoices(choices, done, m, stepChoices), t);
            hash.hash(t, m, tweak);
            tweak += m;
            for (int i = 0; i < m; i++) {
                out[done + i] = t[2 * i];
            }
        }
        long[] masked = new long[step];
        for (int done = 0; done < n; done += STEP) {
            int m = Math.min(STEP, n - done);
            long[] packed = new long[BitPacking.words(m, bits)];
            channel.receive(packed, 0, packed.length);
            BitPacking.unpack(packed, m, bits, masked);
            for (int i = 0; i < m; i++) {
                out[done + i] = Bits.get(choices, done + i) ? (masked[i] + out[done + i]) & mask : out[done + i] & mask;
            }
        }
        return tweak;
    }

    /** Choice bits [done, done + m) of {@code choices}, from bit 0 of {@code into}. */
    private static long[] stepChoices(long[] choices, int done, int m, long[] into) {
        java.util.Arrays.fill(into, 0L);
        for (int i = 0; i < m; i++) {
            if (Bits.get(choices, done + i)) {
                Bits.set(into, i, true);
            }
        }
        return into;
    }
}
