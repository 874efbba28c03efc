package org.fusionmpc.ring;

import java.util.Arrays;

/**
 * The public structure of a linear layer y = M·x: how many inputs and outputs, and which outputs each input
 * feeds (a compressed sparse column pattern; entry e of column k is row {@code row(e)}), plus the geometry
 * it came from, so an engine that works on structure (an RLWE convolution) can use the geometry and an
 * OT engine the pattern. Both parties know the shape; only the server knows the values
 * ({@link LinearOperator}). A batch of B inputs is B columns evaluated against the same shape.
 *
 * <p>A convolution's pattern has one entry per multiply-accumulate (ResNet-50's stem alone has 118 M), so it is
 * built on first use, by an engine that needs it, and never by one that works from the geometry.
 */
public final class LinearShape {

    /** What the pattern came from. */
    public enum Kind { DENSE, CONV2D, IDENTITY }

    private final Kind kind;
    private final int inputs;
    private final int outputs;
    private volatile int[] colStart;
    private volatile int[] rows;
    private final int[] geometry;

    private LinearShape(Kind kind, int inputs, int outputs, int[] colStart, int[] rows, int[] geometry) {
        this.kind = kind;
        this.inputs = inputs;
        this.outputs = outputs;
        this.colStart = colStart;
        this.rows = rows;
        this.geometry = geometry;
    }

    /** A dense m×n matrix: entry e = k·m + o of column k is row o (so values are the matrix in column-major order). */
    public static LinearShape dense(int m, int n) {
        positive("rows", m);
        positive("columns", n);
        if ((long) m * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + m + "x" + n + " matrix is too large");
        }
        int[] start = new int[n + 1];
        int[] rows = new int[m * n];
        for (int k = 0; k < n; k++) {
            start[k + 1] = (k + 1) * m;
            for (int o = 0; o < m; o++) {
                rows[k * m + o] = o;
            }
        }
        return new LinearShape(Kind.DENSE, n, m, start, rows, new int[] {m, n});
    }

    /** y_i = v_i·x_i: each input feeds its own output (element-wise product with server-held values). */
    public static LinearShape identity(int n) {
        positive("size", n);
        int[] start = new int[n + 1];
        int[] rows = new int[n];
        for (int k = 0; k < n; k++) {
            start[k + 1] = k + 1;
            rows[k] = k;
        }
        return new LinearShape(Kind.IDENTITY, n, n, start, rows, new int[] {n});
    }

    /**
     * 2-D convolution, dilation 1, groups 1, of a {@code c×h×w} input with {@code o} filters of {@code c×kh×kw},
     * stride and zero padding as given; output {@code o×oh×ow}. Entries of input (ci, y, x) are ordered by
     * (oc, u, v) over the kernel positions that reach an output, so the value of an entry is
     * W[oc][ci][u][v]; see {@link LinearOperator#conv2d}.
     */
    public static LinearShape conv2d(int c, int h, int w, int o, int kh, int kw, int stride, int pad) {
        return conv2d(c, h, w, o, kh, kw, stride, pad, 1);
    }

    /**
     * Grouped 2-D convolution: input channels and filters split into {@code groups} equal groups, each filter
     * seeing only its group's channels (groups = c = o is a depthwise convolution, e.g. average pooling).
     * Weights are {@code o × (c/groups) × kh × kw}.
     */
    public static LinearShape conv2d(int c, int h, int w, int o, int kh, int kw, int stride, int pad, int groups) {
        positive("groups", groups);
        if (c % groups != 0 || o % groups != 0) {
            throw new IllegalArgumentException(groups + " groups do not divide " + c + " channels and " + o + " filters");
        }
        positive("channels", c);
        positive("height", h);
        positive("width", w);
        positive("filters", o);
        positive("kernel height", kh);
        positive("kernel width", kw);
        positive("stride", stride);
        if (pad < 0 || kh > h + 2 * pad || kw > w + 2 * pad) {
            throw new IllegalArgumentException("a " + kh + "x" + kw + " kernel does not fit a " + h + "x" + w + " input padded by " + pad);
        }
        int oh = (h + 2 * pad - kh) / stride + 1;
        int ow = (w + 2 * pad - kw) / stride + 1;
        return new LinearShape(Kind.CONV2D, c * h * w, o * oh * ow, null, null,
                new int[] {c, h, w, o, kh, kw, stride, pad, oh, ow, groups});
    }

    /** Builds a convolution's pattern from its geometry, once. */
    private synchronized void buildConvPattern() {
        if (rows != null) {
            return;
        }
        int[] g = geometry;
        int c = g[0], h = g[1], w = g[2], o = g[3], kh = g[4], kw = g[5], stride = g[6], pad = g[7], oh = g[8], ow = g[9];
        int groups = g[10];
        int n = c * h * w;
        int[] start = new int[n + 1];
        int perGroup = o / groups;
        long most = (long) n * perGroup * kh * kw;
        if (most > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(this + " has too many multiply-accumulates (" + most + ") for an explicit pattern");
        }
        int[] rowsTmp = new int[(int) most];
        int e = 0;
        for (int ci = 0; ci < c; ci++) {
            int firstFilter = ci / (c / groups) * perGroup;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int oc = firstFilter; oc < firstFilter + perGroup; oc++) {
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                int py = y + pad - u;
                                int px = x + pad - v;
                                if (py % stride == 0 && px % stride == 0 && py >= 0 && px >= 0
                                        && py / stride < oh && px / stride < ow) {
                                    rowsTmp[e++] = (oc * oh + py / stride) * ow + px / stride;
                                }
                            }
                        }
                    }
                    start[(ci * h + y) * w + x + 1] = e;
                }
            }
        }
        colStart = start;
        rows = Arrays.copyOf(rowsTmp, e);
    }

    private int[] rows() {
        int[] r = rows;
        if (r == null) {
            buildConvPattern();
            r = rows;
        }
        return r;
    }

    private int[] colStart() {
        int[] s = colStart;
        if (s == null) {
            buildConvPattern();
            s = colStart;
        }
        return s;
    }

    public Kind kind() {
        return kind;
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return outputs;
    }

    /** Number of (input, output) pairs with a weight: the multiply-accumulates per batch column. */
    public int entries() {
        return rows().length;
    }

    public int columnStart(int k) {
        return colStart()[k];
    }

    public int columnEnd(int k) {
        return colStart()[k + 1];
    }

    public int row(int e) {
        return rows()[e];
    }

    /** The geometry the shape was made from: {m, n} for dense, {c, h, w, o, kh, kw, stride, pad, oh, ow, groups} for conv. */
    public int[] geometry() {
        return geometry.clone();
    }

    /** A clear error when a share does not fit this shape for {@code batch} columns. */
    public void checkInput(long[] x, int batch) {
        if (batch < 1 || (long) inputs * batch != x.length) {
            throw new IllegalArgumentException(kind + " layer takes " + inputs + " inputs per column; got " + x.length
                    + " values for a batch of " + batch);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearShape s && kind == s.kind && Arrays.equals(geometry, s.geometry);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(geometry);
    }

    @Override
    public String toString() {
        return kind + Arrays.toString(geometry);
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
    }
}
