package org.fusionmpc.ring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fusionmpc.api.random.Prg;
import org.junit.jupiter.api.Test;

/** Measures the local truncation's two error kinds over 10^6 random sharings and holds them to the Javadoc. */
class TruncationTest {

    static final int SAMPLES = 1_000_000;

    /** {large errors, off-by-more-than-one errors excluding large ones} for values with |x| < 2^k. */
    static long[] measure(int k, int f) {
        Prg prg = Prg.fromSecureRandom();
        long large = 0;
        long bad = 0;
        long[] s = new long[1];
        long[] c = new long[1];
        for (int i = 0; i < SAMPLES; i++) {
            long x = prg.nextLong() >> (64 - k - 1); // |x| < 2^k
            s[0] = prg.nextLong();
            c[0] = x - s[0];
            Truncation.server(s, f);
            Truncation.client(c, f);
            long diff = s[0] + c[0] - (x >> f);
            if (Math.abs(diff) > 1L << 20) {
                large++;
            } else if (diff != 0 && diff != 1) {
                bad++;
            }
        }
        return new long[] {large, bad};
    }

    @Test
    void inTheInferenceRangeTheResultIsOffByAtMostOne() {
        long[] e = measure(40, 12);
        // Bound 2^(40-64) = 2^-24 per value: 0.06 expected in 10^6; 3 would be 50x the bound.
        assertTrue(e[0] <= 3, "wrap-arounds: " + e[0]);
        assertTrue(e[1] == 0, "errors beyond one unit: " + e[1]);
    }

    @Test
    void wrapAroundRateFollowsTheStatedBoundForLargeValues() {
        long[] e = measure(58, 12);
        double rate = (double) e[0] / SAMPLES;
        double bound = Math.scalb(1.0, 58 - 64); // 1/64
        double expected = Math.scalb(1.0, 57 - 64); // E|x|/2^64 for x uniform in (-2^58, 2^58)
        System.out.printf("truncation: |x| < 2^58: wrap-around rate %.5f, expected %.5f, stated bound %.5f%n", rate, expected, bound);
        assertTrue(rate <= bound, "rate " + rate + " above the bound " + bound);
        assertTrue(Math.abs(rate - expected) < 0.1 * expected, "rate " + rate + " is not the predicted " + expected);
        assertTrue(e[1] == 0, "errors beyond one unit: " + e[1]);
    }
}
