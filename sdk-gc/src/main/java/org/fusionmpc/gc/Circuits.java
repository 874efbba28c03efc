package org.fusionmpc.gc;

/**
 * The circuit library, on little-endian bit vectors (bit 0 first) of equal width ℓ. AND counts are the cost
 * that matters (XOR and NOT are free under free-XOR); each method states its own. Signed means ℓ-bit two's
 * complement.
 */
public final class Circuits {

    private Circuits() {
    }

    /** a + b mod 2^ℓ: ℓ-1 ANDs (one per carry; the last carry is not needed). */
    public static int[] add(CircuitBuilder c, int[] a, int[] b) {
        return addWithCarry(c, a, b, c.zero(), false);
    }

    /** a - b mod 2^ℓ, as a + ¬b + 1: ℓ-1 ANDs. */
    public static int[] subtract(CircuitBuilder c, int[] a, int[] b) {
        return addWithCarry(c, a, not(c, b), c.one(), false);
    }

    /** {@code a < b} as unsigned numbers: ℓ ANDs (the borrow out of a - b). */
    public static int lessThanUnsigned(CircuitBuilder c, int[] a, int[] b) {
        int[] sum = addWithCarry(c, a, not(c, b), c.one(), true);
        return c.not(sum[sum.length - 1]); // carry out of a + ¬b + 1 is 1 exactly when a ≥ b
    }

    /** {@code a < b} as signed numbers: ℓ ANDs (flip both sign bits, compare unsigned). */
    public static int lessThanSigned(CircuitBuilder c, int[] a, int[] b) {
        return lessThanUnsigned(c, flipTop(c, a), flipTop(c, b));
    }

    /** s ? b : a, bit by bit as a ⊕ s∧(a ⊕ b): ℓ ANDs. */
    public static int[] mux(CircuitBuilder c, int s, int[] a, int[] b) {
        sameWidth(a, b);
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = c.xor(a[i], c.and(s, c.xor(a[i], b[i])));
        }
        return r;
    }

    /** max(x, 0) for signed x: every bit ANDed with the inverted sign bit, ℓ-1 ANDs (the sign bit becomes 0). */
    public static int[] relu(CircuitBuilder c, int[] x) {
        int positive = c.not(x[x.length - 1]);
        int[] r = new int[x.length];
        for (int i = 0; i < x.length - 1; i++) {
            r[i] = c.and(x[i], positive);
        }
        r[x.length - 1] = c.zero();
        return r;
    }

    /** The signed maximum of a and b: 2ℓ ANDs. */
    public static int[] max(CircuitBuilder c, int[] a, int[] b) {
        return mux(c, lessThanSigned(c, a, b), a, b);
    }

    /**
     * Index of the (first) signed maximum of {@code values} by a balanced tournament, as a little-endian
     * number of ⌈log2 k⌉ bits: (k-1) comparisons and muxes, about (k-1)(2ℓ + log k) ANDs.
     */
    public static int[] argmax(CircuitBuilder c, int[][] values) {
        int k = values.length;
        int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(k - 1));
        int[][] best = values.clone();
        int[][] index = new int[k][];
        for (int i = 0; i < k; i++) {
            index[i] = constant(c, i, bits);
        }
        for (int n = k; n > 1; n = (n + 1) / 2) {
            for (int i = 0; i < n / 2; i++) {
                int[] a = best[2 * i];
                int[] b = best[2 * i + 1];
                // Ties keep the left, i.e. the lower index: take b only when a < b.
                int takeB = lessThanSigned(c, a, b);
                best[i] = mux(c, takeB, a, b);
                index[i] = mux(c, takeB, index[2 * i], index[2 * i + 1]);
            }
            if (n % 2 == 1) {
                best[n / 2] = best[n - 1];
                index[n / 2] = index[n - 1];
            }
        }
        return index[0];
    }

    /** The constant {@code value} as {@code bits} wires (free). */
    public static int[] constant(CircuitBuilder c, long value, int bits) {
        int[] r = new int[bits];
        for (int i = 0; i < bits; i++) {
            r[i] = c.constant((value >>> i & 1) != 0);
        }
        return r;
    }

    /** Bitwise NOT (free). */
    public static int[] not(CircuitBuilder c, int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = c.not(a[i]);
        }
        return r;
    }

    /**
     * Ripple-carry addition with one AND per carry: c' = c ⊕ ((a ⊕ c) ∧ (b ⊕ c)). With {@code carryOut} the
     * result has ℓ+1 bits, the last being the carry out (ℓ ANDs); otherwise ℓ bits (ℓ-1 ANDs).
     */
    private static int[] addWithCarry(CircuitBuilder c, int[] a, int[] b, int carry, boolean carryOut) {
        sameWidth(a, b);
        int l = a.length;
        int[] s = new int[carryOut ? l + 1 : l];
        for (int i = 0; i < l; i++) {
            int ac = c.xor(a[i], carry);
            s[i] = c.xor(ac, b[i]);
            if (i < l - 1 || carryOut) {
                carry = c.xor(carry, c.and(ac, c.xor(b[i], carry)));
            }
        }
        if (carryOut) {
            s[l] = carry;
        }
        return s;
    }

    private static int[] flipTop(CircuitBuilder c, int[] a) {
        int[] r = a.clone();
        r[r.length - 1] = c.not(r[r.length - 1]);
        return r;
    }

    private static void sameWidth(int[] a, int[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("operands must have the same positive width, got " + a.length + " and " + b.length);
        }
    }
}
