package org.fusionmpc.he;

/**
 * The negacyclic number-theoretic transform over Z_p[X]/(X^N + 1) for an NTT-friendly prime p ≡ 1 (mod 2N):
 * with ψ a primitive 2N-th root of unity, the forward transform evaluates a polynomial at ψ, ψ^3, ..., ψ^(2N-1),
 * so a product of polynomials modulo X^N + 1 becomes a pointwise product. Cooley-Tukey forward and
 * Gentleman-Sande inverse butterflies over powers of ψ in bit-reversed order (Longa and Naehrig, CANS 2016),
 * in place; inputs and outputs are ordinary residues in [0, p).
 *
 * <p>The butterflies are Harvey's lazy ones ("Faster arithmetic for number-theoretic transforms", J. Symb.
 * Comput. 2014): each twiddle w comes with Shoup's precomputed w' = ⌊w·2^64/p⌋, so w·y mod p costs one high
 * product, two low products and no correction (the result is in [0, 2p)), and values stay in [0, 4p) between
 * butterflies (forward) or [0, 2p) (inverse) with one conditional subtraction each instead of two. One pass at
 * the end brings them back to [0, p). Needs 4p &lt; 2^63 (p &lt; 2^61) so that every value stays a non-negative
 * {@code long}.
 */
public final class Ntt {

    private final Modulus mod;
    private final int n;
    private final long p;
    private final long twoP;
    private final long[] psiRev;         // ψ^bitrev(i)
    private final long[] psiRevShoup;    // ⌊ψ^bitrev(i)·2^64/p⌋
    private final long[] psiInvRev;      // ψ^-bitrev(i)
    private final long[] psiInvRevShoup;
    private final long nInv;             // N^-1
    private final long nInvShoup;
    private final long pInverse;         // p^-1 mod 2^64

