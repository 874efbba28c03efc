package org.fusionmpc.fusion;

/**
 * Chooses R and B for {@link FusionTargets} by minimising N = qR + B subject to three exact conditions:
 *
 * <ol>
 *   <li><b>Accuracy check.</b> With X ~ Binomial(B, a) correct public answers from an honest server at its
 *       claimed accuracy a, the threshold t is the largest with P(X &lt; t) ≤ α - qRδ (the false-alarm budget
 *       minus the honest replica-disagreement budget); a model d below its claim must pass with
 *       P(Binomial(B, a - d) ≥ t) ≤ β.</li>
 *   <li><b>Blind corruption.</b> The server cannot tell slots apart, so corrupting k slots hits a uniformly
 *       random k-subset of the N. It changes a private answer undetected only if the private slots it hits
 *       form j ≥ 1 whole replica groups (any partly hit group shows an inconsistency) and it hits at most
 *       s = B - t public slots (conservatively, as if the model were right on every public slot, so the
 *       accuracy check's whole slack is the server's to spend):
 *       P_k = Σ_j C(q, j)·C(B, k - jR) / C(N, k) over 0 ≤ k - jR ≤ s. The escape probability is max_k P_k
 *       and must be ≤ ε.</li>
 * </ol>
 *
 * Every probability is a sum of exact terms ({@link Binomials}); nothing is approximated by a normal law.
 */
public final class FusionOptimizer {

    static final int MAX_REPLICAS = 16;
    static final int MAX_PUBLIC = 20_000;

    private FusionOptimizer() {
    }

    public static FusionParams choose(FusionTargets t) {
        return choose(t, MAX_PUBLIC + MAX_REPLICAS * t.queries());
    }

