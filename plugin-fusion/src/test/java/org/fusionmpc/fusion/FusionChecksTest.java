package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fusionmpc.semihonest.InferenceResult;
import org.junit.jupiter.api.Test;

/**
 * The client's checks at their boundaries, exactly rather than statistically: changing any one replica of any query
 * rejects, exactly t right public answers pass and t - 1 do not, a label that is no class rejects. Each property is
 * run against the real checks and against mutants of them (a consistency check that ignores the last replica, a
 * threshold off by one either way, no range check); the real checks must pass every property and each mutant must
 * fail one, so these properties are strong enough to notice the mistakes they are about. Also the detection
 * probabilities the statistical harness predicts, against an independent calculation.
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
     * The harness's predictions ({@link FusionOptimizer#detect}, a convolution over replica groups and binomial tails)
     * against an independent calculation: every k-subset of the slots listed, each group's chance to stay consistent
     * multiplied in, and the public tail from a slot-by-slot dynamic programme, with no shared code. (The escape
     * probability has its own enumeration in {@code FusionOptimizerTest}.)
     */
    @Test
    void theHarnessPredictionsMatchAnIndependentCalculation() {
        int[][] cases = {{2, 3, 6, 4}, {1, 4, 8, 6}, {3, 2, 7, 5}};
        java.util.function.IntToDoubleFunction consistent = h -> h == 0 ? 1 : Math.pow(0.1, h);
        double honestAcc = 0.9;
        double corruptAcc = 0.2;
        for (int[] c : cases) {
            int q = c[0];
            int r = c[1];
            int b = c[2];
            int t = c[3];
            int n = q * r + b;
            FusionTargets targets = FusionTargets.defaults(q, 0.9);
            FusionParams p = new FusionParams(targets, r, b, n, t, 0, 0, 0, 0);
            for (int k = 0; k <= n; k++) {
                double pass = 0;
                long total = 0;
                for (long set = 0; set < 1L << n; set++) {
                    if (Long.bitCount(set) != k) {
                        continue;
                    }
                    total++;
                    double consistentAll = 1;
                    for (int i = 0; i < q; i++) {
                        consistentAll *= consistent.applyAsDouble(Long.bitCount(set >>> (i * r) & ((1L << r) - 1)));
                    }
                    // Public slots right: a distribution built slot by slot.
                    double[] dist = {1};
                    for (int j = 0; j < b; j++) {
                        double a = (set >>> (q * r + j) & 1) != 0 ? corruptAcc : honestAcc;
                        double[] next = new double[dist.length + 1];
                        for (int x = 0; x < dist.length; x++) {
                            next[x] += dist[x] * (1 - a);
                            next[x + 1] += dist[x] * a;
                        }
                        dist = next;
                    }
                    double tail = 0;
                    for (int x = t; x < dist.length; x++) {
                        tail += dist[x];
                    }
                    pass += consistentAll * tail;
                }
                double independent = 1 - pass / total;
                double predicted = FusionOptimizer.detect(p, k, consistent, honestAcc, corruptAcc);
                assertEquals(independent, predicted, 1e-9, "q=" + q + " R=" + r + " B=" + b + " t=" + t + " k=" + k);
            }
        }
    }
}
