package org.fusionmpc.fusion;

import java.util.Locale;
import java.util.function.IntUnaryOperator;

/**
 * The value grid every Fusion input goes through before it is shared, query or check sample alike: values must be
 * finite and in [lo, hi], and are rounded to one of {@code levels + 1} evenly spaced values. A model can tell inputs
 * apart by anything that differs between them, such as a PNG's (R+G+B)/765 levels against an IDX file's k/255; on
 * one grid, what is left to tell them apart is their content.
 *
 * <p>The grid is the check set's ({@link LabelledSet#grid()}): 8-bit images, or any set whose values are all k/255,
 * are on {@link #EIGHT_BIT}; any other set on a fine grid over its own range, so a query outside the range the check
 * samples span is refused rather than stand out.
 *
 * <p>{@link #perturb} is the optional label-preserving randomisation ({@code FusionClient#withInputNoise}): every
 * value moves by a uniform number of grid steps in [-L, L], clamped to the range, for every input alike.
 */
public record InputGrid(double lo, double hi, int levels) {

    /** 8-bit grey or colour levels k/255 in [0, 1]. */
    public static final InputGrid EIGHT_BIT = new InputGrid(0, 1, 255);

    /** Levels of the grid a set off the 8-bit grid is put on. */
    static final int FINE_LEVELS = 65_535;

    public InputGrid {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo <= hi) || levels < 1) {
            throw new IllegalArgumentException("an input grid needs finite lo <= hi and at least one step, got [" + lo + ", " + hi + "] in " + levels);
        }
    }

    /** The grid of these values: {@link #EIGHT_BIT} when every value is k/255 in [0, 1], else a fine grid over their range. */
    static InputGrid fitting(double[][] values) {
        boolean eightBit = true;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] x : values) {
            for (double v : x) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                eightBit &= v >= 0 && v <= 1 && Math.abs(v * 255 - Math.rint(v * 255)) < 1e-4;
            }
        }
        if (eightBit) {
            return EIGHT_BIT;
        }
        return new InputGrid(min, max == min ? min + 1 : max, FINE_LEVELS);
    }

    /** Grid point k, computed so that the 8-bit grid's points are exactly k/255. */
    private double point(long k) {
        return lo + (hi - lo) * k / levels;
    }

    private long index(double v) {
        return Math.round((v - lo) / (hi - lo) * levels);
    }

    /** {@code x} on the grid; a value that is not a number or lies outside [lo, hi] is a clear error naming it. */
    public double[] onGrid(double[] x, String what) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (!(v >= lo && v <= hi)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: value %d is %s; inputs must lie in [%s, %s]%s", what, i, v,
                        lo, hi, equals(EIGHT_BIT) ? "" : ", the range of the check set's values"));
            }
            y[i] = point(index(v));
        }
        return y;
    }

    /** {@code x} (on the grid) with every value moved by uniform steps in [-steps, steps] and clamped to the range. */
    double[] perturb(double[] x, int steps, IntUnaryOperator nextInt) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            long k = index(x[i]) + nextInt.applyAsInt(2 * steps + 1) - steps;
            y[i] = point(Math.min(levels, Math.max(0, k)));
        }
        return y;
    }
}
