package org.fusionmpc.fusion;

/**
 * What the client wants from a Fusion session, from which {@link FusionOptimizer} picks R and B.
 *
 * @param queries         q, private queries per session
 * @param escape          largest acceptable probability that a server corrupting slots changes a private
 *                        answer undetected (default 2^-20)
 * @param claimedAccuracy the server's claimed accuracy on the public set
 * @param shortfall       accuracy drop to detect, in absolute terms (0.05 = five points below the claim)
 * @param falseAlarm      largest acceptable probability that an honest server is rejected
 * @param miss            largest acceptable probability that a model {@code shortfall} below its claim passes
 * @param honestFlip      probability that one honest evaluation's label differs from another's for the same
 *                        input (probabilistic truncation near a tie of the top two logits); spent from the
 *                        false-alarm budget, q·R·honestFlip of it
 */
public record FusionTargets(int queries, double escape, double claimedAccuracy, double shortfall, double falseAlarm,
                            double miss, double honestFlip) {

    public static final double DEFAULT_ESCAPE = Math.scalb(1.0, -20);
    public static final double DEFAULT_SHORTFALL = 0.05;
    public static final double DEFAULT_FALSE_ALARM = 1e-3;
    public static final double DEFAULT_MISS = 0.01;
    /**
     * The 95% upper limit from 0 label disagreements in 300,000 pairs of honest evaluations (the SecureML MLP on
     * the 500 bundled MNIST test images, simulating the protocol's random truncation carries exactly):
     * {@code mvn -pl plugin-fusion test -Dtest=HonestFlipTest -Dfusion.flip.reps=600}. Measure again for
     * other models or data: inputs near a tie of the two top logits flip far more often.
     */
    public static final double DEFAULT_HONEST_FLIP = 1e-5;
    /**
     * The lowest claim a client accepts by default ({@code FusionClient#withMinAccuracy}): without a floor a
     * server serving a poor model simply claims what it has, and the accuracy check then passes it. 0.9 suits the
     * MNIST models Fusion takes today (97.7-99.1% measured); set it to what the task needs.
     */
    public static final double DEFAULT_MIN_ACCURACY = 0.9;
    /**
     * The most slots a client puts into one session by default ({@code FusionClient#withMaxSlots}): the server's
     * claim drives N (a claim near 0.5 needs thousands of public samples), so N needs a cap the server cannot move.
     */
    public static final int DEFAULT_MAX_SLOTS = 2048;

    public FusionTargets {
        if (queries < 1 || queries > 4096) {
            throw new IllegalArgumentException("queries must be 1..4096, got " + queries);
        }
        check("escape", escape);
        check("false alarm", falseAlarm);
        check("miss", miss);
        if (!(claimedAccuracy > 0 && claimedAccuracy <= 1)) {
            throw new IllegalArgumentException("claimed accuracy must be in (0, 1], got " + claimedAccuracy);
        }
        if (!(shortfall > 0 && shortfall < claimedAccuracy)) {
            throw new IllegalArgumentException("shortfall must be in (0, claimed accuracy), got " + shortfall);
        }
        if (!(honestFlip >= 0 && honestFlip < 1)) {
            throw new IllegalArgumentException("honest flip rate must be in [0, 1), got " + honestFlip);
        }
    }

    public static FusionTargets defaults(int queries, double claimedAccuracy) {
        return new FusionTargets(queries, DEFAULT_ESCAPE, claimedAccuracy, DEFAULT_SHORTFALL, DEFAULT_FALSE_ALARM,
                DEFAULT_MISS, DEFAULT_HONEST_FLIP);
    }

    private static void check(String what, double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException(what + " probability must be in (0, 1), got " + p);
        }
    }
}
