package org.fusionmpc.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fusionmpc.api.random.Prg;
import org.junit.jupiter.api.Test;

/**
 * The homomorphic matrix-vector product on shares, both parties in one place: the client encrypts its share
 * of x; the server multiplies by its weights, adds W·(its share) and a uniform mask r over every coefficient,
 * and keeps r at the output coefficients as its share; the client's decryption there is its share.
 * Checked against W·x mod 2^ℓ in plain longs, for the SecureML and MiniONN layer shapes.
 */
class CheetahMatVecTest {

    @Test
    void sharesOfWxModTwoToTheLForTheReferenceLayerShapes() {
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        int l = 37;
        long mask = (1L << l) - 1;
        SplittableRandom r = new SplittableRandom(3);
        for (int[] shape : new int[][] {{128, 784}, {10, 128}, {100, 256}, {3, 5}}) {
            int m = shape[0];
            int n = shape[1];
            long[] w = r.longs((long) m * n, -4096, 4097).toArray(); // fixed-point weights, |w| ≤ 2^12
            long[] x = r.longs(n).map(v -> v & mask).toArray();
            long[] xs = r.longs(n).map(v -> v & mask).toArray();
            long[] xc = new long[n];
            for (int j = 0; j < n; j++) {
                xc[j] = (x[j] - xs[j]) & mask;
            }
            SecretKeyRlwe client = new SecretKeyRlwe(ring, l, Prg.fromSecureRandom());
            CheetahMatVec enc = new CheetahMatVec(ring.n(), m, n);
            SecretKeyRlwe.Ciphertext[] inputs = new SecretKeyRlwe.Ciphertext[enc.columnBlocks()];
            for (int cb = 0; cb < inputs.length; cb++) {
                inputs[cb] = client.encrypt(enc.encodeInput(xc, cb)); // what the client sends
            }
            long[] y = new long[m];
            long[] serverShare = new long[m];
            long[] clientShare = new long[m];
            for (int rb = 0; rb < enc.rowBlocks(); rb++) {
                // Server: Σ over column blocks of ct·ŵ, plus Δ·(ŵ·x̂_s - mask) added with public parameters only.
                SecretKeyRlwe.Ciphertext acc = null;
                long[] plain = new long[ring.n()];
                for (int cb = 0; cb < enc.columnBlocks(); cb++) {
                    long[] wp = enc.encodeWeights(w, rb, cb);
                    SecretKeyRlwe.Ciphertext t = inputs[cb].times(ring.fromSigned(wp));
                    acc = acc == null ? t : acc.plus(t);
                    long[] xsp = enc.encodeInput(xs, cb);
                    long[] prod = SecretKeyRlweTest.plainProduct(xsp, wp, l);
                    for (int k = 0; k < plain.length; k++) {
                        plain[k] += prod[k];
                    }
                }
                long[] rMask = new long[ring.n()];
                for (int k = 0; k < rMask.length; k++) {
                    rMask[k] = r.nextLong() & mask;
                    plain[k] = (plain[k] - rMask[k]) & mask;
                }
                acc = SecretKeyRlwe.addPlain(ring, l, acc, plain);
                long[] dec = client.decrypt(acc);
                for (int i = 0; i < enc.rowsIn(rb); i++) {
                    int row = rb * enc.rowBlockSize() + i;
                    clientShare[row] = dec[enc.outputCoefficient(i)];
                    serverShare[row] = rMask[enc.outputCoefficient(i)];
                }
            }
            for (int i = 0; i < m; i++) {
                long acc = 0;
                for (int j = 0; j < n; j++) {
                    acc += w[i * n + j] * x[j];
                }
                y[i] = acc & mask;
            }
            long[] sum = new long[m];
            for (int i = 0; i < m; i++) {
                sum[i] = (clientShare[i] + serverShare[i]) & mask;
            }
            assertArrayEquals(y, sum, m + "x" + n);
            long sent = (long) enc.columnBlocks() * 2 * ring.limbs() * ring.n() * 8;
            long back = (long) enc.rowBlocks() * 2 * ring.limbs() * ring.n() * 8;
            System.out.printf("cheetah: %dx%d in %d input and %d output ciphertexts (%d + %d KiB before packing; OT mode: %d KiB)%n",
                    m, n, enc.columnBlocks(), enc.rowBlocks(), sent >> 10, back >> 10, (long) m * n * 260 >> 10);
            assertTrue(enc.columnBlockSize() * (enc.rowBlockSize() + 1) <= ring.n());
        }
    }
}
