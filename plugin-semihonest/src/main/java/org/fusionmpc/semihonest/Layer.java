package org.fusionmpc.semihonest;

import java.util.Arrays;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.LinearShape;

/**
 * One step of a network as the secure protocol runs it: a linear layer (dense or convolution, with bias;
 * batch normalisation and average pooling are folded into these at import), a ReLU, or a max-pool.
 * Activations are row-major {@code c×h×w} (or flat) vectors, one per input of the batch.
 */
public sealed interface Layer permits Layer.Linear, Layer.Relu, Layer.MaxPool {

    int inputSize();

    int outputSize();

    /** The layer in the clear, in double precision (the protocol's own reference; tests use ONNX Runtime). */
    double[] forward(double[] x);

    /** A layer without its weights: what the client knows. */
    Layer publicPart();

    /**
     * y = W·x + b. Dense: {@code geometry = {m, n}}, weights row-major m×n. Convolution:
     * {@code geometry = {c, h, w, o, kh, kw, stride, pad, groups}}, weights o×(c/groups)×kh×kw (ONNX layout),
     * bias per filter. Weights are null in the client's copy.
     */
    record Linear(boolean conv, int[] geometry, double[] weights, double[] bias) implements Layer {

        public LinearShape shape() {
            int[] g = geometry;
            return conv ? LinearShape.conv2d(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8]) : LinearShape.dense(g[0], g[1]);
        }

        public LinearOperator operator(FixedPoint fp) {
            long[] w = fp.encode(weights);
            int[] g = geometry;
            return conv ? LinearOperator.conv2d(w, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8])
                    : LinearOperator.dense(w, g[0], g[1]);
        }

        /** Bias at scale 2^(2f) (the scale of a product), one value per output. */
        public long[] encodedBias(FixedPoint fp) {
            FixedPoint doubleScale = new FixedPoint(2 * fp.fractionBits());
            int outs = outputSize();
            int perChannel = conv ? outs / geometry[3] : 1;
            long[] b = new long[outs];
            for (int i = 0; i < outs; i++) {
                b[i] = doubleScale.encode(bias[i / perChannel]);
            }
            return b;
        }

        @Override
        public int inputSize() {
            return conv ? geometry[0] * geometry[1] * geometry[2] : geometry[1];
        }

        @Override
        public int outputSize() {
            if (!conv) {
                return geometry[0];
            }
            int[] g = geometry;
            int oh = (g[1] + 2 * g[7] - g[4]) / g[6] + 1;
            int ow = (g[2] + 2 * g[7] - g[5]) / g[6] + 1;
            return g[3] * oh * ow;
        }

        @Override
        public double[] forward(double[] x) {
            int[] g = geometry;
            if (!conv) {
                double[] y = new double[g[0]];
                for (int o = 0; o < g[0]; o++) {
                    double acc = bias[o];
                    for (int k = 0; k < g[1]; k++) {
                        acc += weights[o * g[1] + k] * x[k];
                    }
                    y[o] = acc;
                }
                return y;
            }
            int c = g[0], h = g[1], w = g[2], o = g[3], kh = g[4], kw = g[5], s = g[6], p = g[7], groups = g[8];
            int oh = (h + 2 * p - kh) / s + 1;
            int ow = (w + 2 * p - kw) / s + 1;
            int cg = c / groups;
            double[] y = new double[o * oh * ow];
            for (int oc = 0; oc < o; oc++) {
                int firstIn = oc / (o / groups) * cg;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = bias[oc];
                        for (int ci = firstIn; ci < firstIn + cg; ci++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int yy = i * s + u - p;
                                    int xx = j * s + v - p;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                        acc += weights[((oc * cg + ci - firstIn) * kh + u) * kw + v] * x[(ci * h + yy) * w + xx];
                                    }
                                }
                            }
                        }
                        y[(oc * oh + i) * ow + j] = acc;
                    }
                }
            }
            return y;
        }

        @Override
        public Layer publicPart() {
            return new Linear(conv, geometry, null, null);
        }

        @Override
        public String toString() {
            return (conv ? "Conv" : "Dense") + Arrays.toString(geometry);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Linear l && l.conv == conv && Arrays.equals(l.geometry, geometry);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(geometry);
        }
    }

    /** max(x, 0) element-wise. */
    record Relu(int size) implements Layer {
        @Override
        public int inputSize() {
            return size;
        }

        @Override
        public int outputSize() {
            return size;
        }

        @Override
        public double[] forward(double[] x) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = Math.max(x[i], 0);
            }
            return y;
        }

        @Override
        public Layer publicPart() {
            return this;
        }

        @Override
        public String toString() {
            return "Relu[" + size + "]";
        }
    }

    /** Max-pooling of a c×h×w activation with a k×k window and the given stride, no padding. */
    record MaxPool(int c, int h, int w, int k, int stride) implements Layer {

        public int outH() {
            return (h - k) / stride + 1;
        }

        public int outW() {
            return (w - k) / stride + 1;
        }

        @Override
        public int inputSize() {
            return c * h * w;
        }

        @Override
        public int outputSize() {
            return c * outH() * outW();
        }

        /** For output o and window position t, the input index: windows laid out one after another. */
        public int[] windows() {
            int[] idx = new int[outputSize() * k * k];
            int at = 0;
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < outH(); i++) {
                    for (int j = 0; j < outW(); j++) {
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                idx[at++] = (ch * h + i * stride + u) * w + j * stride + v;
                            }
                        }
                    }
                }
            }
            return idx;
        }

        @Override
        public double[] forward(double[] x) {
            int[] win = windows();
            double[] y = new double[outputSize()];
            int kk = k * k;
            for (int o = 0; o < y.length; o++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < kk; t++) {
                    m = Math.max(m, x[win[o * kk + t]]);
                }
                y[o] = m;
            }
            return y;
        }

        @Override
        public Layer publicPart() {
            return this;
        }
    }
}
