package org.fusionmpc.ring;

import java.util.Arrays;
import java.util.Objects;
import org.fusionmpc.api.random.Prg;

/**
 * One party's additive share of a tensor over Z_2^64: a row-major {@code long[]} (wrapping arithmetic) and
 * its shape. The plain value is the element-wise sum of both parties' shares mod 2^64.
 */
public final class ShareTensor {

    private final long[] data;
    private final int[] shape;

    public ShareTensor(long[] data, int... shape) {
        this.data = Objects.requireNonNull(data, "data");
        this.shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("bad shape " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " elements, data has " + data.length);
        }
    }

    /** Splits a plain tensor into two random shares: {mine, theirs}. */
    public static ShareTensor[] split(long[] plain, Prg prg, int... shape) {
        long[] a = new long[plain.length];
        prg.nextLongs(a);
        long[] b = new long[plain.length];
        for (int i = 0; i < plain.length; i++) {
            b[i] = plain[i] - a[i];
        }
        return new ShareTensor[] {new ShareTensor(a, shape), new ShareTensor(b, shape)};
    }

    public long[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return data.length;
    }

    public ShareTensor reshape(int... newShape) {
        return new ShareTensor(data, newShape);
    }

    /** Element-wise sum of two shares of the same shape (a local operation). */
    public ShareTensor plus(ShareTensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException("shapes differ: " + Arrays.toString(shape) + " and " + Arrays.toString(other.shape));
        }
        long[] r = new long[data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = data[i] + other.data[i];
        }
        return new ShareTensor(r, shape);
    }

    @Override
    public String toString() {
        return "ShareTensor" + Arrays.toString(shape);
    }
}
