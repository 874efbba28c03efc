package org.fusionmpc.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NttTest {

    @Test
    void montgomeryArithmeticMatchesBigInteger() {
        SplittableRandom r = new SplittableRandom(1);
        for (long p : Ntt.primes(61, 4096, 2)) {
            Modulus m = new Modulus(p);
            BigInteger bp = BigInteger.valueOf(p);
            for (int i = 0; i < 20_000; i++) {
                long a = r.nextLong(p);
                long b = i < 10 ? p - 1 - i : r.nextLong(p);
                assertEquals(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(bp).longValueExact(), m.mul(a, b));
                assertEquals(a, m.fromMont(m.toMont(a)));
            }
            assertEquals(1, m.mul(12345, m.inverse(12345)));
        }
    }

    @Test
    void transformMultipliesLikeTheSchoolbookForEverySize() {
        SplittableRandom r = new SplittableRandom(2);
        for (int n : new int[] {2, 4, 16, 256, 1024}) {
            for (long p : Ntt.primes(54, n, 2)) {
                Ntt ntt = new Ntt(p, n);
                long[] a = r.longs(n, 0, p).toArray();
                long[] b = r.longs(n, 0, p).toArray();
                long[] want = ntt.schoolbook(a, b);
                long[] fa = a.clone();
                long[] fb = b.clone();
                ntt.forward(fa);
                ntt.forward(fb);
                long[] c = new long[n];
                ntt.pointwise(fa, fb, c);
                ntt.inverse(c);
                assertArrayEquals(want, c, "n=" + n + " p=" + p);
                long[] back = fa.clone();
                ntt.inverse(back);
                assertArrayEquals(a, back, "inverse of forward");
            }
        }
    }

    @Test
    void xTimesXToTheNMinusOneIsMinusOne() {
        int n = 64;
        long p = Ntt.primes(50, n, 1)[0];
        Ntt ntt = new Ntt(p, n);
        long[] x = new long[n];
        long[] xn1 = new long[n];
        x[1] = 1;
        xn1[n - 1] = 1;
        long[] c = ntt.schoolbook(x, xn1);
        assertEquals(p - 1, c[0]); // X · X^(N-1) = X^N = -1
        ntt.forward(x);
        ntt.forward(xn1);
        ntt.pointwise(x, xn1, c);
        ntt.inverse(c);
        assertEquals(p - 1, c[0]);
    }

    @Test
    void primesAreNttFriendlyAndBadParametersAreRefused() {
        for (long p : Ntt.primes(54, 4096, 3)) {
            assertEquals(1, p % 8192);
            assertTrue(p < 1L << 54 && p > 1L << 53, Long.toString(p));
        }
        assertThrows(IllegalArgumentException.class, () -> new Ntt(97, 3));
        assertThrows(IllegalArgumentException.class, () -> new Ntt(101, 64));
    }
}
