package org.fusionmpc.semihonest;

import java.util.Arrays;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.LinearShape;

/**
 * One step of a network as the secure protocol runs it: a linear layer (dense or convolution, with bias;
 * batch normalisation is folded into these at import), a ReLU, a max-pool, an average pool, or one of the
 * three steps that let a chain express residual connections ({@link Save}, {@link Restore}, {@link AddSaved}:
 * the activation kept in numbered slots, all local on shares). Activations are row-major {@code c×h×w} (or
 * flat) vectors, one per input of the batch.
 */
public sealed interface Layer permits Layer.Linear, Layer.Relu, Layer.MaxPool, Layer.AvgPool, Layer.Scale, Layer.SlotStep {

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

    /**
     * Max-pooling of a c×h×w activation with a k×k window, the given stride and zero padding. Zero padding is
     * what ONNX's −∞ padding computes only on non-negative inputs, so the importer admits padding only after a
     * ReLU (where it then moves the ReLU behind the pool: max(0, max(window ∪ {0})) = ReLU(max(window))).
     */
    record MaxPool(int c, int h, int w, int k, int stride, int pad) implements Layer {

        public MaxPool(int c, int h, int w, int k, int stride) {
            this(c, h, w, k, stride, 0);
        }

        public int outH() {
            return (h + 2 * pad - k) / stride + 1;
        }

        public int outW() {
            return (w + 2 * pad - k) / stride + 1;
        }

        @Override
        public int inputSize() {
            return c * h * w;
        }

        @Override
        public int outputSize() {
            return c * outH() * outW();
        }

