package org.fusionmpc.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.fusionmpc.api.random.Prg;
import org.junit.jupiter.api.Test;

/** Homomorphic convolutions on shares against plain convolution mod 2^37, for MiniONN's two MNIST layers and more. */
class CheetahConvTest {

    static final int L = 37;
    static final long MASK = (1L << L) - 1;

    static long[] plainConv(long[] x, long[] wt, int c, int h, int w, int f, int k) {
        int oh = h - k + 1;
        int ow = w - k + 1;
        long[] y = new long[f * oh * ow];
        for (int m = 0; m < f; m++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    long acc = 0;
                    for (int ci = 0; ci < c; ci++) {
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                acc += wt[((m * c + ci) * k + u) * k + v] * x[(ci * h + i + u) * w + j + v];
                            }
                        }
                    }
                    y[(m * oh + i) * ow + j] = acc & MASK;
                }
            }
        }
        return y;
    }

    @Test
    void sharesOfTheConvolutionEqualPlaintext() {
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        SplittableRandom r = new SplittableRandom(5);
        for (int[] s : new int[][] {{1, 28, 28, 16, 5}, {16, 12, 12, 16, 5}, {3, 9, 7, 2, 3}, {20, 16, 16, 2, 3}, {1, 64, 64, 2, 3}}) {
            int c = s[0], h = s[1], w = s[2], f = s[3], k = s[4];
            long[] wt = r.longs((long) f * c * k * k, -4096, 4097).toArray();
            long[] x = r.longs((long) c * h * w).map(v -> v & MASK).toArray();
            long[] xs = r.longs(x.length).map(v -> v & MASK).toArray();
            long[] xc = new long[x.length];
            for (int i = 0; i < x.length; i++) {
                xc[i] = (x[i] - xs[i]) & MASK;
            }
            SecretKeyRlwe client = new SecretKeyRlwe(ring, L, Prg.fromSecureRandom());
            CheetahConv enc = new CheetahConv(ring.n(), c, h, w, f, k);
            SecretKeyRlwe.Ciphertext[] in = new SecretKeyRlwe.Ciphertext[enc.channelBlocks()];
            for (int b = 0; b < in.length; b++) {
                in[b] = client.encrypt(enc.encodeInput(xc, b));
            }
            int oh = enc.outHeight();
            int ow = enc.outWidth();
            long[] sum = new long[f * oh * ow];
            for (int m = 0; m < f; m++) {
                SecretKeyRlwe.Ciphertext acc = null;
                long[] plain = new long[ring.n()];
                for (int b = 0; b < in.length; b++) {
                    long[] kp = enc.encodeKernel(wt, m, b);
                    SecretKeyRlwe.Ciphertext t = in[b].times(ring.fromSigned(kp));
                    acc = acc == null ? t : acc.plus(t);
                    long[] prod = SecretKeyRlweTest.plainProduct(enc.encodeInput(xs, b), kp, L);
                    for (int i = 0; i < plain.length; i++) {
                        plain[i] += prod[i];
                    }
                }
                long[] mask = r.longs(ring.n()).map(v -> v & MASK).toArray();
                for (int i = 0; i < plain.length; i++) {
                    plain[i] = (plain[i] - mask[i]) & MASK;
                }
                long[] dec = client.decrypt(SecretKeyRlwe.addPlain(ring, L, acc, plain));
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int at = enc.outputCoefficient(i, j);
                        sum[(m * oh + i) * ow + j] = (dec[at] + mask[at]) & MASK;
                    }
                }
            }
            assertArrayEquals(plainConv(x, wt, c, h, w, f, k), sum, c + "x" + h + "x" + w + " " + f + "@" + k);
        }
        assertThrows(IllegalArgumentException.class, () -> new CheetahConv(4096, 3, 65, 64, 8, 3));
    }
}
