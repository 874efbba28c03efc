package org.fusionmpc.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fusionmpc.api.random.Prg;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecretKeyRlweTest {

    static RnsPoly.Ring ring;

    @BeforeAll
    static void setUp() {
        ring = SecretKeyRlwe.standard();
    }

    @Test
    void encryptDecryptRoundTripsForCheetahsPlaintextWidths() {
        SplittableRandom r = new SplittableRandom(1);
        for (int l : new int[] {20, 37, 41}) {
            SecretKeyRlwe he = new SecretKeyRlwe(ring, l, Prg.fromSecureRandom());
            long[] m = r.longs(ring.n()).map(x -> x & ((1L << l) - 1)).toArray();
            SecretKeyRlwe.Ciphertext c = he.encrypt(m);
            assertArrayEquals(m, he.decrypt(c), "l=" + l);
            double noise = he.noiseBits(c, m);
            System.out.printf("rlwe: l=%d fresh noise 2^%.0f, budget 2^%.0f%n", l, noise, he.noiseBudgetBits());
            assertTrue(noise < 8, "fresh noise 2^" + noise);
        }
    }

    /** (m·w mod X^N + 1) mod 2^ℓ in plain longs: the reference for the homomorphic product. */
    static long[] plainProduct(long[] m, long[] w, int l) {
        int n = m.length;
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            if (w[i] == 0) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                long p = w[i] * m[j];
                if (i + j < n) {
                    c[i + j] += p;
                } else {
                    c[i + j - n] -= p;
                }
            }
        }
        long mask = (1L << l) - 1;
        for (int k = 0; k < n; k++) {
            c[k] &= mask;
        }
        return c;
    }

    @Test
    void aCiphertextTimesSmallWeightsDecryptsToTheProductModTwoToTheL() {
        SplittableRandom r = new SplittableRandom(2);
        for (int l : new int[] {20, 37, 41}) {
            SecretKeyRlwe he = new SecretKeyRlwe(ring, l, Prg.fromSecureRandom());
            long[] m = r.longs(ring.n()).map(x -> x & ((1L << l) - 1)).toArray();
            long[] w = new long[ring.n()];
            for (int k = 0; k < w.length; k++) {
                w[k] = k % 7 == 0 ? r.nextLong(-4096, 4097) : 0; // fixed-point weights: |w| ≤ 2^12, a sparse kernel
            }
            SecretKeyRlwe.Ciphertext c = he.encrypt(m).times(ring.fromSigned(w));
            long[] want = plainProduct(m, w, l);
            assertArrayEquals(want, he.decrypt(c), "l=" + l);
            double noise = he.noiseBits(c, want);
            System.out.printf("rlwe: l=%d after a product with |w| <= 2^12: noise 2^%.0f of budget 2^%.0f%n", l, noise, he.noiseBudgetBits());
            assertTrue(noise < he.noiseBudgetBits(), "no noise margin left");
        }
    }

    @Test
    void parametersWithoutNoiseRoomAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SecretKeyRlwe(ring, 90, Prg.fromSecureRandom()));
        assertThrows(IllegalArgumentException.class, () -> he().encrypt(new long[3]));
    }

    static SecretKeyRlwe he() {
        return new SecretKeyRlwe(ring, 37, Prg.fromSecureRandom());
    }
}
