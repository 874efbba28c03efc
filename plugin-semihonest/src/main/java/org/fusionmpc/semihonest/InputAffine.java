package org.fusionmpc.semihonest;

import java.util.Arrays;

/**
 * A public affine map on a model's input, per channel: x ↦ x·scale[c] + shift[c] for the elements of channel c
 * (the input's first dimension; one channel for a flat input). What a model's own normalisation amounts to
 * ({@code (x - 0.1307) / 0.3081}, a first-layer BatchNormalization): the client applies it to its plaintext input
 * before sharing, which is exact where folding into a padded convolution would not be (padding pads the
 * normalised input with zeros, not the raw one).
 */
public record InputAffine(double[] scale, double[] shift) {

    public InputAffine {
        if (scale.length != shift.length || scale.length == 0) {
            throw new ModelException("an input normalisation needs as many scales as shifts, at least one; got " + scale.length + " and " + shift.length);
        }
        for (int i = 0; i < scale.length; i++) {
            if (!Double.isFinite(scale[i]) || !Double.isFinite(shift[i])) {
                throw new ModelException("input normalisation channel " + i + " is not finite: scale " + scale[i] + ", shift " + shift[i]);
            }
        }
        scale = scale.clone();
        shift = shift.clone();
    }

    /** The identity on {@code channels} channels. */
    static InputAffine identity(int channels) {
        double[] one = new double[channels];
        Arrays.fill(one, 1);
        return new InputAffine(one, new double[channels]);
    }

    public int channels() {
        return scale.length;
    }

    /** This map followed by y ↦ y·mul[c] + add[c] (each array of length 1 or {@link #channels()}). */
    InputAffine then(double[] mul, double[] add) {
        double[] s = scale.clone();
        double[] t = shift.clone();
        for (int c = 0; c < s.length; c++) {
            double m = mul[mul.length == 1 ? 0 : c];
            s[c] *= m;
            t[c] = t[c] * m + add[add.length == 1 ? 0 : c];
        }
        return new InputAffine(s, t);
    }

    /** The map applied to a whole input (a copy). */
    public double[] apply(double[] x) {
        double[] y = new double[x.length];
        int per = x.length / scale.length;
        for (int i = 0; i < x.length; i++) {
            int c = i / per;
            y[i] = x[i] * scale[c] + shift[c];
        }
        return y;
    }
}
