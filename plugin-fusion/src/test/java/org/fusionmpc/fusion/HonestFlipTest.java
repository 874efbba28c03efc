package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.semihonest.Layer;
import org.fusionmpc.semihonest.Mnist;
import org.fusionmpc.semihonest.Network;
import org.fusionmpc.semihonest.OnnxImporter;
import org.junit.jupiter.api.Test;

/**
 * Measures how often two honest evaluations of the same input disagree on the label. The protocol's only
 * randomness in values is the local truncation: ⌊y/2^f⌋ + 1 with probability (y mod 2^f)/2^f, depending on the
 * random shares. This simulates exactly that arithmetic (fixed point, exact ring products, random truncation
 * carries, exact comparisons) for pairs of runs and counts label disagreements, the δ that
 * {@link FusionTargets#honestFlip()} spends from the false-alarm budget.
 */
class HonestFlipTest {

    static final java.util.Map<Layer, Object[]> ENCODED = new java.util.IdentityHashMap<>();

    static int[] labels(Network net, double[] x, FixedPoint fp, SplittableRandom r) {
        long[] a = fp.encode(x);
        int f = fp.fractionBits();
        for (Layer l : net.layers()) {
            if (l instanceof Layer.Linear lin) {
                Object[] enc = ENCODED.computeIfAbsent(l, k -> new Object[] {lin.operator(fp), lin.encodedBias(fp)});
                LinearOperator op = (LinearOperator) enc[0];
                long[] y = op.apply(a, 1);
                long[] b = (long[]) enc[1];
                for (int i = 0; i < y.length; i++) {
                    long v = y[i] + b[i];
                    long low = v & ((1L << f) - 1);
                    y[i] = (v >> f) + (r.nextLong(1L << f) < low ? 1 : 0);
                }
                a = y;
            } else if (l instanceof Layer.Relu) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = Math.max(a[i], 0);
                }
            } else {
                Layer.MaxPool p = (Layer.MaxPool) l;
                int[] win = p.windows();
                int kk = p.k() * p.k();
                long[] y = new long[p.outputSize()];
                for (int o = 0; o < y.length; o++) {
                    long m = Long.MIN_VALUE;
                    for (int t = 0; t < kk; t++) {
                        m = Math.max(m, a[win[o * kk + t]]);
                    }
                    y[o] = m;
                }
                a = y;
            }
        }
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            best = a[i] > a[best] ? i : best;
        }
        return new int[] {best};
    }

    @Test
    void honestReplicasDisagreeNoMoreOftenThanTheBudgetAssumes() {
        Network net = OnnxImporter.load(Path.of("..", "models", "secureml-mlp.onnx"));
        Mnist.Dataset d = Mnist.testSubset();
        FixedPoint fp = FixedPoint.defaults();
        SplittableRandom r = new SplittableRandom(5);
        int pairs = 0;
        int disagree = 0;
        int reps = Integer.getInteger("fusion.flip.reps", 20); // 600 gives the 300,000 pairs behind the default budget (0 seen)
        for (int rep = 0; rep < reps; rep++) {
            for (int i = 0; i < d.size(); i++) {
                disagree += labels(net, d.images()[i], fp, r)[0] != labels(net, d.images()[i], fp, r)[0] ? 1 : 0;
                pairs++;
            }
        }
        // The 95% upper limit of the rate (rule of three when nothing is seen).
        double upper = disagree == 0 ? 3.0 / pairs : (disagree + 2 * Math.sqrt(disagree) + 2.0) / pairs;
        System.out.printf("honest flips: %d of %d replica pairs disagree (95%% upper limit %.2g); budget per evaluation %.2g%n",
                disagree, pairs, upper, FusionTargets.DEFAULT_HONEST_FLIP);
        assertTrue(disagree <= 1, disagree + " disagreements in " + pairs + " pairs: the default budget is too small");
    }
}
