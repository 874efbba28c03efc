package org.fusionmpc.gc;

import org.fusionmpc.api.random.FixedKeyAesHash;

/**
 * The evaluator of {@link HalfGatesGarbler}'s circuits: holds one active label per wire, hashes the two
 * input labels of each AND gate (batched over the instances, tweaks in the garbler's order) and combines
 * them with the gate's two ciphertexts. It cannot tell a tampered table from a good one; a wrong table gives
 * wrong labels and so a wrong (or undecodable) output, never a hang, since every read has a fixed length.
 * Not thread-safe.
 */
public final class HalfGatesEvaluator {

    private final FixedKeyAesHash hash = new FixedKeyAesHash();
    private long tweak;
    private long[] scratch = new long[0];
    private long[] table = new long[0];

    /**
     * Evaluates {@code instances} instances of {@code c} with the active input labels already in
     * {@code labels} (same slot-major layout as the garbler's), reading each AND gate's tables from
     * {@code source}; leaves every slot's active label in {@code labels}.
     */
    public void evaluate(Circuit c, int instances, long[] labels, TableSource source) {
        int b = instances;
        if (labels.length < 2L * c.wireSlots() * b) {
            throw new IllegalArgumentException("labels hold " + labels.length / 2 + " blocks, the circuit needs "
                    + (long) c.wireSlots() * b);
        }
        if (scratch.length < 4 * b) {
            scratch = new long[4 * b];
            table = new long[4 * b];
        }
        long[] h = scratch;
        long[] t = table;
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
                    if (o != a) {
                        System.arraycopy(labels, a, labels, o, 2 * b);
                    }
                }
                default -> {
                    int y = 2 * c.in1(g) * b;
                    source.read(t, 0, 4 * b);
                    long j = tweak;
                    hash.tccr(labels, a >>> 1, h, 0, b, j);
                    hash.tccr(labels, y >>> 1, h, b, b, j + b);
                    tweak = j + 2L * b;
                    int hb = 2 * b;
                    for (int i = 0, k = 0; i < b; i++, k += 2) {
                        long al = labels[a + k];
                        long ah = labels[a + k + 1];
                        long sa = -(al & 1);
                        long sb = -(labels[y + k] & 1);
                        long wl = h[k] ^ (sa & t[2 * k]) ^ h[hb + k] ^ (sb & (t[2 * k + 2] ^ al));
                        long wh = h[k + 1] ^ (sa & t[2 * k + 1]) ^ h[hb + k + 1] ^ (sb & (t[2 * k + 3] ^ ah));
                        labels[o + k] = wl;
                        labels[o + k + 1] = wh;
                    }
                }
            }
        }
    }

    /** Output bit o of instance i = permute bit of its active label ⊕ the garbler's decode bit (bit o·B + i). */
    public static void decode(Circuit c, int instances, long[] labels, long[] decodeBits, long[] out) {
        for (int k = 0; k < c.outputCount(); k++) {
            int base = c.outputSlot(k) * instances;
            for (int i = 0; i < instances; i++) {
                int bit = k * instances + i;
                long v = (labels[2 * (base + i)] ^ (decodeBits[bit >>> 6] >>> bit)) & 1;
                out[bit >>> 6] = out[bit >>> 6] & ~(1L << bit) | v << bit;
            }
        }
    }
}
