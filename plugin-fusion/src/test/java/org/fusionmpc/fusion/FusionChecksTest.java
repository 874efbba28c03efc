package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.fusionmpc.semihonest.InferenceResult;
import org.junit.jupiter.api.Test;

/**
 * The client's checks at their boundaries, exactly rather than statistically: changing any one replica of any query
 * rejects, exactly t right public answers pass and t - 1 do not, a label that is no class rejects. Each property is
 * run against the real checks and against mutants of them (a consistency check that ignores the last replica, a
 * threshold off by one either way, no range check); the real checks must pass every property and each mutant must
 * fail one, so these properties are strong enough to notice the mistakes they are about. Also the escape
 * probability the optimizer computes, against an independent count over every corrupted subset.
 */
class FusionChecksTest {

    /** What a client's checks decide for a session. */
    interface Checker {
        boolean accepts(FusionParams p, SlotLayout layout, int[] slotLabels, int[] truth);
    }

    static final Checker REAL = (p, layout, labels, truth) -> FusionChecks.check(p, layout, labels, truth, 0, 0, 0, "m").accepted();

    /** A re-implementation of the checks with one mistake each. */
    static Checker mutant(boolean dropLastReplica, int thresholdShift, boolean noRangeCheck) {
        return (p, layout, labels, truth) -> {
            for (int i = 0; i < p.queries(); i++) {
                int first = labels[layout.replicaSlot(i, 0)];
                for (int c = 1; c < p.replicas() - (dropLastReplica ? 1 : 0); c++) {
                    if (labels[layout.replicaSlot(i, c)] != first) {
                        return false;
                    }
                }
            }
            if (!noRangeCheck) {
                for (int l : labels) {
                    if (l == InferenceResult.NO_CLASS) {
                        return false;
                    }
                }
            }
            int right = 0;
            for (int j = 0; j < p.publicSlots(); j++) {
                right += labels[layout.publicSlot(j)] == truth[j] ? 1 : 0;
            }
            return right >= p.threshold() + thresholdShift;
        };
    }

    static final FusionParams P = FusionOptimizer.choose(new FusionTargets(3, FusionTargets.DEFAULT_ESCAPE, 0.97, 0.1, 0.01, 0.05, 0));

