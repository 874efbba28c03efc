package org.fusionmpc.he;

/**
 * The negacyclic number-theoretic transform over Z_p[X]/(X^N + 1) for an NTT-friendly prime p ≡ 1 (mod 2N):
 * with ψ a primitive 2N-th root of unity, the forward transform evaluates a polynomial at ψ, ψ^3, ..., ψ^(2N-1),
 * so a product of polynomials modulo X^N + 1 becomes a pointwise product. Cooley-Tukey forward and
 * Gentleman-Sande inverse butterflies over powers of ψ in bit-reversed order (Longa and Naehrig, CANS 2016),
 * in place, in Montgomery form internally; inputs and outputs are ordinary residues in [0, p).
 */
public final class Ntt {

    private final Modulus mod;
    private final int n;
    private final long[] psiRev;    // ψ^bitrev(i), Montgomery form
    private final long[] psiInvRev; // ψ^-bitrev(i), Montgomery form
    private final long nInv;        // N^-1, Montgomery form

    public Ntt(long p, int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("N must be a power of two ≥ 2, got " + n);
        }
        if ((p - 1) % (2L * n) != 0) {
            throw new IllegalArgumentException(p + " is not 1 mod 2N = " + 2L * n + ": no negacyclic NTT of size " + n);
        }
        this.mod = new Modulus(p);
        this.n = n;
        long psi = primitiveRoot(mod, 2L * n);
        long psiInv = mod.inverse(psi);
        int logN = Integer.numberOfTrailingZeros(n);
        psiRev = new long[n];
        psiInvRev = new long[n];
        long pw = 1;
        long pwInv = 1;
        for (int i = 0; i < n; i++) {
            int r = Integer.reverse(i) >>> (32 - logN);
            psiRev[r] = mod.toMont(pw);
            psiInvRev[r] = mod.toMont(pwInv);
            pw = mod.mul(pw, psi);
            pwInv = mod.mul(pwInv, psiInv);
        }
        nInv = mod.toMont(mod.inverse(n));
    }

    public Modulus modulus() {
        return mod;
    }

    public int size() {
        return n;
    }

    /** A primitive {@code order}-th root of unity mod p (order a power of two dividing p - 1). */
    static long primitiveRoot(Modulus mod, long order) {
        long p = mod.value();
        for (long g = 2; g < p; g++) {
            long w = mod.pow(g, (p - 1) / order);
            if (mod.pow(w, order / 2) == p - 1) { // w^(order/2) = -1: w has order exactly `order`
                return w;
            }
        }
        throw new IllegalStateException("no primitive root found mod " + p);
    }

    /** In place: coefficients → evaluations (bit-reversed order). */
    public void forward(long[] a) {
        check(a);
        // Twiddles are in Montgomery form, so montMul(x, ψ·R) = x·ψ: the data stays ordinary residues throughout.
        for (int m = 1, t = n; m < n; m <<= 1) {
            t >>= 1;
            for (int i = 0; i < m; i++) {
                long w = psiRev[m + i];
                int j1 = 2 * i * t;
                for (int j = j1; j < j1 + t; j++) {
                    long u = a[j];
                    long v = mod.montMul(a[j + t], w);
                    a[j] = mod.add(u, v);
                    a[j + t] = mod.sub(u, v);
                }
            }
        }
    }

    /** In place: evaluations (bit-reversed order) → coefficients. */
    public void inverse(long[] a) {
        check(a);
        for (int m = n >> 1, t = 1; m >= 1; m >>= 1) {
            for (int i = 0; i < m; i++) {
                long w = psiInvRev[m + i];
                int j1 = 2 * i * t;
                for (int j = j1; j < j1 + t; j++) {
                    long u = a[j];
                    long v = a[j + t];
                    a[j] = mod.add(u, v);
                    a[j + t] = mod.montMul(mod.sub(u, v), w);
                }
            }
            t <<= 1;
        }
        for (int i = 0; i < n; i++) {
            a[i] = mod.montMul(a[i], nInv);
        }
    }

    /** c = a·b in the evaluation domain (pointwise), all ordinary residues. */
    public void pointwise(long[] a, long[] b, long[] c) {
        for (int i = 0; i < n; i++) {
            c[i] = mod.mul(a[i], b[i]);
        }
    }

    /** a·b mod (X^N + 1, p) the slow way: the reference the transform is tested against. */
    public long[] schoolbook(long[] a, long[] b) {
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                long prod = mod.mul(a[i], b[j]);
                int k = i + j;
                if (k < n) {
                    c[k] = mod.add(c[k], prod);
                } else {
                    c[k - n] = mod.sub(c[k - n], prod); // X^N = -1
                }
            }
        }
        return c;
    }

    private void check(long[] a) {
        if (a.length != n) {
            throw new IllegalArgumentException("a polynomial of this ring has " + n + " coefficients, got " + a.length);
        }
    }

    /** The largest primes below 2^bits that are 1 mod 2N, for an RNS of {@code count} NTT-friendly primes. */
    public static long[] primes(int bits, int n, int count) {
        return primesCongruentToOne(bits, 2L * n, count);
    }

    /**
     * The largest primes below 2^bits that are 1 mod {@code step} (a power of two at least 2N): with
     * step = 2^ℓ they are NTT-friendly and make q ≡ 1 mod t = 2^ℓ, which keeps the q mod t term of a BFV
     * product at a single unit.
     */
    public static long[] primesCongruentToOne(int bits, long step, int count) {
        long[] out = new long[count];
        long c = ((1L << bits) - 1) / step * step + 1;
        int found = 0;
        while (found < count && c > step) {
            if (java.math.BigInteger.valueOf(c).isProbablePrime(60)) {
                out[found++] = c;
            }
            c -= step;
        }
        return out;
    }
}
