package org.fusionmpc.he;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.LinearShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PreparedWeightsTest {

    static final long MASK = HeLinearEngineTest.MASK;
    static final int L = HeLinearEngineTest.L;

    /** Every pair's prepared polynomial is the one the engine would compute on the fly, and zero pairs are dropped. */
    @Test
    void preparedPolynomialsEqualTheOnesComputedPerSession() {
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        for (int[] g : HeLinearEngineTest.SHAPES) {
            LinearOperator op = HeLinearEngineTest.operator(g, new SplittableRandom(java.util.Arrays.hashCode(g)));
            PreparedWeights prepared = PreparedWeights.prepare(op, 2);
            HeLinearEngine.Plan plan = HeLinearEngine.Plan.of(ring.n(), op.shape(), op.weights());
            int pairs = 0;
            for (int o = 0; o < plan.outputPolys(); o++) {
                for (int j = 0; j < plan.inputPolys(); j++) {
                    if (!plan.couples(o, j)) {
                        assertNull(plan.weights(o, j), "a pair the shape does not couple has no weights");
                        continue;
                    }
                    long[] w = plan.weights(o, j);
                    long[][] got = prepared.weights(o, j);
                    String at = java.util.Arrays.toString(g) + " pair " + o + "," + j;
                    if (java.util.Arrays.stream(w).allMatch(v -> v == 0)) {
                        assertNull(got, at);
                    } else {
                        pairs++;
                        assertTrue(java.util.Arrays.deepEquals(HeLinearEngine.montgomeryNtt(ring, ring.fromSigned(w).limbs), got), at);
                    }
                }
            }
            assertTrue(pairs > 0);
            assertTrue(prepared.bytes() <= PreparedWeights.bytes(op.shape()), "the estimate bounds what is held");
            if (plan.weightStride() > 1 || plan.constantWeights()) {
                assertEquals(0, prepared.bytes(), "polynomials in X^S are transformed per session, not held");
                assertEquals(0, PreparedWeights.bytes(op.shape()));
            } else {
                assertTrue(prepared.bytes() >= (long) Math.min(pairs, plan.weightKeys()) / Math.max(1, plan.outputGroup()) * ring.limbs() * ring.n() * 8);
            }
        }
    }

    /** A grouped convolution's zero blocks cost nothing: the estimate counts only the pairs the shape couples. */
    @Test
    void theEstimateSkipsPairsTheShapeNeverCouples() {
        LinearShape depthwise = LinearShape.conv2d(64, 16, 16, 64, 3, 3, 1, 1, 64);
        LinearShape full = LinearShape.conv2d(64, 16, 16, 64, 3, 3, 1, 1, 1);
        assertTrue(0 < PreparedWeights.bytes(depthwise) && PreparedWeights.bytes(depthwise) < PreparedWeights.bytes(full));
    }

    /**
     * One server's prepared weights serve three sessions, in memory and over TCP, each with its own input and
     * keys: every session's shares add up to W·x, as a server that prepares nothing gives.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TwoParties.class)
    void threeSessionsShareOnePreparationAndAgreeWithAFreshServer(TwoParties parties) throws Exception {
        int[] g = {16, 12, 12, 16, 5, 5, 1, 0, 1};
        SplittableRandom r = new SplittableRandom(11);
        LinearOperator op = HeLinearEngineTest.operator(g, r);
        LinearShape shape = op.shape();
        PreparedWeights prepared = PreparedWeights.prepare(op, 1);
        int batch = 2;
        for (int session = 0; session < 3; session++) {
            long[] x = r.longs((long) shape.inputs() * batch).map(v -> v & MASK).toArray();
            if (session == 1) {
                java.util.Arrays.fill(x, MASK); // all -1
            }
            long[] xs = r.longs(x.length).map(v -> v & MASK).toArray();
            long[] xc = new long[x.length];
            for (int i = 0; i < x.length; i++) {
                xc[i] = (x[i] - xs[i]) & MASK;
            }
            long[] want = op.apply(x, batch);
            for (boolean usePrepared : new boolean[] {true, false}) {
                Object[] got = parties.run(ch -> usePrepared ? HeLinearEngine.server(ch, L).server(prepared, xs, batch)
                        : HeLinearEngine.server(ch, L).server(op, xs, batch), ch -> HeLinearEngine.client(ch, L).client(shape, xc, batch));
                long[] ys = (long[]) got[0];
                long[] yc = (long[]) got[1];
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i] & MASK, (ys[i] + yc[i]) & MASK, "session " + session + " prepared=" + usePrepared + " output " + i);
                }
            }
        }
    }
}
