package org.fusionmpc.gc;

/**
 * Circuits that take additive shares over Z_2^ℓ from both parties, reconstruct inside the circuit and give
 * fresh shares (or a revealed index) back. The garbler (server) inputs its shares and, where the result is
 * shared, a fresh random mask r; the evaluator (client) inputs its shares and learns the masked result,
 * which is its new share, while r is the garbler's. Values are signed ℓ-bit numbers.
 */
public final class ShareCircuits {

    private ShareCircuits() {
    }

    /**
     * ReLU(s + c) - r. Garbler inputs s, r; evaluator input c; ℓ output bits. ANDs: (ℓ-1) for the
     * reconstruction, ℓ-1 for the ReLU, ℓ-1 for the re-masking: 3ℓ-3 (189 for ℓ = 64).
     */
    public static Circuit relu(int bits) {
        return relu(bits, 0);
    }

    /**
     * ReLU(s + c)/2^shift - r, the division exact (floor; the ReLU is non-negative, so this is the logical
     * shift, which costs only wiring): the truncation after a linear layer, fused with its ReLU and free of the
     * error of local truncation. Same inputs and AND count as {@link #relu(int)}.
     */
    public static Circuit relu(int bits, int shift) {
        checkBits(bits);
        checkShift(bits, shift);
        CircuitBuilder c = new CircuitBuilder();
        int[] s = c.garblerInput(bits);
        int[] r = c.garblerInput(bits);
        int[] x = c.evaluatorInput(bits);
        int[] y = shiftRight(c, Circuits.relu(c, Circuits.add(c, s, x)), shift, false);
        return c.outputs(Circuits.subtract(c, y, r)).build();
    }

    /**
     * [s + c ≥ 0] ⊕ r for signed s + c: DReLU as an XOR share. Garbler inputs s and one mask bit r; evaluator input c;
     * one output bit. ANDs: ℓ-1 (the carry into the sign bit).
     */
    public static Circuit drelu(int bits) {
        checkBits(bits);
        CircuitBuilder c = new CircuitBuilder();
        int[] s = c.garblerInput(bits);
        int[] r = c.garblerInput(1);
        int[] x = c.evaluatorInput(bits);
        int[] sum = Circuits.add(c, s, x);
        return c.outputs(c.xor(c.not(sum[bits - 1]), r[0])).build();
    }

    /**
     * (u ⊕ v) − r over Z_2^ℓ: a bit held as XOR shares made additive (B2A). Garbler inputs u and r (ℓ bits); evaluator
     * input v; ℓ output bits. ANDs: ℓ-1 (the subtraction).
     */
    public static Circuit bitToArithmetic(int bits) {
        checkBits(bits);
        CircuitBuilder c = new CircuitBuilder();
        int[] u = c.garblerInput(1);
        int[] r = c.garblerInput(bits);
        int[] v = c.evaluatorInput(1);
        int[] b = new int[bits];
        b[0] = c.xor(u[0], v[0]);
        for (int i = 1; i < bits; i++) {
            b[i] = c.zero();
        }
        return c.outputs(Circuits.subtract(c, b, r)).build();
    }

    /** ⌊(s + c)/2^shift⌋ - r for signed s + c (arithmetic shift): exact truncation. ANDs: 2(ℓ-1). */
    public static Circuit truncate(int bits, int shift) {
        checkBits(bits);
        checkShift(bits, shift);
        CircuitBuilder c = new CircuitBuilder();
        int[] s = c.garblerInput(bits);
        int[] r = c.garblerInput(bits);
        int[] x = c.evaluatorInput(bits);
        return c.outputs(Circuits.subtract(c, shiftRight(c, Circuits.add(c, s, x), shift, true), r)).build();
    }

    /** Wires of a >> shift: the low wires dropped, the top filled with zero or the sign wire. No gates. */
    static int[] shiftRight(CircuitBuilder c, int[] a, int shift, boolean arithmetic) {
        int[] y = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = i + shift < a.length ? a[i + shift] : arithmetic ? a[a.length - 1] : c.zero();
        }
        return y;
    }

    static void checkShift(int bits, int shift) {
        if (shift < 0 || shift >= bits) {
            throw new IllegalArgumentException("shift must be 0.." + (bits - 1) + " for " + bits + "-bit values, got " + shift);
        }
    }

    /**
     * max_j (s_j + c_j) - r over a window of {@code k} values. Garbler inputs s_0..s_{k-1}, r; evaluator
     * inputs c_0..c_{k-1}; ℓ output bits. ANDs: k(ℓ-1) + (k-1)·2ℓ + (ℓ-1).
     */
    public static Circuit max(int bits, int k) {
        return max(bits, k, 0);
    }

    /** ⌊max_j (s_j + c_j)/2^shift⌋ - r: max-pooling with the truncation of the layer before it fused in (free). */
    public static Circuit max(int bits, int k, int shift) {
        checkBits(bits);
        checkWindow(k);
        checkShift(bits, shift);
        CircuitBuilder c = new CircuitBuilder();
        int[][] s = new int[k][];
        for (int j = 0; j < k; j++) {
            s[j] = c.garblerInput(bits);
        }
        int[] r = c.garblerInput(bits);
        int[][] v = new int[k][];
        for (int j = 0; j < k; j++) {
            v[j] = Circuits.add(c, s[j], c.evaluatorInput(bits));
        }
        for (int n = k; n > 1; n = (n + 1) / 2) {
            for (int i = 0; i < n / 2; i++) {
                v[i] = Circuits.max(c, v[2 * i], v[2 * i + 1]);
            }
            if (n % 2 == 1) {
                v[n / 2] = v[n - 1];
            }
        }
        return c.outputs(Circuits.subtract(c, shiftRight(c, v[0], shift, true), r)).build();
    }

    /**
     * The index of the first maximum of (s_j + c_j) over {@code k} values, revealed to the evaluator:
     * ⌈log2 k⌉ output bits. Garbler inputs s_0..s_{k-1}; evaluator inputs c_0..c_{k-1}.
     */
    public static Circuit argmax(int bits, int k) {
        checkBits(bits);
        checkWindow(k);
        CircuitBuilder c = new CircuitBuilder();
        int[][] s = new int[k][];
        for (int j = 0; j < k; j++) {
            s[j] = c.garblerInput(bits);
        }
        int[][] v = new int[k][];
        for (int j = 0; j < k; j++) {
            v[j] = Circuits.add(c, s[j], c.evaluatorInput(bits));
        }
        return c.outputs(Circuits.argmax(c, v)).build();
    }

    /** Bits needed for an index below k. */
    public static int indexBits(int k) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(k - 1));
    }

    static void checkBits(int bits) {
        if (bits < 2 || bits > 64) {
            throw new IllegalArgumentException("share width must be 2..64 bits, got " + bits);
        }
    }

    static void checkWindow(int k) {
        if (k < 1 || k > 1 << 16) {
            throw new IllegalArgumentException("window must hold 1..65536 values, got " + k);
        }
    }
}
