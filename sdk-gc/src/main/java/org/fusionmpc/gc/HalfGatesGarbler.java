package org.fusionmpc.gc;

import org.fusionmpc.api.random.FixedKeyAesHash;
import org.fusionmpc.api.random.Prg;

/**
 * The garbler of half-gates garbled circuits (Zahur, Rosulek and Evans, "Two halves make a whole", EUROCRYPT
 * 2015) with free-XOR and point-and-permute: 128-bit labels, a secret global offset Δ whose lowest bit is 1
 * (so the two labels of a wire have opposite permute bits), two ciphertexts per AND gate and none per XOR or
 * NOT. Gate hashing is the tweakable circular correlation-robust hash of Guo, Katz, Wang and Yu (S&amp;P 2020),
 * H(x, j) = π(π(x) ⊕ j) ⊕ π(x) with fixed-key AES ({@link FixedKeyAesHash#tccr}); every AND of every
 * instance gets its own pair of tweaks.
 *
 * <p>The garbler works SIMD-style on {@code B} instances of one circuit at a time: each gate is garbled for
 * all instances together, so one AES call hashes {@code B} labels. Labels live in one array, slot-major:
 * the zero label of wire slot {@code s} in instance {@code i} is block {@code s·B + i}. Memory is
 * {@code wireSlots·B} labels, independent of the number of gates, and tables stream out gate by gate.
 * Not thread-safe.
 */
public final class HalfGatesGarbler {

    private final long d0;
    private final long d1;
    private final Prg prg;
    private final FixedKeyAesHash hash = new FixedKeyAesHash();
    private long tweak;
    private long[] scratch = new long[0];
    private long[] table = new long[0];

    /** A garbler with a fresh Δ drawn from {@code prg}. */
    public HalfGatesGarbler(Prg prg) {
        this.prg = prg;
        this.d0 = prg.nextLong() | 1L;
        this.d1 = prg.nextLong();
    }

    /** Δ, a copy (one block). */
    public long[] delta() {
        return new long[] {d0, d1};
    }

    /** Fresh random zero labels for slot 0 (the constant) and every input slot of {@code instances} instances. */
    public void newInputLabels(Circuit c, int instances, long[] labels) {
        int inputSlots = 1 + c.garblerInputs() + c.evaluatorInputs();
        prg.nextLongs(labels, 0, 2 * inputSlots * instances);
    }

    /** The label of value {@code bit} given the zero label at block {@code block} of {@code labels}. */
    public void encode(long[] labels, int block, boolean bit, long[] out, int outBlock) {
        out[2 * outBlock] = labels[2 * block] ^ (bit ? d0 : 0);
        out[2 * outBlock + 1] = labels[2 * block + 1] ^ (bit ? d1 : 0);
    }

    /**
     * Garbles {@code instances} instances of {@code c}, whose input zero labels are already in {@code labels}
     * (see {@link #newInputLabels}); leaves every slot's zero label there (outputs included) and writes
     * each AND gate's tables for all instances, (T_G, T_E) per instance, to {@code sink} as one piece.
     */
    public void garble(Circuit c, int instances, long[] labels, TableSink sink) {
        int b = instances;
        if (labels.length < 2L * c.wireSlots() * b) {
            throw new IllegalArgumentException("labels hold " + labels.length / 2 + " blocks, the circuit needs "
                    + (long) c.wireSlots() * b);
        }
        if (scratch.length < 12 * b) {
            scratch = new long[12 * b];
            table = new long[4 * b];
        }
        long[] h = scratch; // [hA0 | hA1 | hB0 | hB1 | A1 | B1], 2b longs each
        for (int g = 0, n = c.gates(); g < n; g++) {
            int a = 2 * c.in0(g) * b;
            int o = 2 * c.out(g) * b;
            switch (c.op(g)) {
                case Circuit.XOR -> {
                    int y = 2 * c.in1(g) * b;
                    for (int k = 0; k < 2 * b; k++) {
                        labels[o + k] = labels[a + k] ^ labels[y + k];
                    }
                }
                case Circuit.NOT -> {
                    for (int k = 0; k < 2 * b; k += 2) {
                        labels[o + k] = labels[a + k] ^ d0;
                        labels[o + k + 1] = labels[a + k + 1] ^ d1;
                    }
                }
                default -> and(labels, a, 2 * c.in1(g) * b, o, b, h, sink);
            }
        }
    }

    private void and(long[] w, int a, int y, int o, int b, long[] h, TableSink sink) {
        int ha0 = 0;
        int ha1 = 2 * b;
        int hb0 = 4 * b;
        int hb1 = 6 * b;
        int a1 = 8 * b;
        int b1 = 10 * b;
        for (int k = 0; k < 2 * b; k += 2) {
            h[a1 + k] = w[a + k] ^ d0;
            h[a1 + k + 1] = w[a + k + 1] ^ d1;
            h[b1 + k] = w[y + k] ^ d0;
            h[b1 + k + 1] = w[y + k + 1] ^ d1;
        }
        long j = tweak;
        hash.tccr(w, a >>> 1, h, 0, b, j);
        hash.tccr(h, a1 >>> 1, h, ha1 >>> 1, b, j);
        hash.tccr(w, y >>> 1, h, hb0 >>> 1, b, j + b);
        hash.tccr(h, b1 >>> 1, h, hb1 >>> 1, b, j + b);
        tweak = j + 2L * b;
        long[] t = table;
        for (int i = 0, k = 0; i < b; i++, k += 2) {
            long a0l = w[a + k];
            long a0h = w[a + k + 1];
            long pa = -(a0l & 1); // all ones when the permute bit is set
            long pb = -(w[y + k] & 1);
            long tgl = h[ha0 + k] ^ h[ha1 + k] ^ (pb & d0);
            long tgh = h[ha0 + k + 1] ^ h[ha1 + k + 1] ^ (pb & d1);
            long tel = h[hb0 + k] ^ h[hb1 + k] ^ a0l;
            long teh = h[hb0 + k + 1] ^ h[hb1 + k + 1] ^ a0h;
            long wl = h[ha0 + k] ^ (pa & tgl) ^ h[hb0 + k] ^ (pb & (tel ^ a0l));
            long wh = h[ha0 + k + 1] ^ (pa & tgh) ^ h[hb0 + k + 1] ^ (pb & (teh ^ a0h));
            t[2 * k] = tgl;
            t[2 * k + 1] = tgh;
            t[2 * k + 2] = tel;
            t[2 * k + 3] = teh;
            w[o + k] = wl; // inputs of this instance are read above: the output may share their slot
            w[o + k + 1] = wh;
        }
        sink.write(t, 0, 4 * b);
    }

    /** Permute bits of the zero labels of the outputs: the evaluator's key to decode them (bit o·B + i). */
    public void decodeBits(Circuit c, int instances, long[] labels, long[] bits) {
        for (int k = 0; k < c.outputCount(); k++) {
            int base = c.outputSlot(k) * instances;
            for (int i = 0; i < instances; i++) {
                int bit = k * instances + i;
                if ((labels[2 * (base + i)] & 1) != 0) {
                    bits[bit >>> 6] |= 1L << bit;
                } else {
                    bits[bit >>> 6] &= ~(1L << bit);
                }
            }
        }
    }
}
