package org.fusionmpc.gc;

/**
 * The non-linear layers of secure inference on additive shares over Z_2^ℓ (ℓ ≤ 64, values signed): both
 * parties call the same method with their own shares, in the same order, and get fresh shares back. Each
 * party holds one engine bound to its channel and role; the garbled-circuit engine is
 * {@link GcComparisons}, and an OT-based millionaires' engine can implement the same interface.
 *
 * <p>Shares are {@code long}s taken modulo 2^ℓ (bits above ℓ are ignored); results are in [0, 2^ℓ).
 */
public interface ComparisonEngine {

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
