package org.fusionmpc.ring;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedPointTest {

    @Test
    void encodeDecodeRoundsToTheNearestStep() {
        FixedPoint fp = FixedPoint.defaults();
        assertEquals(4096, fp.encode(1.0));
        assertEquals(-6144, fp.encode(-1.5));
        assertEquals(0, fp.encode(1e-5));
        assertEquals(0.25, fp.decode(fp.encode(0.25)));
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            double x = (r.nextDouble() - 0.5) * 1e6;
            assertTrue(Math.abs(fp.decode(fp.encode(x)) - x) <= 0.5 / 4096 + 1e-9);
        }
    }

    @Test
    void valuesOutsideTheRangeAreClearErrors() {
        FixedPoint fp = FixedPoint.defaults();
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0x1p52, -0x1p52}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fp.encode(bad));
            assertTrue(e.getMessage().contains(Double.toString(bad)), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fp.encode(new double[] {1, 2, Double.NaN}));
        assertTrue(e.getMessage().startsWith("element 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FixedPoint(41));
    }

    /** A fixed-point dense layer through the secure engine and truncation, against a double-precision reference. */
    @Test
    void fixedPointLayerIsWithinItsBoundOfDoublePrecision() throws Exception {
        FixedPoint fp = FixedPoint.defaults();
        int m = 32;
        int n = 100;
        SplittableRandom r = new SplittableRandom(2);
        double[] w = new double[m * n];
        double[] x = new double[n];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble() * 4 - 2;
        }
        LinearOperator op = LinearOperator.dense(fp.encode(w), m, n);
        long[] xe = fp.encode(x);
        long[] xs = r.longs(n).toArray();
        long[] xc = new long[n];
        for (int i = 0; i < n; i++) {
            xc[i] = xe[i] - xs[i];
        }
        Object[] got = TwoParties.IN_MEMORY.run(ch -> {
            long[] y = OtLinearEngine.server(ch).server(op, xs, 1);
            Truncation.server(y, fp.fractionBits());
            return y;
        }, ch -> {
            long[] y = OtLinearEngine.client(ch).client(op.shape(), xc, 1);
            Truncation.client(y, fp.fractionBits());
            return y;
        });
        for (int o = 0; o < m; o++) {
            double want = 0;
            for (int k = 0; k < n; k++) {
                want += w[o * n + k] * x[k];
            }
            double y = fp.decode(((long[]) got[0])[o] + ((long[]) got[1])[o]);
            // Each product carries the two encodings' rounding (≤ |w|/2^13 + |x|/2^13) plus one truncation step.
            double bound = n * (1.0 + 2.0) / 8192 + 2.0 / 4096;
            assertEquals(want, y, bound, "output " + o);
        }
    }
}
