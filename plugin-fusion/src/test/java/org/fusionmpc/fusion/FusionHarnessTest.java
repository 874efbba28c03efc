package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.semihonest.InferenceClient;
import org.fusionmpc.semihonest.InferenceResult;
import org.fusionmpc.semihonest.InferenceServer;
import org.fusionmpc.semihonest.Layer;
import org.fusionmpc.semihonest.OutputMode;
import org.fusionmpc.semihonest.Mnist;
import org.fusionmpc.semihonest.Network;
import org.fusionmpc.semihonest.OnnxImporter;
import org.fusionmpc.semihonest.ServerDeviation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 2000 simulated sessions per cheating strategy, in plaintext (the real protocol's answers equal these, see
 * FusionSessionTest): the strategies' own model changes and share deviations applied to the model's
 * fixed-point activations, the client's real layout and checks; the rejection rate must fall in the interval of
 * the rate {@link FusionOptimizer#detect} predicts. The {@value #COMPARISONS} comparisons are one family at 95%
 * (Bonferroni: each interval holds 1 - 0.05/{@value #COMPARISONS} of the predicted binomial), so correct code fails
 * this class with probability at most 5% over reseeds, not once in four as ten separate 95% intervals would. The
 * honest server's false-alarm rate must stay within its bound. What the statistics cannot see (a check that ignores
 * one replica changes these rates by a few percent) {@code FusionChecksTest} catches exactly.
 */
class FusionHarnessTest {

    static final int SESSIONS = 2000;
    /** Rate comparisons in this class, the family the error rate is controlled over. */
    static final int COMPARISONS = 10;
    static final double TAIL = 0.05 / (2 * COMPARISONS);
    static final int F = 12;
    static Network net;
    static Mnist.Dataset pool;
    static int[] honest;
    static double accuracy;
    static FusionParams params;

    @BeforeAll
    static void setUp() {
        net = OnnxImporter.load(Path.of("..", "models", "secureml-mlp.onnx"));
        Mnist.Dataset d = Mnist.testSubset();
        // The 500 bundled images, each 20 times: draws without replacement then behave like independent draws.
        double[][] x = new double[d.size() * 20][];
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = d.images()[i % d.size()];
            y[i] = d.labels()[i % d.size()];
        }
        pool = new Mnist.Dataset(x, y);
        // The honest answers come from the protocol itself (one semi-honest session over the 500 images, the engines
        // Fusion uses by default), not from the plaintext model the deviations below are simulated on; the two must
        // agree, or the simulated rates would not be the protocol's.
        int[] plain = labels(net, null, new boolean[d.size()]);
        try {
            InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 4096, false);
            Object[] r = TwoParties.IN_MEMORY.run(server::serve, ch -> new InferenceClient(OutputMode.LABEL).classify(ch, d.images()));
            honest = ((InferenceResult) r[1]).labels();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int agree = 0;
        for (int i = 0; i < d.size(); i++) {
            agree += honest[i] == plain[i] ? 1 : 0;
        }
        System.out.println("harness: the protocol's labels agree with plaintext on " + agree + " of " + d.size());
        assertTrue(agree >= d.size() - 2, agree + " of " + d.size());
        int right = 0;
        for (int i = 0; i < d.size(); i++) {
            right += honest[i] == d.labels()[i] ? 1 : 0;
        }
        accuracy = (double) right / d.size();
        params = FusionOptimizer.choose(new FusionTargets(2, FusionTargets.DEFAULT_ESCAPE, accuracy, 0.05, 0.01, 0.05, 0));
        System.out.println("harness: model accuracy on the pool " + accuracy + "; " + params);
    }

    /** Labels of the 500 distinct images under a deviation applied to the given ones (fixed point, as the protocol). */
    static int[] labels(Network model, ServerDeviation deviation, boolean[] corrupt) {
        int n = Mnist.testSubset().size();
        int[] out = new int[n];
        List<Layer> layers = model.layers();
        for (int i = 0; i < n; i++) {
            double[] a = pool.images()[i];
            for (int l = 0; l < layers.size(); l++) {
                a = layers.get(l).forward(a);
                if (deviation != null && corrupt[i]) {
                    a = deviate(deviation, l, layers.get(l), a);
                }
            }
            if (deviation != null && corrupt[i]) {
                a = deviate(deviation, -1, null, a);
            }
            int best = 0;
            for (int c = 1; c < a.length; c++) {
                best = a[c] > a[best] ? c : best;
            }
            out[i] = best;
        }
        return out;
    }

    static double[] deviate(ServerDeviation d, int layer, Layer l, double[] a) {
        long[] v = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = Math.round(Math.scalb(a[i], F));
        }
        String kind = l == null ? "logits" : l instanceof Layer.Linear ? "linear" : l instanceof Layer.Relu ? "relu" : "maxpool";
        d.apply(layer, kind, v, 1, a.length, F);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.scalb((double) v[i], -F);
        }
        return out;
    }

    static double accuracyOf(int[] labels) {
        int n = labels.length;
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += labels[i] == pool.labels()[i] ? 1 : 0;
        }
        return (double) right / n;
    }

    /** Runs sessions where a slot's answer is {@code answer(image, corrupted)}; returns the rejection count. */
    static int simulate(int k, java.util.function.BiFunction<Integer, Boolean, Integer> answer, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Random jr = new Random(seed);
        int rejects = 0;
        for (int s = 0; s < SESSIONS; s++) {
            SlotLayout layout = SlotLayout.draw(params.queries(), params.replicas(), params.publicSlots(), pool.size(), rnd::nextInt);
            int[] queryImage = new int[params.queries()];
            for (int i = 0; i < queryImage.length; i++) {
                queryImage[i] = rnd.nextInt(500);
            }
            boolean[] corrupted = CheatingStrategy.pick(layout.slots(), k, jr);
            int[] slotLabels = new int[layout.slots()];
            for (int i = 0; i < params.queries(); i++) {
                for (int c = 0; c < params.replicas(); c++) {
                    int slot = layout.replicaSlot(i, c);
                    slotLabels[slot] = answer.apply(queryImage[i], corrupted[slot]);
                }
            }
            int[] truth = new int[layout.publicCount()];
            for (int j = 0; j < truth.length; j++) {
                int img = layout.publicSample(j) % 500;
                truth[j] = pool.labels()[img];
                int slot = layout.publicSlot(j);
                slotLabels[slot] = answer.apply(img, corrupted[slot]);
            }
            rejects += FusionChecks.check(params, layout, slotLabels, truth, 0, 0, 0, "mlp").accepted() ? 0 : 1;
        }
        return rejects;
    }

    static void assertWithinFamilyInterval(String what, int rejects, double predicted) {
        double lo = 0;
        double hi = 0;
        // The central 1 - 0.05/COMPARISONS of Binomial(SESSIONS, predicted).
        double c = 0;
        int x;
        for (x = 0; x <= SESSIONS; x++) {
            c += Binomials.pmf(SESSIONS, predicted, x);
            if (c > TAIL) {
                break;
            }
        }
        lo = x;
        c = 0;
        for (x = SESSIONS; x >= 0; x--) {
            c += Binomials.pmf(SESSIONS, predicted, x);
            if (c > TAIL) {
                break;
            }
        }
        hi = x;
        System.out.printf("harness: %-20s rejected %4d of %d (%.4f), predicted %.4f, family-wise 95%% interval [%.0f, %.0f]%n",
                what, rejects, SESSIONS, (double) rejects / SESSIONS, predicted, lo, hi);
        assertTrue(rejects >= lo && rejects <= hi, what + ": " + rejects + " rejections outside [" + lo + ", " + hi + "] for p = " + predicted);
    }

    @Test
    void perSlotCorruptionsAreDetectedAtThePredictedRate() {
        Random r = new Random(1);
        int R = params.replicas();
        for (int k : new int[] {1, 3, 10}) {
            // Forced random class: a replica keeps its group consistent only if the forced class equals the answer.
            int[] forced = new int[1];
            int rejects = simulate(k, (img, bad) -> bad ? r.nextInt(10) : honest[img], 100 + k);
            IntToDoubleFunction g = h -> h == 0 ? 1 : h < R ? Math.pow(0.1, h) : Math.pow(0.1, R - 1);
            assertWithinFamilyInterval("corrupt-outputs:" + k, rejects, FusionOptimizer.detect(params, k, g, accuracy, 0.1));
            forced[0]++;
        }
        ServerDeviation relu = CheatingStrategy.parse("corrupt-relu:1").deviation(new Random(2));
        boolean[] all = new boolean[500];
        java.util.Arrays.fill(all, true);
        int[] shifted = labels(net, relu, all);
        int flips = 0;
        for (int i = 0; i < 500; i++) {
            flips += shifted[i] != honest[i] ? 1 : 0;
        }
        double c = flips / 500.0;
        for (int k : new int[] {1, 10}) {
            int rejects = simulate(k, (img, bad) -> bad ? shifted[img] : honest[img], 200 + k);
            IntToDoubleFunction g = h -> h == 0 || h == R ? 1 : 1 - c;
            assertWithinFamilyInterval("corrupt-relu:" + k, rejects, FusionOptimizer.detect(params, k, g, accuracy, accuracyOf(shifted)));
        }
    }

    @Test
    void wholeModelCheatsAreDetectedAtThePredictedRate() {
        List<Object[]> cases = new ArrayList<>();
        boolean[] all = new boolean[500];
        java.util.Arrays.fill(all, true);
        for (String s : new String[] {"lower-accuracy", "random-weights", "zeroed-weights", "constant-error", "one-class"}) {
            CheatingStrategy.Parsed p = CheatingStrategy.parse(s);
            Network model = p.model(net, new Random(3));
            ServerDeviation d = p.deviation(new Random(4));
            int[] lab = labels(model, d, all);
            cases.add(new Object[] {s, lab});
        }
        int seed = 300;
        for (Object[] c : cases) {
            int[] lab = (int[]) c[1];
            int rejects = simulate(params.slots(), (img, bad) -> lab[img], seed++);
            assertWithinFamilyInterval((String) c[0], rejects, FusionOptimizer.detect(params, params.slots(), h -> 1, accuracy, accuracyOf(lab)));
        }
    }

    @Test
    void anHonestServerIsRarelyRejected() {
        int rejects = simulate(0, (img, bad) -> honest[img], 400);
        double bound = params.falseAlarm();
        System.out.printf("harness: honest server rejected %d of %d; false-alarm bound %.4f%n", rejects, SESSIONS, bound);
        // The bound assumes accuracy exactly as claimed; a 95% upper limit for the observed count.
        assertTrue(rejects <= SESSIONS * bound + 2 * Math.sqrt(SESSIONS * bound) + 3, rejects + " false alarms");
    }
}
