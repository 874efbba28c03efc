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

    /** The lazy butterflies at their limits: inputs of all zeros, all p - 1, and (lazy forward) values just below 4p. */
    @Test
    void lazyButterfliesAreExactAtTheEdgesOfTheirRanges() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 4096;
        long[] primes = {Ntt.primes(54, n, 1)[0], Ntt.primes(60, n, 1)[0], Ntt.primes(61, n, 1)[0]};
        for (long p : primes) {
            Ntt ntt = new Ntt(p, n);
            long[] zeros = new long[n];
            long[] maxed = new long[n];
            java.util.Arrays.fill(maxed, p - 1);
            long[] random = r.longs(n, 0, p).toArray();
            long[] other = r.longs(n, 0, p).toArray();
            for (long[] a : new long[][] {zeros, maxed, random}) {
                long[] want = ntt.schoolbook(a, other);
                long[] fa = a.clone();
                long[] fb = other.clone();
                ntt.forward(fa);
                ntt.forward(fb);
                for (long v : fa) {
                    assertTrue(v >= 0 && v < p, "forward leaves [0, p)");
                }
                long[] c = new long[n];
                ntt.pointwise(fa, fb, c);
                ntt.inverse(c);
                assertArrayEquals(want, c, "p=" + p);
            }
            // A lazy input: each residue plus a multiple of p that puts it within p of 4p (or at 3p + x).
            long[] lazy = new long[n];
            for (int k = 0; k < n; k++) {
                lazy[k] = random[k] + 3 * p;
            }
            ntt.forwardLazy(lazy);
            long[] exact = random.clone();
            ntt.forward(exact);
            for (int k = 0; k < n; k++) {
                assertTrue(lazy[k] >= 0 && lazy[k] < 4 * p, "lazy output in [0, 4p)");
                assertEquals(exact[k], lazy[k] % p);
            }
            // The inverse takes any evaluations in [0, 2p).
            long[] twice = exact.clone();
            for (int k = 0; k < n; k += 2) {
                twice[k] += p;
            }
            ntt.inverse(twice);
            assertArrayEquals(random, twice);
        }
        assertThrows(IllegalArgumentException.class, () -> new Ntt(Ntt.primes(62, 16, 1)[0], 16));
    }

    @Test
    void shoupProductsStayWithinTwoP() {
        SplittableRandom r = new SplittableRandom(4);
        for (long p : new long[] {Ntt.primes(54, 4096, 1)[0], Ntt.primes(61, 4096, 1)[0]}) {
            BigInteger bp = BigInteger.valueOf(p);
            for (int i = 0; i < 100_000; i++) {
                long w = i < 3 ? p - 1 - i : r.nextLong(p);
                long y = i % 7 == 0 ? Long.MAX_VALUE - i : r.nextLong(Long.MAX_VALUE);
                long got = Ntt.shoupMulLazy(w, Ntt.shoup(w, p), y, p);
                assertTrue(got >= 0 && got < 2 * p, "in [0, 2p)");
                assertEquals(BigInteger.valueOf(w).multiply(BigInteger.valueOf(y)).mod(bp).longValueExact(), got % p);
            }
        }
    }

    /** The lazy multiply-accumulate against BigInteger, at the edges of its ranges (x, w = p - 1; acc just below 2p). */
    @Test
    void multiplyAccumulateIsExactModPAndStaysBelowTwoP() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 1024;
        for (long p : new long[] {Ntt.primes(54, n, 1)[0], Ntt.primes(61, n, 1)[0]}) {
            Ntt ntt = new Ntt(p, n);
            Modulus m = ntt.modulus();
            BigInteger bp = BigInteger.valueOf(p);
            long[] x = r.longs(n, 0, p).toArray();
            long[] w = r.longs(n, 0, p).toArray();
            long[] acc = r.longs(n, 0, 2 * p).toArray();
            x[0] = p - 1;
            w[0] = p - 1;
            acc[0] = 2 * p - 1;
            x[1] = 0;
            acc[2] = 0;
            long[] wm = new long[n];
            for (int k = 0; k < n; k++) {
                wm[k] = m.toMont(w[k]);
            }
            long[] before = acc.clone();
            for (int round = 0; round < 3; round++) {
                ntt.multiplyAccumulate(x, wm, acc);
            }
            for (int k = 0; k < n; k++) {
                BigInteger want = BigInteger.valueOf(before[k]).add(BigInteger.valueOf(x[k]).multiply(BigInteger.valueOf(w[k]))
                        .multiply(BigInteger.valueOf(3))).mod(bp);
                assertTrue(acc[k] >= 0 && acc[k] < 2 * p, "lazy accumulator in [0, 2p)");
                assertEquals(want.longValueExact(), acc[k] % p, "coefficient " + k);
            }
            ntt.reduce(acc);
            for (long v : acc) {
                assertTrue(v >= 0 && v < p);
            }
        }
    }

    /** A polynomial in X^stride transforms by the strided shortcut exactly as by the full transform, for every stride. */
    @Test
    void theStridedForwardEqualsTheFullOne() {
        SplittableRandom r = new SplittableRandom(6);
        int n = 4096;
        long p = Ntt.primes(54, n, 1)[0];
        Ntt ntt = new Ntt(p, n);
        for (int stride = 1; stride <= n; stride <<= 1) {
            for (int trial = 0; trial < 3; trial++) {
                long[] a = new long[n];
                for (int k = 0; k < n; k += stride) {
                    a[k] = trial == 1 ? p - 1 : trial == 2 && k > 0 ? 0 : r.nextLong(p);
                }
                long[] want = a.clone();
                ntt.forward(want);
                ntt.forwardStrided(a, stride);
                assertArrayEquals(want, a, "stride " + stride + " trial " + trial);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ntt.forwardStrided(new long[n], 3));
    }
}