    /**
     * The cheapest parameters with N ≤ {@code maxSlots}. The search is over at most 16·maxSlots pairs (R, B), each
     * O(B) in exact terms, and a closed-form bound skips an R before its B are scanned; it refuses rather than search
     * past the cap.
     */
    public static FusionParams choose(FusionTargets t, int maxSlots) {
        if (maxSlots < 1) {
            throw new IllegalArgumentException("the cap on slots must be positive, got " + maxSlots);
        }
        FusionParams best = null;
        // From many replicas down: the first feasible N bounds the search for every smaller R.
        for (int r = MAX_REPLICAS; r >= 1; r--) {
            double budget = t.falseAlarm() - (double) t.queries() * r * t.honestFlip();
            if (budget <= 0) {
                continue;
            }
            long fixed = (long) t.queries() * r;
            int limit = (int) Math.min(best == null ? MAX_PUBLIC : best.slots() - fixed, Math.min(MAX_PUBLIC, maxSlots - fixed));
            // Even with no slack, one whole group escapes with q / C(N, R): skip an R that cannot reach ε.
            double floor = Math.log(t.queries()) - Binomials.logChoose(t.queries() * r + Math.max(limit, 1), r);
            if (limit < 1 || floor > Math.log(t.escape())) {
                continue;
            }
            for (int b = 1; b <= limit; b++) {
                int threshold = threshold(b, t.claimedAccuracy(), budget);
                double miss = Binomials.upperTail(b, t.claimedAccuracy() - t.shortfall(), threshold);
                if (miss > t.miss()) {
                    continue;
                }
                double[] esc = escape(t.queries(), r, b, b - threshold);
                if (esc[0] > t.escape()) {
                    continue;
                }
                int n = t.queries() * r + b;
                if (best == null || n <= best.slots()) { // ties go to fewer replicas: more public checks
                    double fa = Binomials.cdf(b, t.claimedAccuracy(), threshold - 1) + (double) t.queries() * r * t.honestFlip();
                    best = new FusionParams(t, r, b, n, threshold, esc[0], (int) esc[1], fa, miss);
                }
                break; // a larger B with the same R only costs more
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no R ≤ " + MAX_REPLICAS + " and B ≤ " + MAX_PUBLIC + " with N ≤ " + maxSlots + " meet " + t);
        }
        return best;
    }

    /**
     * {@code p} with extra public slots so that N is a multiple of {@code bucket}: the server sees N, and N = qR + B
     * otherwise tells it q. Adding public slots never hurts the client, but the threshold, escape, false-alarm and miss
     * probabilities are recomputed exactly for the new B (they are not monotone in B, by discreteness); if the
     * padded N misses a target, the next multiple is tried, and N stays at most {@code maxSlots}.
     */
    public static FusionParams padTo(FusionParams p, int bucket, int maxSlots) {
        if (bucket < 1) {
            throw new IllegalArgumentException("the slot bucket must be positive, got " + bucket);
        }
        FusionTargets t = p.targets();
        int r = p.replicas();
        double budget = t.falseAlarm() - (double) t.queries() * r * t.honestFlip();
        for (long n = ((long) p.slots() + bucket - 1) / bucket * bucket; n <= maxSlots; n += bucket) {
            int b = (int) (n - (long) t.queries() * r);
            int threshold = threshold(b, t.claimedAccuracy(), budget);
            double miss = Binomials.upperTail(b, t.claimedAccuracy() - t.shortfall(), threshold);
            double[] esc = escape(t.queries(), r, b, b - threshold);
            if (miss <= t.miss() && esc[0] <= t.escape()) {
                double fa = Binomials.cdf(b, t.claimedAccuracy(), threshold - 1) + (double) t.queries() * r * t.honestFlip();
                return new FusionParams(t, r, b, (int) n, threshold, esc[0], (int) esc[1], fa, miss);
            }
        }
        throw new IllegalArgumentException("no multiple of " + bucket + " slots up to " + maxSlots + " meets the targets for " + p);
    }

    /** The largest t with P(Binomial(b, a) < t) ≤ budget. */
    static int threshold(int b, double a, double budget) {
        double below = 0; // P(X < t) for the current t
        int t = 0;
        while (t < b) {
            double next = below + Binomials.pmf(b, a, t);
            if (next > budget) {
                break;
            }
            below = next;
            t++;
        }
        return t;
    }

    /** {max_k P_k, argmax k} for q queries, R replicas, B public slots and slack s (see the class comment). */
    static double[] escape(int q, int r, int b, int slack) {
        int n = q * r + b;
        double worst = 0;
        int worstK = r;
        int maxK = q * r + Math.min(slack, b);
        for (int k = r; k <= maxK; k++) {
            double logTotal = Binomials.logChoose(n, k);
            double p = 0;
            for (int j = 1; j <= q && j * r <= k; j++) {
                int m = k - j * r;
                if (m <= Math.min(slack, b)) {
                    p += Math.exp(Binomials.logChoose(q, j) + Binomials.logChoose(b, m) - logTotal);
                }
            }
            if (p > worst) {
                worst = p;
                worstK = k;
            }
        }
        return new double[] {worst, worstK};
    }

    /**
     * Probability that corrupting {@code k} uniform slots is detected when the honest model answers public
     * slots right with probability {@code publicAccuracy} and a corrupted public slot is wrong: 1 minus the
     * chance that all private hits are whole replica groups and the public slots still pass the threshold.
     */
    public static double detectCorruption(FusionParams p, int k, double publicAccuracy) {
        int q = p.queries();
        int r = p.replicas();
        int b = p.publicSlots();
        double logTotal = Binomials.logChoose(p.slots(), k);
        double pass = 0;
        for (int j = 0; j <= q && j * r <= k; j++) {
            int m = k - j * r;
            if (m > b) {
                continue;
            }
            double where = Math.exp(Binomials.logChoose(q, j) + Binomials.logChoose(b, m) - logTotal);
            pass += where * Binomials.upperTail(b - m, publicAccuracy, p.threshold());
        }
        return 1 - pass;
    }

    /** Probability that a model whose public answers are right with probability {@code accuracy} fails the accuracy check. */
    public static double detectAccuracy(FusionParams p, double accuracy) {
        return Binomials.cdf(p.publicSlots(), accuracy, p.threshold() - 1);
    }

    /**
     * The frequency p at which an input-dependent deviation (changing the answer only for inputs of one kind,
     * a fraction p of all inputs) is detected with probability one half: below it, such a deviation mostly
     * slips under the accuracy threshold's slack. Assumes the changed answers were right before.
     */
    public static double halfDetectionFrequency(FusionParams p) {
        double a = p.targets().claimedAccuracy();
        double lo = 0;
        double hi = a;
        for (int i = 0; i < 50; i++) {
            double mid = (lo + hi) / 2;
            if (detectAccuracy(p, a - mid) < 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /**
     * The predicted probability that a session rejects when the server corrupts {@code k} uniformly chosen
     * slots (k = N: every slot). {@code consistent.applyAsDouble(h)} is the probability that a query with h
     * corrupted replicas still shows R equal answers; public slots are right with probability
     * {@code honestAccuracy} when untouched and {@code corruptAccuracy} when corrupted. Exact: a sum over how
     * many private and public slots the k hit (multivariate hypergeometric, by a convolution over the q
     * replica groups) of the chance both checks pass.
     */
    public static double detect(FusionParams p, int k, java.util.function.IntToDoubleFunction consistent,
                                double honestAccuracy, double corruptAccuracy) {
        int q = p.queries();
        int r = p.replicas();
        int b = p.publicSlots();
        // w[h] = Σ over hit patterns of the q groups with h private hits of Π C(R, h_i)·consistent(h_i)
        double[] w = new double[q * r + 1];
        w[0] = 1;
        for (int g = 0; g < q; g++) {
            double[] next = new double[w.length];
            for (int h = 0; h < w.length; h++) {
                if (w[h] == 0) {
                    continue;
                }
                for (int x = 0; x <= r && h + x < w.length; x++) {
                    next[h + x] += w[h] * Math.exp(Binomials.logChoose(r, x)) * consistent.applyAsDouble(x);
                }
            }
            w = next;
        }
        double logTotal = Binomials.logChoose(p.slots(), k);
        double pass = 0;
        for (int h = 0; h <= Math.min(k, q * r); h++) {
            int m = k - h;
            if (m > b || w[h] == 0) {
                continue;
            }
            double where = w[h] * Math.exp(Binomials.logChoose(b, m) - logTotal);
            pass += where * sumAtLeast(b - m, honestAccuracy, m, corruptAccuracy, p.threshold());
        }
        return 1 - pass;
    }

    /** P(Bin(n1, p1) + Bin(n2, p2) ≥ t), by convolution. */
    static double sumAtLeast(int n1, double p1, int n2, double p2, int t) {
        double s = 0;
        for (int i = 0; i <= n2; i++) {
            double pi = Binomials.pmf(n2, p2, i);
            if (pi > 0) {
                s += pi * Binomials.upperTail(n1, p1, t - i);
            }
        }
        return Math.min(1, s);
    }
}
