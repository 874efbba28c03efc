package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class FusionOptimizerTest {

    static BigInteger choose(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }

    @Test
    void binomialTermsMatchBigIntegerArithmetic() {
        for (int n : new int[] {1, 10, 57, 300}) {
            for (int k = 0; k <= n; k += Math.max(1, n / 7)) {
                double exact = new BigDecimal(choose(n, k)).doubleValue();
                assertEquals(1.0, Math.exp(Binomials.logChoose(n, k)) / exact, 1e-10, n + " choose " + k);
            }
        }
        // P(Bin(20, 0.3) ≤ 5) exactly, from integer arithmetic on 3^i 7^(20-i) / 10^20.
        BigInteger num = BigInteger.ZERO;
        for (int i = 0; i <= 5; i++) {
            num = num.add(choose(20, i).multiply(BigInteger.valueOf(3).pow(i)).multiply(BigInteger.valueOf(7).pow(20 - i)));
        }
        double exact = new BigDecimal(num).divide(new BigDecimal(BigInteger.TEN.pow(20)), MathContext.DECIMAL64).doubleValue();
        assertEquals(exact, Binomials.cdf(20, 0.3, 5), 1e-12);
    }

    /** Enumerates every k-subset of slots for small sessions and counts the undetected ones, per the definition. */
    @Test
    void escapeProbabilityEqualsBruteForceEnumeration() {
        int[][] configs = {{1, 2, 4, 1}, {2, 2, 4, 0}, {2, 3, 5, 2}, {3, 2, 6, 3}, {1, 3, 7, 7}};
        for (int[] c : configs) {
            int q = c[0];
            int r = c[1];
            int b = c[2];
            int slack = c[3];
            int n = q * r + b;
            double worst = 0;
            for (int k = 1; k <= n; k++) {
                long escapes = 0;
                long total = 0;
                for (int mask = 0; mask < 1 << n; mask++) {
                    if (Integer.bitCount(mask) != k) {
                        continue;
                    }
                    total++;
                    // slots 0..qR-1: query i copy j at i*r + j; then public slots
                    boolean partial = false;
                    int whole = 0;
                    for (int i = 0; i < q; i++) {
                        int hits = Integer.bitCount(mask >>> (i * r) & ((1 << r) - 1));
                        partial |= hits > 0 && hits < r;
                        whole += hits == r ? 1 : 0;
                    }
                    int publicHits = Integer.bitCount(mask >>> (q * r));
                    if (!partial && whole >= 1 && publicHits <= slack) {
                        escapes++;
                    }
                }
                worst = Math.max(worst, (double) escapes / total);
            }
            assertEquals(worst, FusionOptimizer.escape(q, r, b, slack)[0], 1e-12, java.util.Arrays.toString(c));
        }
    }

    @Test
    void chosenParametersMeetEveryTargetAndOneSlotFewerDoesNot() {
        for (int q : new int[] {1, 4, 16}) {
            FusionTargets t = FusionTargets.defaults(q, 0.98);
            FusionParams p = FusionOptimizer.choose(t);
            assertTrue(p.escape() <= t.escape(), p.toString());
            assertTrue(p.falseAlarm() <= t.falseAlarm(), p.toString());
            assertTrue(p.miss() <= t.miss(), p.toString());
            assertEquals(q * p.replicas() + p.publicSlots(), p.slots());
            // No (R, B) with fewer slots meets the targets.
            for (int r = 1; r <= FusionOptimizer.MAX_REPLICAS; r++) {
                double budget = t.falseAlarm() - (double) q * r * t.honestFlip();
                for (int b = 1; q * r + b < p.slots() && budget > 0; b++) {
                    int th = FusionOptimizer.threshold(b, 0.98, budget);
                    boolean ok = Binomials.upperTail(b, 0.98 - t.shortfall(), th) <= t.miss()
                            && FusionOptimizer.escape(q, r, b, b - th)[0] <= t.escape();
                    assertTrue(!ok, "R=" + r + " B=" + b + " is cheaper than " + p);
                }
            }
            System.out.println("optimizer: " + p);
        }
    }

    @Test
    void clopperPearsonCoversTheKnownCases() {
        double[] ci = Binomials.clopperPearson(0, 10, 0.05);
        assertEquals(0, ci[0]);
        assertEquals(1 - Math.pow(0.025, 0.1), ci[1], 1e-9); // the closed form at x = 0
        ci = Binomials.clopperPearson(10, 10, 0.05);
        assertEquals(Math.pow(0.025, 0.1), ci[0], 1e-9);
        assertEquals(1, ci[1]);
    }

    /** Padding N to a bucket: sessions of 1 to 8 queries look alike in N, and every padded one still meets its targets. */
    @org.junit.jupiter.api.Test
    void paddingToABucketHidesQAndKeepsTheTargets() {
        java.util.Set<Integer> sizes = new java.util.TreeSet<>();
        for (int q = 1; q <= 8; q++) {
            FusionTargets t = FusionTargets.defaults(q, 0.97);
            FusionParams plain = FusionOptimizer.choose(t);
            FusionParams padded = FusionOptimizer.padTo(plain, 128, FusionTargets.DEFAULT_MAX_SLOTS);
            org.junit.jupiter.api.Assertions.assertTrue(padded.slots() % 128 == 0 && padded.slots() >= plain.slots(), padded.toString());
            org.junit.jupiter.api.Assertions.assertEquals(plain.replicas(), padded.replicas());
            org.junit.jupiter.api.Assertions.assertTrue(padded.escape() <= t.escape() && padded.miss() <= t.miss()
                    && padded.falseAlarm() <= t.falseAlarm(), padded.toString());
            sizes.add(padded.slots());
        }
        System.out.println("padded N for q = 1..8 at buckets of 128: " + sizes);
        org.junit.jupiter.api.Assertions.assertTrue(sizes.size() <= 3, "eight values of q fall into few sizes: " + sizes);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FusionOptimizer.padTo(FusionOptimizer.choose(FusionTargets.defaults(8, 0.97)), 4096, 2048));
    }

    /**
     * The honest-disagreement budget by engine: q·R·10^-5 of the false-alarm budget makes q = 40 infeasible at the
     * default rate on the OT engines, while on he with gc (deterministic: exact products and exact truncation) none is
     * spent and q = 40 fits.
     */
    @org.junit.jupiter.api.Test
    void aDeterministicEnginePairLeavesLargeQFeasible() {
        double flip = FusionTargets.DEFAULT_HONEST_FLIP;
        org.junit.jupiter.api.Assertions.assertEquals(0, FusionClient.honestFlip(org.fusionmpc.semihonest.LinearMode.HE,
                org.fusionmpc.semihonest.ComparisonMode.GC, flip));
        org.junit.jupiter.api.Assertions.assertEquals(flip, FusionClient.honestFlip(org.fusionmpc.semihonest.LinearMode.HE,
                org.fusionmpc.semihonest.ComparisonMode.OT, flip));
        FusionTargets probabilistic = FusionTargets.defaults(40, 0.97);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> FusionOptimizer.choose(probabilistic));
        FusionTargets exact = new FusionTargets(40, probabilistic.escape(), 0.97, probabilistic.shortfall(), probabilistic.falseAlarm(),
                probabilistic.miss(), 0);
        FusionParams p = FusionOptimizer.choose(exact);
        System.out.println("q = 40 on he+gc: " + p);
        org.junit.jupiter.api.Assertions.assertTrue(p.escape() <= exact.escape());
    }
}
