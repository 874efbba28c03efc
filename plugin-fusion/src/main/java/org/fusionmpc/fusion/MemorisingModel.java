package org.fusionmpc.fusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fusionmpc.semihonest.Layer;
import org.fusionmpc.semihonest.Network;

/**
 * A malicious server's model that recognises a set of images it knows (the public check set) and answers them as
 * the honest model does, while forcing class {@value #FORCED} on every other input: the memorisation attack on an
 * accuracy check over a known set. Built from a two-hidden-layer MLP (SecureML's 784-128-128-10): beside the
 * honest units, the first layer computes ±u_k·(x - p_i) for {@value #PROJECTIONS} random projections u_k and every
 * known image p_i; after the ReLU the second computes m_i = 1 - Σ_k |u_k·(x - p_i)|, which is 1 exactly when x is
 * p_i and negative for any other image (the projections are scaled so that two different MNIST digits differ by far
 * more than 1); the third computes the honest logits (as y and -y, to pass a ReLU) and g = 1 - 2·Σ_i ReLU(m_i); the
 * last adds {@value #FORCE}·ReLU(g) to class {@value #FORCED}. For simulating the attack in tests and demos only.
 */
final class MemorisingModel {

    static final int PROJECTIONS = 4;
    static final int FORCED = 7;
    static final double FORCE = 60;
    /** FORCE is spread over this many copies of g, so no weight exceeds FORCE / COPIES (the flooding bound grows with max |w|). */
    static final int COPIES = 10;
    /** Scale of the projections: a pixel-space distance of about 9 between two digits becomes about 4 per projection (larger weights would need more flooding noise than the RLWE engine leaves). */
    static final double SCALE = 12;
    private static final double GRID = 1.0 / 4096; // the weights' fixed-point step (f = 12)

    private MemorisingModel() {
    }

    static Network build(Network honest, double[][] known, Random random) {
        return build(honest, known, SCALE, random);
    }

    /**
     * With projections of {@code scale}: recognition fails once Σ_k |u_k·δ| exceeds about 1/2 for a change δ of the
     * image, so a smaller scale tolerates larger changes (e.g. a client's input noise) at the price of also
     * recognising images close to known ones.
     */
    static Network build(Network honest, double[][] known, double scale, Random random) {
        List<Layer> l = honest.layers();
        if (l.size() != 5 || !(l.get(0) instanceof Layer.Linear a) || a.conv() || !(l.get(1) instanceof Layer.Relu)
                || !(l.get(2) instanceof Layer.Linear b) || b.conv() || !(l.get(3) instanceof Layer.Relu)
                || !(l.get(4) instanceof Layer.Linear c) || c.conv()) {
            throw new IllegalArgumentException("the memorising model is built from an MLP with two hidden layers "
                    + "(e.g. secureml-mlp), not " + honest.name());
        }
        int in = a.geometry()[1];
        int h1 = a.geometry()[0];
        int h2 = b.geometry()[0];
        int classes = c.geometry()[0];
        int p = known.length;
        int z = 2 * PROJECTIONS * p;
        // Projections on the weights' grid, and each -u·p_i computed from those same rounded weights, so that an input
        // equal to p_i gives exactly 0 however the secure computation rounds.
        double[][] u = new double[PROJECTIONS][in];
        for (double[] row : u) {
            for (int j = 0; j < in; j++) {
                row[j] = Math.rint(random.nextGaussian() * scale / Math.sqrt(in) / GRID) * GRID;
            }
        }
        double[] w1 = new double[(h1 + z) * in];
        double[] b1 = new double[h1 + z];
        System.arraycopy(a.weights(), 0, w1, 0, h1 * in);
        System.arraycopy(a.bias(), 0, b1, 0, h1);
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < PROJECTIONS; k++) {
                double up = 0;
                for (int j = 0; j < in; j++) {
                    up += u[k][j] * known[i][j];
                }
                for (int sign = 0; sign < 2; sign++) {
                    int row = h1 + (i * PROJECTIONS + k) * 2 + sign;
                    double s = sign == 0 ? 1 : -1;
                    for (int j = 0; j < in; j++) {
                        w1[row * in + j] = s * u[k][j];
                    }
                    b1[row] = -s * up;
                }
            }
        }
        int w1cols = h1 + z;
        double[] w2 = new double[(h2 + p) * w1cols];
        double[] b2 = new double[h2 + p];
        for (int o = 0; o < h2; o++) {
            System.arraycopy(b.weights(), o * h1, w2, o * w1cols, h1);
            b2[o] = b.bias()[o];
        }
        for (int i = 0; i < p; i++) {
            int row = h2 + i;
            for (int t = 0; t < 2 * PROJECTIONS; t++) {
                w2[row * w1cols + h1 + i * 2 * PROJECTIONS + t] = -1;
            }
            b2[row] = 1;
        }
        int w2cols = h2 + p;
        double[] w3 = new double[(2 * classes + COPIES) * w2cols];
        double[] b3 = new double[2 * classes + COPIES];
        for (int o = 0; o < classes; o++) {
            for (int j = 0; j < h2; j++) {
                w3[o * w2cols + j] = c.weights()[o * h2 + j];
                w3[(classes + o) * w2cols + j] = -c.weights()[o * h2 + j];
            }
            b3[o] = c.bias()[o];
            b3[classes + o] = -c.bias()[o];
        }
        for (int copy = 0; copy < COPIES; copy++) {
            for (int i = 0; i < p; i++) {
                w3[(2 * classes + copy) * w2cols + h2 + i] = -2;
            }
            b3[2 * classes + copy] = 1;
        }
        int w3cols = 2 * classes + COPIES;
        double[] w4 = new double[classes * w3cols];
        for (int o = 0; o < classes; o++) {
            w4[o * w3cols + o] = 1;
            w4[o * w3cols + classes + o] = -1;
        }
        for (int copy = 0; copy < COPIES; copy++) {
            w4[FORCED * w3cols + 2 * classes + copy] = FORCE / COPIES;
        }
        List<Layer> layers = List.of(
                new Layer.Linear(false, new int[] {h1 + z, in}, w1, b1), new Layer.Relu(h1 + z),
                new Layer.Linear(false, new int[] {h2 + p, w1cols}, w2, b2), new Layer.Relu(h2 + p),
                new Layer.Linear(false, new int[] {w3cols, w2cols}, w3, b3), new Layer.Relu(w3cols),
                new Layer.Linear(false, new int[] {classes, w3cols}, w4, new double[classes]));
        return new Network(honest.name(), honest.inputShape(), new ArrayList<>(layers));
    }
}
