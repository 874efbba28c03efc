package org.fusionmpc.fusion;

import java.util.Locale;

/**
 * The parameters of a Fusion session and the probabilities behind them.
 *
 * @param replicas       R, copies of each private query
 * @param publicSlots    B, public samples with known labels
 * @param slots          N = qR + B
 * @param threshold      t: the session passes the accuracy check when at least t public slots are right
 * @param escape         the largest, over the number k of corrupted slots, probability that a server
 *                       corrupting k uniformly chosen slots changes a private answer undetected
 * @param worstK         the k that attains it
 * @param falseAlarm     probability that an honest server at its claimed accuracy is rejected (accuracy
 *                       check plus the honest replica-disagreement budget)
 * @param miss           probability that a model {@code shortfall} below its claim passes the accuracy check
 */
public record FusionParams(FusionTargets targets, int replicas, int publicSlots, int slots, int threshold, double escape,
                           int worstK, double falseAlarm, double miss) {

    public int queries() {
        return targets.queries();
    }

    /** Semi-honest inferences per private query: R + B/q. */
    public double costPerQuery() {
        return (double) slots / targets.queries();
    }

    /** The two-line explanation of the choice. */
    public String explain() {
        FusionTargets t = targets;
        return String.format(Locale.ROOT,
                "R = %d replicas: a server corrupting slots blindly changes a private answer undetected with probability at most 2^%.1f (worst at k = %d corrupted slots; target 2^%.1f)%n"
                        + "B = %d public samples, pass at >= %d correct: a model %.1f points below its claimed %.2f%% passes with probability %.2g, an honest one fails with probability %.2g",
                replicas, log2(escape), worstK, log2(t.escape()), publicSlots, threshold, 100 * t.shortfall(),
                100 * t.claimedAccuracy(), miss, falseAlarm);
    }

    static double log2(double p) {
        return Math.log(p) / Math.log(2);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "q=%d R=%d B=%d N=%d t=%d escape=2^%.1f falseAlarm=%.3g miss=%.3g cost/query=%.2f",
                targets.queries(), replicas, publicSlots, slots, threshold, log2(escape), falseAlarm, miss, costPerQuery());
    }
}
