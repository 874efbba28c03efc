package org.fusionmpc.he;

/**
 * Cheetah's coefficient encoding of a 2-D convolution (stride 1, no padding; padding is zeros both parties
 * insert locally, and a stride is a local subsampling of the stride-1 output): a block of C_b input channels
 * of H×W becomes x̂ = Σ x[c][i][j] X^(c·HW + i·W + j), the kernel of filter m on that block becomes
 * k̂ = Σ K[m][c][u][v] X^(O - (c·HW + u·W + v)) with O = (C_b - 1)·HW + (h - 1)·W + (h - 1), and coefficient
 * O + i'·W + j' of x̂·k̂ is output (i', j') of filter m over the block. No other product term lands on an
 * output coefficient: among the exponents below N a shift across a row or channel would need an input index
 * outside its row or channel, and with C_b·H·W ≤ N (Cheetah's own condition) the exponents that reach N are
 * below O + C_b·H·W, so they wrap around (negated) to below O, where no output is read. The last output
 * coefficient, O + (H - h)·W + W - h = C_b·H·W - 1, stays below N. Channel blocks of one filter are summed.
 */
public final class CheetahConv {

    private final int n;
    private final int c;
    private final int h;
    private final int w;
    private final int filters;
    private final int kh;
    private final int kw;
    private final int cb;

    public CheetahConv(int ringN, int channels, int height, int width, int filters, int kernel) {
        this(ringN, channels, height, width, filters, kernel, kernel);
    }

    /** A convolution of a c×h×w input with {@code filters} kernels of c×kh×kw (stride 1, no padding). */
    public CheetahConv(int ringN, int channels, int height, int width, int filters, int kh, int kw) {
        if (channels < 1 || height < kh || width < kw || filters < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("bad convolution " + channels + "x" + height + "x" + width + ", " + filters + "@" + kh + "x" + kw);
        }
        if ((long) height * width > ringN) {
            throw new IllegalArgumentException("a " + height + "x" + width + " channel does not fit N = " + ringN
                    + " (spatial tiling is not implemented yet)");
        }
        this.n = ringN;
        this.c = channels;
        this.h = height;
        this.w = width;
        this.filters = filters;
        this.kh = kh;
        this.kw = kw;
        this.cb = Math.min(channels, ringN / (height * width));
    }

    public int channelBlocks() {
        return (c + cb - 1) / cb;
    }

    public int outHeight() {
        return h - kh + 1;
    }

    public int outWidth() {
        return w - kw + 1;
    }

    /** Channels per input polynomial. */
    public int channelsPerBlock() {
        return cb;
    }

    private int offset() {
        return (cb - 1) * h * w + (kh - 1) * w + (kw - 1);
    }

    /** The input polynomial of channel block {@code b}; x is c×h×w row-major. */
    public long[] encodeInput(long[] x, int b) {
        long[] p = new long[n];
        for (int ci = 0; ci < cb && b * cb + ci < c; ci++) {
            System.arraycopy(x, (b * cb + ci) * h * w, p, ci * h * w, h * w);
        }
        return p;
    }

    /** The kernel polynomial of filter {@code m} on channel block {@code b}; weights filters×c×kh×kw row-major (ONNX). */
    public long[] encodeKernel(long[] weights, int m, int b) {
        long[] p = new long[n];
        int o = offset();
        for (int ci = 0; ci < cb && b * cb + ci < c; ci++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                    p[o - (ci * h * w + u * w + v)] = weights[((m * c + b * cb + ci) * kh + u) * kw + v];
                }
            }
        }
        return p;
    }

    /** The coefficient that holds output (i, j) in a filter's summed product. */
    public int outputCoefficient(int i, int j) {
        return offset() + i * w + j;
    }

    public int filters() {
        return filters;
    }
}
