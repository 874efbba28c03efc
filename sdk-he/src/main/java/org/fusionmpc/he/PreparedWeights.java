package org.fusionmpc.he;

import java.util.concurrent.atomic.AtomicInteger;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.LinearShape;

/**
 * One layer's weights as the RLWE engine's server multiplies by them: every (output polynomial, input
 * polynomial) pair's weight polynomial in Cheetah's encoding, in the evaluation domain of each prime and in
 * Montgomery form. A server prepares them once when it loads a model ({@link #prepare}) and every session and
 * slot reads them (immutable after construction, so sharing across threads needs no locking); without them each
 * session encodes and transforms every weight polynomial again, which for a convolution costs more than the
 * products themselves (one NTT per prime per pair against two pointwise products).
 *
 * <p>The price is memory: a distinct weight polynomial takes N·(number of primes)·8 bytes however few weights it
 * holds, e.g. 64 KB for a 3×3 convolution's block of 16 channels at 14×14 (a filter's row tiles share theirs; a
 * 1×1 convolution's polynomials are polynomials in X^S, cheap to transform in every session, and are not held). {@link #bytes(LinearShape)} says how much before anything
 * is allocated, so a server can prepare only what fits.
 */
public final class PreparedWeights {

    private final HeLinearEngine.Plan plan;
    private final long[][][] pairs; // [weight key][limb][coefficient], null where the weights are zero
    private final int n;
    private final long bytes;

    private PreparedWeights(HeLinearEngine.Plan plan, long[][][] pairs, int n, long bytes) {
        this.plan = plan;
        this.pairs = pairs;
        this.n = n;
        this.bytes = bytes;
    }

    /** Encodes and transforms the weights of {@code op} for the standard ring, on {@code threads} threads. */
    public static PreparedWeights prepare(LinearOperator op, int threads) {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1..64, got " + threads);
        }
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        HeLinearEngine.Plan plan = HeLinearEngine.Plan.of(ring.n(), op.shape(), op.weights());
        if (plan.constantWeights() || plan.weightStride() > 1) {
            return new PreparedWeights(plan, null, ring.n(), 0);
        }
        int[][] firstPair = firstPairs(plan);
        long[][][] pairs = new long[plan.weightKeys()][][];
        AtomicInteger next = new AtomicInteger();
        long[] held = new long[threads];
        // Keys are handed out one at a time, so the threads stay busy whatever the layer's shape.
        org.fusionmpc.api.concurrent.Lanes.run(threads, t -> {
            for (int key = next.getAndIncrement(); key < pairs.length; key = next.getAndIncrement()) {
                int[] pair = firstPair[key];
                if (pair != null) {
                    pairs[key] = HeLinearEngine.weightNtt(ring, plan.weights(pair[0], pair[1]));
                    held[t] += pairs[key] == null ? 0 : pairBytes(ring);
                }
            }
        });
        long total = 0;
        for (long h : held) {
            total += h;
        }
        return new PreparedWeights(plan, pairs, ring.n(), total);
    }

    /**
     * An upper bound on what {@link #prepare} holds for a layer of this shape, from the shape alone: one polynomial
     * per pair the shape couples (zero weights take less).
     */
    public static long bytes(LinearShape shape) {
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        HeLinearEngine.Plan plan = HeLinearEngine.Plan.of(ring.n(), shape, null);
        if (plan.constantWeights() || plan.weightStride() > 1) {
            return 0;
        }
        long count = 0;
        for (int[] pair : firstPairs(plan)) {
            count += pair == null ? 0 : 1;
        }
        return count * pairBytes(ring);
    }

    /** For each weight key, one coupled pair {o, j} that has it, or null when no pair does. */
    private static int[][] firstPairs(HeLinearEngine.Plan plan) {
        int[][] first = new int[plan.weightKeys()][];
        for (int o = 0; o < plan.outputPolys(); o++) {
            for (int j = 0; j < plan.inputPolys(); j++) {
                if (plan.couples(o, j)) {
                    int key = plan.weightKey(o, j);
                    if (first[key] == null) {
                        first[key] = new int[] {o, j};
                    }
                }
            }
        }
        return first;
    }

    private static long pairBytes(RnsPoly.Ring ring) {
        return (long) ring.limbs() * (ring.n() * Long.BYTES + 16) + 16; // the limbs plus array headers
    }

    /** The heap these prepared weights hold. */
    public long bytes() {
        return bytes;
    }

    /** The shape of the layer they belong to. */
    public LinearShape shape() {
        return plan.shape;
    }

    HeLinearEngine.Plan plan() {
        return plan;
    }

    int ring() {
        return n;
    }

    long[][] weights(int o, int j) {
        // Polynomials in X^stride (constants among them) are not held: their transform costs about one pointwise
        // product, less than the memory they would take.
        return pairs == null ? HeLinearEngine.weightNtt(SecretKeyRlwe.standard(), plan.weights(o, j), plan.weightStride())
                : pairs[plan.weightKey(o, j)];
    }
}