    public Ntt(long p, int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("N must be a power of two ≥ 2, got " + n);
        }
        if ((p - 1) % (2L * n) != 0) {
            throw new IllegalArgumentException(p + " is not 1 mod 2N = " + 2L * n + ": no negacyclic NTT of size " + n);
        }
        if (p >= 1L << 61) {
            throw new IllegalArgumentException("the lazy NTT keeps values below 4p, so p must be below 2^61, got " + p);
        }
        this.mod = new Modulus(p);
        this.n = n;
        this.p = p;
        this.twoP = 2 * p;
        long psi = primitiveRoot(mod, 2L * n);
        long psiInv = mod.inverse(psi);
        int logN = Integer.numberOfTrailingZeros(n);
        psiRev = new long[n];
        psiRevShoup = new long[n];
        psiInvRev = new long[n];
        psiInvRevShoup = new long[n];
        long pw = 1;
        long pwInv = 1;
        for (int i = 0; i < n; i++) {
            int r = Integer.reverse(i) >>> (32 - logN);
            psiRev[r] = pw;
            psiRevShoup[r] = shoup(pw, p);
            psiInvRev[r] = pwInv;
            psiInvRevShoup[r] = shoup(pwInv, p);
            pw = mod.mul(pw, psi);
            pwInv = mod.mul(pwInv, psiInv);
        }
        nInv = mod.inverse(n);
        nInvShoup = shoup(nInv, p);
        pInverse = mod.inverseModTwoTo64();
    }

    /** Shoup's precomputed quotient ⌊w·2^64/p⌋ of a constant w in [0, p), as an unsigned long. */
    public static long shoup(long w, long p) {
        return java.math.BigInteger.valueOf(w).shiftLeft(64).divide(java.math.BigInteger.valueOf(p)).longValue();
    }

    /**
     * w·y mod p up to one p: a value in [0, 2p) congruent to w·y, for w in [0, p) with w' = {@link #shoup}(w),
     * and any y in [0, 2^63). The quotient estimate ⌊w'·y/2^64⌋ is off by at most one, and the low products wrap
     * harmlessly because the true remainder is below 2p &lt; 2^63.
     */
    static long shoupMulLazy(long w, long wShoup, long y, long p) {
        long q = Math.multiplyHigh(wShoup, y) + ((wShoup >> 63) & y); // unsigned high product, y ≥ 0
        return w * y - q * p;
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
        forwardLazy(a);
        reduceFromFourP(a, 1);
    }

    /**
     * In place: {@link #forward} of a polynomial whose coefficients are zero except at multiples of {@code stride}
     * (a power of two dividing N), i.e. b(X^stride) for b of degree below N/stride. The butterflies that pair two
     * multiples of the stride are the only ones with work in them; after them each block of {@code stride}
     * evaluations holds one value, which the remaining butterflies (against zeros) only copy. So the cost is an
     * NTT of N/stride points plus a fill, instead of N log N.
     */
    public void forwardStrided(long[] a, int stride) {
        check(a);
        if (stride < 1 || Integer.bitCount(stride) != 1 || stride > n) {
            throw new IllegalArgumentException("the stride must be a power of two in [1, " + n + "], got " + stride);
        }
        if (stride == 1) {
            forward(a);
            return;
        }
        forwardStridedLeaders(a, stride);
        for (int k = 0; k < n; k += stride) {
            java.util.Arrays.fill(a, k + 1, k + stride, a[k]);
        }
    }

    /**
     * {@link #forwardStrided}'s butterflies alone: afterwards a[k] for k a multiple of {@code stride} is in [0, p)
     * and is the evaluation at slots k .. k + stride - 1 (the rest of a is unspecified). For callers that convert
     * the values before filling.
     */
    void forwardStridedLeaders(long[] a, int stride) {
        butterflies(a, stride);
        reduceFromFourP(a, stride);
    }

    /** a[k] from [0, 4p) to [0, p) for every multiple k of {@code stride}. */
    private void reduceFromFourP(long[] a, int stride) {
        for (int k = 0; k < n; k += stride) {
            long x = a[k];
            x = x >= twoP ? x - twoP : x;
            a[k] = x >= p ? x - p : x;
        }
    }

    /**
     * In place: coefficients in [0, 4p) → evaluations in [0, 4p), congruent to {@link #forward}'s; for callers
     * that reduce later anyway.
     */
    public void forwardLazy(long[] a) {
        check(a);
        butterflies(a, 1);
    }

    /**
     * The forward butterflies on the multiples of {@code stride} (all of a for 1), values in [0, 4p): Cooley-Tukey
     * stages while the butterflies' span t is at least the stride (below it they would only copy, see
     * {@link #forwardStrided}).
     */
    private void butterflies(long[] a, int stride) {
        long p = this.p;
        long twoP = this.twoP;
        for (int m = 1, t = n; m < n / stride; m <<= 1) {
            t >>= 1;
            for (int i = 0; i < m; i++) {
                long w = psiRev[m + i];
                long ws = psiRevShoup[m + i];
                int j1 = 2 * i * t;
                for (int j = j1, end = j1 + t; j < end; j += stride) {
                    long u = a[j];
                    u = u >= twoP ? u - twoP : u;
                    long v = shoupMulLazy(w, ws, a[j + t], p);
                    a[j] = u + v;
                    a[j + t] = u - v + twoP;
                }
            }
        }
    }

    /** In place: evaluations (bit-reversed order) in [0, 2p) → coefficients in [0, p). */
    public void inverse(long[] a) {
        check(a);
        long p = this.p;
        long twoP = this.twoP;
        for (int m = n >> 1, t = 1; m >= 1; m >>= 1) {
            for (int i = 0; i < m; i++) {
                long w = psiInvRev[m + i];
                long ws = psiInvRevShoup[m + i];
                int j1 = 2 * i * t;
                for (int j = j1, end = j1 + t; j < end; j++) {
                    long u = a[j];
                    long v = a[j + t];
                    long s = u + v;
                    a[j] = s >= twoP ? s - twoP : s;
                    a[j + t] = shoupMulLazy(w, ws, u - v + twoP, p);
                }
            }
            t <<= 1;
        }
        for (int i = 0; i < n; i++) {
            long x = shoupMulLazy(nInv, nInvShoup, a[i], p);
            a[i] = x >= p ? x - p : x;
        }
    }

    /** c = a·b in the evaluation domain (pointwise), all ordinary residues. */
    public void pointwise(long[] a, long[] b, long[] c) {
        for (int i = 0; i < n; i++) {
            c[i] = mod.mul(a[i], b[i]);
        }
    }

    /**
     * acc += x ⊙ w in the evaluation domain, with w in Montgomery form ({@link Modulus#toMont}) so each slot costs
     * one Montgomery product: a plaintext-ciphertext product accumulated where it is summed (one component, one
     * prime). x and w in [0, p); acc is kept lazily in [0, 2p), which {@link #inverse} takes as it is (or
     * {@link #reduce} brings to [0, p)).
     */
    public void multiplyAccumulate(long[] x, long[] w, long[] acc) {
        long p = this.p;
        long twoP = this.twoP;
        long pInv = pInverse;
        for (int k = 0; k < acc.length; k++) {
            long a = x[k];
            long b = w[k];
            // Montgomery's REDC, subtractive form: with m = ab·p^-1 mod 2^64 the low words of ab and m·p agree, so
            // (ab - m·p)/2^64 = hi(ab) - hi(m·p), in (-p, p). Both factors are below 2^62, so hi(ab) needs no sign fix.
            long m = a * b * pInv;
            long u = Math.multiplyHigh(a, b) - Math.multiplyHigh(m, p) - ((m >> 63) & p);
            u += (u >> 63) & p;
            long s = acc[k] + u;
            acc[k] = s >= twoP ? s - twoP : s;
        }
    }

    /** In place: values in [0, 2p) to [0, p). */
    public void reduce(long[] a) {
        for (int k = 0; k < a.length; k++) {
            long x = a[k];
            a[k] = x >= p ? x - p : x;
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
