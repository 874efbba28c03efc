package org.fusionmpc.ring;

import java.util.Objects;

/**
 * The server's side of a linear layer: the public {@link LinearShape} and one ring value per entry. A
 * convolution's per-entry values are laid out on first use, like its shape's pattern: an engine that works from
 * the kernel ({@link #weights()}) never pays for them.
 */
public final class LinearOperator {

    private final LinearShape shape;
    private volatile long[] values;
    private final long[] weights;

    public LinearOperator(LinearShape shape, long[] values) {
        this(shape, values, null);
        if (values.length != shape.entries()) {
            throw new IllegalArgumentException(shape + " has " + shape.entries() + " entries, got " + values.length + " values");
        }
    }

    private LinearOperator(LinearShape shape, long[] values, long[] weights) {
        this.shape = Objects.requireNonNull(shape, "shape");
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
        return new LinearOperator(s, null, weights);
    }

    /** A convolution's per-entry values, in its shape's pattern order, laid out once. */
    private synchronized long[] convValues() {
        if (values != null) {
            return values;
        }
        int[] g = shape.geometry();
        int c = g[0], h = g[1], w = g[2], o = g[3], kh = g[4], kw = g[5], stride = g[6], pad = g[7], oh = g[8], ow = g[9];
        int groups = g[10];
        int cg = c / groups;
        int perGroup = o / groups;
        long[] v = new long[shape.entries()];
        int e = 0;
        // Same loop order as LinearShape's pattern, so entry e gets the weight of the pair it describes.
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
        values = v;
        return v;
    }

    private long[] values() {
        long[] v = values;
        return v != null ? v : convValues();
    }

    public LinearShape shape() {
        return shape;
    }

    long value(int e) {
        return values()[e];
    }

    /** y = M·x in the clear for {@code batch} columns (column b of x at {@code x[b·n ..]}); also the server's local part. */
    public long[] apply(long[] x, int batch) {
        shape.checkInput(x, batch);
        int n = shape.inputs();
        int m = shape.outputs();
        long[] y = new long[m * batch];
        long[] values = values();
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
