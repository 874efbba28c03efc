package org.fusionmpc.fusion;

import java.util.Locale;
import java.util.function.IntUnaryOperator;

/**
 * The one code path every Fusion input goes through before it is shared, query or check sample alike: values must
 * be finite and in [0, 1], and are put on the grid of 8-bit images (k/255), the grid the IDX check sets are on. A
 * model can tell inputs apart by anything that differs between them, such as a PNG's (R+G+B)/765 levels against an
 * IDX file's k/255; on one grid, what is left to tell them apart is their content.
 *
 * <p>{@link #perturb} is the optional label-preserving randomisation ({@code FusionClient#withInputNoise}): every
 * pixel moves by a uniform number of grid steps in [-L, L], clamped to [0, 1], for every input alike.
 */
public final class InputGrid {

    /** Grid steps per unit: 8-bit grey levels. */
    public static final int LEVELS = 255;

    private InputGrid() {
    }

    /** {@code x} on the grid; a value that is not a number or lies outside [0, 1] is a clear error naming it. */
    public static double[] onGrid(double[] x, String what) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: value %d is %s; inputs must lie in [0, 1]", what, i, v));
            }
            y[i] = Math.rint(v * LEVELS) / LEVELS;
        }
        return y;
    }

    /** {@code x} (on the grid) with every value moved by uniform steps in [-levels, levels] and clamped to [0, 1]. */
    static double[] perturb(double[] x, int levels, IntUnaryOperator nextInt) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int k = (int) Math.rint(x[i] * LEVELS) + nextInt.applyAsInt(2 * levels + 1) - levels;
            y[i] = Math.min(LEVELS, Math.max(0, k)) / (double) LEVELS;
        }
        return y;
    }
}
