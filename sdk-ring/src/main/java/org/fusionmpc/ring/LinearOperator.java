package org.fusionmpc.ring;

import java.util.Objects;

/** The server's side of a linear layer: the public {@link LinearShape} and one ring value per entry. */
public final class LinearOperator {

    private final LinearShape shape;
    private final long[] values;
    private final long[] weights;

    public LinearOperator(LinearShape shape, long[] values) {
        this(shape, values, null);
    }

    private LinearOperator(LinearShape shape, long[] values, long[] weights) {
        this.shape = Objects.requireNonNull(shape, "shape");
        if (values.length != shape.entries()) {
            throw new IllegalArgumentException(shape + " has " + shape.entries() + " entries, got " + values.length + " values");
        }
        this.values = values;
        this.weights = weights;
    }

    /**
     * The weights in the layout they were given: dense row-major m×n, convolution o×(c/groups)×kh×kw. What an
     * engine that encodes whole matrices or kernels (the RLWE one) works from. Absent for an operator built
     * from raw entries.
     */
    public long[] weights() {
        if (weights == null) {
            throw new UnsupportedOperationException("this operator was built from raw entries; it has no dense or kernel layout");
        }
        return weights;
    }

    /** A dense matrix given row-major, {@code w[o·n + k]} = M[o][k]. */
    public static LinearOperator dense(long[] w, int m, int n) {
        LinearShape s = LinearShape.dense(m, n);
        if (w.length != (long) m * n) {
            throw new IllegalArgumentException("a " + m + "x" + n + " matrix needs " + (long) m * n + " values, got " + w.length);
        }
        long[] v = new long[w.length];
        for (int k = 0; k < n; k++) {
            for (int o = 0; o < m; o++) {
                v[k * m + o] = w[o * n + k];
            }
        }
        return new LinearOperator(s, v, w);
    }

    /** Element-wise product with {@code v}. */
    public static LinearOperator diagonal(long[] v) {
        return new LinearOperator(LinearShape.identity(v.length), v.clone());
    }

    /** A convolution with weights W[oc][ci][u][v] given as {@code o×c×kh×kw} row-major (ONNX's layout). */
    public static LinearOperator conv2d(long[] weights, int c, int h, int w, int o, int kh, int kw, int stride, int pad) {
        return conv2d(weights, c, h, w, o, kh, kw, stride, pad, 1);
    }

    /** A grouped convolution, weights {@code o × (c/groups) × kh × kw} row-major. */
    public static LinearOperator conv2d(long[] weights, int c, int h, int w, int o, int kh, int kw, int stride, int pad,
                                        int groups) {
        LinearShape s = LinearShape.conv2d(c, h, w, o, kh, kw, stride, pad, groups);
        int cg = c / groups;
        int perGroup = o / groups;
        if (weights.length != (long) o * cg * kh * kw) {
            throw new IllegalArgumentException("conv weights need " + (long) o * cg * kh * kw + " values, got " + weights.length);
        }
        int oh = s.geometry()[8];
        int ow = s.geometry()[9];
        long[] v = new long[s.entries()];
        int e = 0;
        // Same loop order as LinearShape.conv2d, so entry e gets the weight of the pair it describes.
        for (int ci = 0; ci < c; ci++) {
            int firstFilter = ci / cg * perGroup;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int oc = firstFilter; oc < firstFilter + perGroup; oc++) {
                        for (int u = 0; u < kh; u++) {
                            for (int vv = 0; vv < kw; vv++) {
                                int py = y + pad - u;
                                int px = x + pad - vv;
                                if (py % stride == 0 && px % stride == 0 && py >= 0 && px >= 0
                                        && py / stride < oh && px / stride < ow) {
                                    v[e++] = weights[((oc * cg + ci % cg) * kh + u) * kw + vv];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new LinearOperator(s, v, weights);
    }

    public LinearShape shape() {
        return shape;
    }

    long value(int e) {
        return values[e];
    }

    /** y = M·x in the clear for {@code batch} columns (column b of x at {@code x[b·n ..]}); also the server's local part. */
    public long[] apply(long[] x, int batch) {
        shape.checkInput(x, batch);
        int n = shape.inputs();
        int m = shape.outputs();
        long[] y = new long[m * batch];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < n; k++) {
                long xk = x[b * n + k];
                if (xk == 0) {
                    continue;
                }
                for (int e = shape.columnStart(k), end = shape.columnEnd(k); e < end; e++) {
                    y[b * m + shape.row(e)] += values[e] * xk;
                }
            }
        }
        return y;
    }
}
