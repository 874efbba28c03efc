package org.fusionmpc.gc;

/**
 * The non-linear layers of secure inference on additive shares over Z_2^ℓ (ℓ ≤ 64, values signed): both
 * parties call the same method with their own shares, in the same order, and get fresh shares back. Each
 * party holds one engine bound to its channel and role; the garbled-circuit engine is
 * {@link GcComparisons}, and an OT-based millionaires' engine can implement the same interface.
 *
 * <p>Shares are {@code long}s taken modulo 2^ℓ (bits above ℓ are ignored); results are in [0, 2^ℓ). Comparisons give
 * XOR shares of one bit per element (0 or 1 in each {@code long}: the bit is the XOR of the two parties' values),
 * which {@link #bitsToArithmetic} turns into additive shares and which open by exchanging and XORing them.
 */
public interface ComparisonEngine {

    /** Whether this party is the server (the garbler, the first party of the comparisons' OTs). */
    boolean isServer();

    /**
     * XOR shares of [x ≥ 0] for each signed ℓ-bit shared x: DReLU, the complement of x's sign bit. One comparison
     * per element.
     */
    long[] drelu(long[] share, int bits);

    /** Additive shares over Z_2^ℓ of bits held as XOR shares (B2A). */
    long[] bitsToArithmetic(long[] bitShares, int bits);

    /**
     * XOR shares of [x &lt; y] element-wise for signed ℓ-bit shared x and y whose difference x − y also lies in the
     * signed ℓ-bit range (e.g. both below 2^(ℓ−2) in magnitude); otherwise the difference wraps and the answer is
     * wrong. One DReLU per element, of the local difference.
     */
    default long[] lessThan(long[] x, long[] y, int bits) {
        long[] d = drelu(difference(x, y, bits), bits); // [x − y ≥ 0]
        return negate(d);
    }

    /** XOR shares of [x &gt; y], under {@link #lessThan}'s range condition. */
    default long[] greaterThan(long[] x, long[] y, int bits) {
        return lessThan(y, x, bits);
    }

    /** XOR shares of [x ≥ y], under {@link #lessThan}'s range condition. */
    default long[] greaterOrEqual(long[] x, long[] y, int bits) {
        return drelu(difference(x, y, bits), bits);
    }

    /**
     * XOR shares of [x = y], under {@link #lessThan}'s range condition: with d = x − y, [d ≥ 0] ⊕ [−d ≥ 0] is 1
     * exactly when d ≠ 0, so [x = y] is its complement, two DReLUs (in one batch) and no AND.
     */
    default long[] equal(long[] x, long[] y, int bits) {
        long[] d = difference(x, y, bits);
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        long[] both = java.util.Arrays.copyOf(d, 2 * d.length);
        for (int i = 0; i < d.length; i++) {
            both[d.length + i] = -d[i] & m;
        }
        long[] s = drelu(both, bits);
        long[] eq = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            eq[i] = s[i] ^ s[d.length + i];
        }
        return negate(eq);
    }

    /** The element-wise difference of two shared vectors, local. */
    private static long[] difference(long[] x, long[] y, int bits) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("compares " + x.length + " values with " + y.length);
        }
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        long[] d = new long[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (x[i] - y[i]) & m;
        }
        return d;
    }

    /** XOR shares of the complement: the server flips its share, the client keeps its own. */
    private long[] negate(long[] bitShares) {
        long flip = isServer() ? 1 : 0;
        long[] out = new long[bitShares.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = bitShares[i] ^ flip;
        }
        return out;
    }

    /** Shares of ReLU(x) for each element x of the shared vector. */
    default long[] relu(long[] share, int bits) {
        return relu(share, bits, 0);
    }

    /**
     * Shares of ⌊ReLU(x)/2^shift⌋: the exact truncation of a fixed-point product fused into its ReLU, so shares
     * narrower than 64 bits (where local truncation fails too often) can carry the computation.
     */
    long[] relu(long[] share, int bits, int shift);

    /** Shares of ⌊x/2^shift⌋ for signed x: exact truncation where no ReLU or max-pool follows to carry it. */
    long[] truncate(long[] share, int bits, int shift);

    /**
     * Shares of the maximum of each group of {@code window} consecutive elements (the caller lays out the
     * pooling windows); {@code share.length} must be a multiple of {@code window}.
     */
    default long[] maxPool(long[] share, int window, int bits) {
        return maxPool(share, window, bits, 0);
    }

    /** Shares of ⌊max/2^shift⌋ of each group (signed, arithmetic shift). */
    long[] maxPool(long[] share, int window, int bits, int shift);

    /**
     * Index of the first maximum of each group of {@code groupSize} consecutive elements, revealed to the
     * client only; the server gets an array of -1 (it learns nothing).
     */
    int[] argmax(long[] share, int groupSize, int bits);
}