        /**
         * For output o and window position t, the input index: windows laid out one after another. A position in
         * the padding gets index {@link #inputSize()}, one past the end, where callers keep a zero.
         */
        public int[] windows() {
            int[] idx = new int[outputSize() * k * k];
            int at = 0;
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < outH(); i++) {
                    for (int j = 0; j < outW(); j++) {
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                int y = i * stride + u - pad;
                                int x = j * stride + v - pad;
                                idx[at++] = y < 0 || y >= h || x < 0 || x >= w ? inputSize() : (ch * h + y) * w + x;
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
            int zero = inputSize();
            for (int o = 0; o < y.length; o++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < kk; t++) {
                    m = Math.max(m, win[o * kk + t] == zero ? 0 : x[win[o * kk + t]]);
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

    /**
     * Average pooling of a c×h×w activation over kh×kw windows with the given stride, no padding. Its weights are
     * public, so both parties compute it locally on their shares: window sums times the fixed-point encoding of
     * 1/(kh·kw), a product that owes one truncation like any other.
     */
    record AvgPool(int c, int h, int w, int kh, int kw, int stride) implements Layer {

        public int outH() {
            return (h - kh) / stride + 1;
        }

        public int outW() {
            return (w - kw) / stride + 1;
        }

        @Override
        public int inputSize() {
            return c * h * w;
        }

        @Override
        public int outputSize() {
            return c * outH() * outW();
        }

        /** Window sums of each of the {@code batch} activations in {@code x}, each times {@code weight}, mod 2^64. */
        public long[] sumTimes(long[] x, int batch, long weight) {
            int in = inputSize();
            int out = outputSize();
            long[] y = new long[out * batch];
            for (int b = 0; b < batch; b++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int i = 0; i < outH(); i++) {
                        for (int j = 0; j < outW(); j++) {
                            long acc = 0;
                            for (int u = 0; u < kh; u++) {
                                int row = b * in + (ch * h + i * stride + u) * w + j * stride;
                                for (int v = 0; v < kw; v++) {
                                    acc += x[row + v];
                                }
                            }
                            y[b * out + (ch * outH() + i) * outW() + j] = acc * weight;
                        }
                    }
                }
            }
            return y;
        }

        @Override
        public double[] forward(double[] x) {
            double[] y = new double[outputSize()];
            double scale = 1.0 / (kh * kw);
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < outH(); i++) {
                    for (int j = 0; j < outW(); j++) {
                        double acc = 0;
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                acc += x[(ch * h + i * stride + u) * w + j * stride + v];
                            }
                        }
                        y[(ch * outH() + i) * outW() + j] = acc * scale;
                    }
                }
            }
            return y;
        }

        @Override
        public Layer publicPart() {
            return this;
        }
    }

    /**
     * y = factor·x + shift element-wise, both public (the architecture's own constants, e.g. the 6 of ReLU6 or a
     * LeakyReLU's slope): local on shares. An integer factor is exact on shares; another one is a fixed-point product,
     * so its truncation is owed like a linear layer's. The importer builds Clip and LeakyRelu from these and ReLUs.
     */
    record Scale(int size, double factor, double shift) implements Layer {
        public Scale {
            if (!Double.isFinite(factor) || !Double.isFinite(shift)) {
                throw new ModelException("a scale step needs finite constants, got " + factor + "·x + " + shift);
            }
        }

        /** Whether the factor is an integer small enough to multiply shares by exactly. */
        public boolean exact() {
            return factor == Math.rint(factor) && Math.abs(factor) <= 1 << 16;
        }

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
                y[i] = factor * x[i] + shift;
            }
            return y;
        }

        @Override
        public Layer publicPart() {
            return this;
        }

        @Override
        public String toString() {
            return "Scale[" + size + ", " + factor + "x" + (shift < 0 ? " - " + -shift : " + " + shift) + "]";
        }
    }

    /** The steps that only move activations between the chain and the slots; {@link Network#forward} runs them. */
    sealed interface SlotStep extends Layer permits Save, Restore, AddSaved, ConcatSaved {

        int slot();

        int size();

        /** The size of the value this step reads from (or, for {@link Save}, writes to) its slot. */
        default int slotSize() {
            return size();
        }

        /** This step on activation {@code x} and the slots; returns the new current activation. */
        double[] apply(double[] x, double[][] slots);

        @Override
        default int inputSize() {
            return size();
        }

        @Override
        default int outputSize() {
            return size();
        }

        @Override
        default double[] forward(double[] x) {
            throw new IllegalStateException(this + " reads or writes a slot; run it through Network.forward");
        }

        @Override
        default Layer publicPart() {
            return this;
        }
    }

    /** Keeps a copy of the current activation in slot {@code slot}, for a later {@link Restore} or {@link AddSaved}. */
    record Save(int slot, int size) implements SlotStep {
        @Override
        public double[] apply(double[] x, double[][] slots) {
            slots[slot] = x.clone();
            return x;
        }
    }

    /** Makes slot {@code slot}'s activation the current one (the branch of a residual block that starts from it). */
    record Restore(int slot, int size) implements SlotStep {
        @Override
        public double[] apply(double[] x, double[][] slots) {
            return slots[slot].clone();
        }
    }

    /** Adds slot {@code slot}'s activation to the current one: the residual connection. */
    record AddSaved(int slot, int size) implements SlotStep {
        @Override
        public double[] apply(double[] x, double[][] slots) {
            double[] y = x.clone();
            for (int i = 0; i < y.length; i++) {
                y[i] += slots[slot][i];
            }
            return y;
        }
    }

    /**
     * Appends slot {@code slot}'s activation ({@code savedSize} values) to the current one ({@code size}) along the
     * outermost axis, the channels of a c×h×w activation: ONNX's Concat of branches (Inception), local on shares.
     */
    record ConcatSaved(int slot, int size, int savedSize) implements SlotStep {
        @Override
        public int slotSize() {
            return savedSize;
        }

        @Override
        public int outputSize() {
            return size + savedSize;
        }

        @Override
        public double[] apply(double[] x, double[][] slots) {
            double[] y = java.util.Arrays.copyOf(x, size + savedSize);
            System.arraycopy(slots[slot], 0, y, size, savedSize);
            return y;
        }
    }
}
