package org.fusionmpc.ring;

/**
 * Fixed-point numbers in Z_2^64: a real x is the integer round(x·2^f) in two's complement. The default
 * {@value #DEFAULT_FRACTION_BITS} fractional bits give a resolution of about 2.4e-4. A value whose encoding
 * would not fit in 63 bits plus sign (and NaN or an infinity) is an error, not a silent wrap.
 */
public final class FixedPoint {

    public static final int DEFAULT_FRACTION_BITS = 12;

    private final int f;
    private final double scale;

    public FixedPoint(int fractionBits) {
        if (fractionBits < 0 || fractionBits > 40) {
            throw new IllegalArgumentException("fraction bits must be 0..40, got " + fractionBits);
        }
        this.f = fractionBits;
        this.scale = Math.scalb(1.0, fractionBits);
    }

    public static FixedPoint defaults() {
        return new FixedPoint(DEFAULT_FRACTION_BITS);
    }

    public int fractionBits() {
        return f;
    }

    public long encode(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("cannot encode " + x + " in fixed point");
        }
        double v = Math.rint(x * scale);
        if (v >= 0x1p63 || v < -0x1p63) {
            throw new IllegalArgumentException(x + " is outside the fixed-point range ±" + Math.scalb(1.0, 63 - f)
                    + " (" + f + " fraction bits)");
        }
        return (long) v;
    }

    public long[] encode(double[] x) {
        long[] r = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            try {
                r[i] = encode(x[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("element " + i + ": " + e.getMessage(), e);
            }
        }
        return r;
    }

    public double decode(long v) {
        return v / scale;
    }

    public double[] decode(long[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = decode(v[i]);
        }
        return r;
    }
}