    /** True when the checker passes every boundary property, on many layouts. */
    static boolean passesEveryProperty(Checker checker) {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 50; trial++) {
            SlotLayout layout = SlotLayout.draw(P.queries(), P.replicas(), P.publicSlots(), 500, r::nextInt);
            int[] truth = new int[P.publicSlots()];
            int[] labels = new int[P.slots()];
            for (int j = 0; j < truth.length; j++) {
                truth[j] = r.nextInt(10);
                labels[layout.publicSlot(j)] = truth[j];
            }
            for (int i = 0; i < P.queries(); i++) {
                int answer = r.nextInt(10);
                for (int c = 0; c < P.replicas(); c++) {
                    labels[layout.replicaSlot(i, c)] = answer;
                }
            }
            if (!checker.accepts(P, layout, labels, truth)) {
                return false; // everything consistent and right must pass
            }
            // Any one replica changed: reject.
            for (int i = 0; i < P.queries(); i++) {
                for (int c = 0; c < P.replicas(); c++) {
                    int slot = layout.replicaSlot(i, c);
                    int keep = labels[slot];
                    labels[slot] = (keep + 1) % 10;
                    boolean accepted = checker.accepts(P, layout, labels, truth);
                    labels[slot] = keep;
                    if (accepted) {
                        return false;
                    }
                }
            }
            // Exactly t right passes, t - 1 does not.
            int[] atThreshold = labels.clone();
            for (int j = 0; j < P.publicSlots() - P.threshold(); j++) {
                atThreshold[layout.publicSlot(j)] = (truth[j] + 1) % 10;
            }
            if (!checker.accepts(P, layout, atThreshold, truth)) {
                return false;
            }
            atThreshold[layout.publicSlot(P.publicSlots() - P.threshold())] = (truth[P.publicSlots() - P.threshold()] + 1) % 10;
            if (checker.accepts(P, layout, atThreshold, truth)) {
                return false;
            }
            // Every replica of a query decoded to no class: consistent, but no answer.
            int[] noClass = labels.clone();
            for (int c = 0; c < P.replicas(); c++) {
                noClass[layout.replicaSlot(0, c)] = InferenceResult.NO_CLASS;
            }
            if (checker.accepts(P, layout, noClass, truth)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void theRealChecksPassEveryBoundaryProperty() {
        assertTrue(P.threshold() < P.publicSlots(), "the parameters leave slack: " + P);
        assertTrue(passesEveryProperty(REAL));
        assertTrue(passesEveryProperty(mutant(false, 0, false)), "the faithful re-implementation agrees");
    }

    @Test
    void everyMutantOfTheChecksFailsAProperty() {
        assertFalse(passesEveryProperty(mutant(true, 0, false)), "a consistency check that ignores the last replica");
        assertFalse(passesEveryProperty(mutant(false, -1, false)), "a threshold one too low");
        assertFalse(passesEveryProperty(mutant(false, 1, false)), "a threshold one too high");
        assertFalse(passesEveryProperty(mutant(false, 0, true)), "no range check");
    }

    /**
     * The optimizer's escape probability P_k (blind corruption of k slots escapes when it hits whole replica groups
     * and at most s public slots) against a count over every k-subset of the N slots in exact integers, for small
     * sessions where the subsets can be listed.
     */
    @Test
    void theEscapeProbabilityMatchesACountOverEverySubset() {
        int[][] cases = {{2, 3, 6, 1}, {3, 2, 5, 0}, {1, 4, 9, 2}, {2, 2, 10, 3}};
        for (int[] c : cases) {
            int q = c[0];
            int r = c[1];
            int b = c[2];
            int slack = c[3];
            int n = q * r + b;
            for (int k = 1; k <= n; k++) {
                long escaping = 0;
                long total = 0;
                for (long set = 0; set < 1L << n; set++) {
                    if (Long.bitCount(set) != k) {
                        continue;
                    }
                    total++;
                    // Slots 0..qR-1 are the replicas, group i at i·R..i·R+R-1; the rest public.
                    int whole = 0;
                    boolean partial = false;
                    for (int i = 0; i < q; i++) {
                        int hits = Long.bitCount(set >>> (i * r) & ((1L << r) - 1));
                        whole += hits == r ? 1 : 0;
                        partial |= hits > 0 && hits < r;
                    }
                    int publicHits = Long.bitCount(set >>> (q * r));
                    escaping += whole >= 1 && !partial && publicHits <= slack ? 1 : 0;
                }
                double counted = new java.math.BigDecimal(BigInteger.valueOf(escaping))
                        .divide(new java.math.BigDecimal(BigInteger.valueOf(total)), java.math.MathContext.DECIMAL64).doubleValue();
                double optimizer = pk(q, r, b, slack, k);
                assertEquals(counted, optimizer, 1e-12 + 1e-9 * counted, "q=" + q + " R=" + r + " B=" + b + " s=" + slack + " k=" + k);
            }
            double worst = 0;
            for (int k = 1; k <= n; k++) {
                worst = Math.max(worst, pk(q, r, b, slack, k));
            }
            assertEquals(worst, FusionOptimizer.escape(q, r, b, slack)[0], 1e-12);
        }
    }

    /** P_k from the optimizer's formula for one k (the optimizer reports the maximum over k). */
    static double pk(int q, int r, int b, int slack, int k) {
        double logTotal = Binomials.logChoose(q * r + b, k);
        double p = 0;
        for (int j = 1; j <= q && j * r <= k; j++) {
            int m = k - j * r;
            if (m <= Math.min(slack, b)) {
                p += Math.exp(Binomials.logChoose(q, j) + Binomials.logChoose(b, m) - logTotal);
            }
        }
        return p;
    }
}
