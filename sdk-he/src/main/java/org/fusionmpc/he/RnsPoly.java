package org.fusionmpc.he;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The ring R_q = Z_q[X]/(X^N + 1) with q = q_0·q_1·... a product of NTT-friendly primes (a residue number
 * system): a polynomial is one row of N residues per prime. Arithmetic is per prime; products go through the
 * NTT. {@link #lift} rebuilds a coefficient modulo q by the Chinese remainder theorem (BigInteger; used at
 * decryption, not in hot loops).
 */
public final class RnsPoly {

    /** The shared parameters of a ring: N, the primes and their transforms. */
    public static final class Ring {
        final int n;
        final long[] primes;
        final Ntt[] ntt;
        final BigInteger q;
        private final BigInteger[] crt; // (q/q_i)·((q/q_i)^-1 mod q_i)

        public Ring(int n, long[] primes) {
            this.n = n;
            this.primes = primes.clone();
            this.ntt = new Ntt[primes.length];
            BigInteger prod = BigInteger.ONE;
            for (int i = 0; i < primes.length; i++) {
                ntt[i] = new Ntt(primes[i], n);
                prod = prod.multiply(BigInteger.valueOf(primes[i]));
            }
            this.q = prod;
            this.crt = new BigInteger[primes.length];
            for (int i = 0; i < primes.length; i++) {
                BigInteger qi = BigInteger.valueOf(primes[i]);
                BigInteger rest = q.divide(qi);
                crt[i] = rest.multiply(rest.modInverse(qi)).mod(q);
            }
        }

        /** The ring of the first prime alone: where a ciphertext lands after modulus switching. */
        public Ring firstLimb() {
            return new Ring(n, new long[] {primes[0]});
        }

        public int n() {
            return n;
        }

        public int limbs() {
            return primes.length;
        }

        public BigInteger q() {
            return q;
        }

        public long prime(int i) {
            return primes[i];
        }

        public RnsPoly zero() {
            return new RnsPoly(this, new long[primes.length][n]);
        }

        /** A polynomial with small signed integer coefficients, the same value in every limb. */
        public RnsPoly fromSigned(long[] coeffs) {
            if (coeffs.length != n) {
                throw new IllegalArgumentException("expected " + n + " coefficients, got " + coeffs.length);
            }
            long[][] r = new long[primes.length][n];
            for (int i = 0; i < primes.length; i++) {
                Modulus m = ntt[i].modulus();
                for (int k = 0; k < n; k++) {
                    r[i][k] = m.reduce(coeffs[k]);
                }
            }
            return new RnsPoly(this, r);
        }
    }

    final Ring ring;
    final long[][] limbs;

    RnsPoly(Ring ring, long[][] limbs) {
        this.ring = ring;
        this.limbs = limbs;
    }

    public RnsPoly plus(RnsPoly o) {
        long[][] r = new long[limbs.length][];
        for (int i = 0; i < limbs.length; i++) {
            Modulus m = ring.ntt[i].modulus();
            r[i] = new long[ring.n];
            for (int k = 0; k < ring.n; k++) {
                r[i][k] = m.add(limbs[i][k], o.limbs[i][k]);
            }
        }
        return new RnsPoly(ring, r);
    }

    public RnsPoly negate() {
        long[][] r = new long[limbs.length][];
        for (int i = 0; i < limbs.length; i++) {
            Modulus m = ring.ntt[i].modulus();
            r[i] = new long[ring.n];
            for (int k = 0; k < ring.n; k++) {
                r[i][k] = m.sub(0, limbs[i][k]);
            }
        }
        return new RnsPoly(ring, r);
    }

    /** The product modulo X^N + 1 and q, through the NTT of each limb. */
    public RnsPoly times(RnsPoly o) {
        long[][] r = new long[limbs.length][];
        for (int i = 0; i < limbs.length; i++) {
            Ntt t = ring.ntt[i];
            long[] a = limbs[i].clone();
            long[] b = o.limbs[i].clone();
            t.forward(a);
            t.forward(b);
            r[i] = new long[ring.n];
            t.pointwise(a, b, r[i]);
            t.inverse(r[i]);
        }
        return new RnsPoly(ring, r);
    }

    /** Every coefficient multiplied by the constant c mod q (c given per limb: c mod q_i). */
    RnsPoly scale(long[] cPerLimb) {
        long[][] r = new long[limbs.length][];
        for (int i = 0; i < limbs.length; i++) {
            Modulus m = ring.ntt[i].modulus();
            r[i] = new long[ring.n];
            for (int k = 0; k < ring.n; k++) {
                r[i][k] = m.mul(limbs[i][k], cPerLimb[i]);
            }
        }
        return new RnsPoly(ring, r);
    }

    /** Coefficient k as an integer in [0, q). */
    public BigInteger lift(int k) {
        BigInteger x = BigInteger.ZERO;
        for (int i = 0; i < limbs.length; i++) {
            x = x.add(ring.crt[i].multiply(BigInteger.valueOf(limbs[i][k])));
        }
        return x.mod(ring.q);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RnsPoly p && Arrays.deepEquals(limbs, p.limbs);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(limbs);
    }
}
