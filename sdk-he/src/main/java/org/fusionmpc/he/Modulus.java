package org.fusionmpc.he;

/**
 * Arithmetic modulo an odd prime p &lt; 2^62 on {@code long}s: Montgomery multiplication with R = 2^64 (one
 * 64x64→128-bit product, one low product, one high product per multiplication; no division), plus the
 * conversions in and out of Montgomery form. Values are kept in [0, p).
 */
public final class Modulus {

    private final long p;
    private final long pInvNeg; // -p^-1 mod 2^64
    private final long r2;      // 2^128 mod p, to enter Montgomery form

    public Modulus(long p) {
        if (p < 3 || (p & 1) == 0 || p >= 1L << 62) {
            throw new IllegalArgumentException("the modulus must be an odd number in [3, 2^62), got " + p);
        }
        this.p = p;
        long inv = p; // Newton's iteration for p^-1 mod 2^64: each step doubles the correct bits
        for (int i = 0; i < 6; i++) {
            inv *= 2 - p * inv;
        }
        this.pInvNeg = -inv;
        java.math.BigInteger big = java.math.BigInteger.ONE.shiftLeft(128).mod(java.math.BigInteger.valueOf(p));
        this.r2 = big.longValueExact();
    }

    public long value() {
        return p;
    }

    /** p^-1 mod 2^64, for Montgomery reductions written out in hot loops. */
    long inverseModTwoTo64() {
        return -pInvNeg;
    }

    /** The high 64 bits of the unsigned 128-bit product (Java 17 has only the signed {@code multiplyHigh}). */
    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** a·b·2^-64 mod p for a, b in [0, p). */
    public long montMul(long a, long b) {
        long lo = a * b;
        long hi = unsignedMultiplyHigh(a, b);
        long m = lo * pInvNeg;
        long u = hi + unsignedMultiplyHigh(m, p) + (lo != 0 ? 1 : 0);
        return u >= p ? u - p : u;
    }

    /** a·2^64 mod p: into Montgomery form. */
    public long toMont(long a) {
        return montMul(reduce(a), r2);
    }

    /** Out of Montgomery form. */
    public long fromMont(long a) {
        return montMul(a, 1);
    }

    /** a·b mod p for ordinary (non-Montgomery) a, b in [0, p). */
    public long mul(long a, long b) {
        return montMul(montMul(a, b), r2);
    }

    public long add(long a, long b) {
        long s = a + b;
        return s >= p ? s - p : s;
    }

    public long sub(long a, long b) {
        long d = a - b;
        return d < 0 ? d + p : d;
    }

    /** Any long (signed) into [0, p). */
    public long reduce(long a) {
        long r = a % p;
        return r < 0 ? r + p : r;
    }

    public long pow(long base, long e) {
        long b = toMont(base);
        long r = toMont(1);
        while (e > 0) {
            if ((e & 1) != 0) {
                r = montMul(r, b);
            }
            b = montMul(b, b);
            e >>>= 1;
        }
        return fromMont(r);
    }

    public long inverse(long a) {
        return pow(a, p - 2);
    }
}
