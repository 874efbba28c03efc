package org.fusionmpc.he;

/**
 * Cheetah's coefficient encoding of a matrix-vector product y = W·x (Huang et al., USENIX Security 2022),
 * with no rotations: a block of n_b inputs becomes x̂ = Σ_j x_j X^j, a block of m_b × n_b weights becomes
 * ŵ = Σ_i Σ_j W[i][j] X^(i·n_b + n_b - 1 - j), and coefficient i·n_b + n_b - 1 of x̂·ŵ is Σ_j W[i][j]·x_j.
 * With (m_b + 1)·n_b ≤ N no exponent reaches N, so nothing wraps around X^N = -1, and no other product term
 * lands on those coefficients (their exponents differ by a non-zero multiple of less than n_b).
 * Larger matrices are tiled: one input polynomial per block of n_b columns, one product per tile, and the
 * products of a row block summed.
 */
public final class CheetahMatVec {

    private final int n;
    private final int rows;
    private final int cols;
    private final int nb;
    private final int mb;

    /** A tiling of an m×n product for ring dimension N: the column block n_b as large as it can be with m_b ≥ 1. */
    public CheetahMatVec(int ringN, int m, int n) {
        if (m < 1 || n < 1) {
            throw new IllegalArgumentException("matrix dimensions must be positive: " + m + "x" + n);
        }
        this.n = ringN;
        this.rows = m;
        this.cols = n;
        // Balance the blocks: the largest power-of-two n_b with m_b = N/n_b - 1 rows still covering up to m.
        int best = 1;
        for (int b = 1; b <= Math.min(n, ringN / 2); b <<= 1) {
            int mbFor = ringN / b - 1;
            if (tiles(b, Math.min(mbFor, m)) <= tiles(best, Math.min(ringN / best - 1, m))) {
                best = b;
            }
        }
        this.nb = Math.min(best, n);
        this.mb = Math.min(ringN / nb - 1, m);
    }

    private int tiles(int b, int mbFor) {
        return ((cols + b - 1) / b) * ((rows + mbFor - 1) / mbFor);
    }

    public int columnBlocks() {
        return (cols + nb - 1) / nb;
    }

    public int rowBlocks() {
        return (rows + mb - 1) / mb;
    }

    /** Input polynomial of column block {@code cb}: coefficients x_j (as longs; the caller reduces). */
    public long[] encodeInput(long[] x, int cb) {
        long[] p = new long[n];
        for (int j = 0; j < nb; j++) {
            int col = cb * nb + j;
            if (col < cols) {
                p[j] = x[col];
            }
        }
        return p;
    }

    /** Weight polynomial of tile (row block {@code rb}, column block {@code cb}), W row-major m×n. */
    public long[] encodeWeights(long[] w, int rb, int cb) {
        long[] p = new long[n];
        for (int i = 0; i < mb; i++) {
            int row = rb * mb + i;
            if (row >= rows) {
                break;
            }
            for (int j = 0; j < nb; j++) {
                int col = cb * nb + j;
                if (col < cols) {
                    p[i * nb + nb - 1 - j] = w[row * cols + col];
                }
            }
        }
        return p;
    }

    /** The coefficient of a row block's product that holds output row {@code rb·m_b + i}. */
    public int outputCoefficient(int i) {
        return i * nb + nb - 1;
    }

    /** Output rows in row block {@code rb}. */
    public int rowsIn(int rb) {
        return Math.min(mb, rows - rb * mb);
    }

    public int rowBlockSize() {
        return mb;
    }

    public int columnBlockSize() {
        return nb;
    }
}
