package org.fusionmpc.he;

import java.math.BigInteger;
import java.util.Objects;
import org.fusionmpc.api.random.Prg;

/**
 * Secret-key RLWE encryption in the BFV style with plaintext modulus t = 2^ℓ (so decrypted products land
 * directly in Z_2^ℓ, as Cheetah's linear layers need): ct = (b, a) with a uniform in R_q,
 * b = -a·s + e + Δ·m, Δ = ⌊q/t⌋, s ternary, e centered-binomial with η = 21 (σ ≈ 3.24, the HE standard's 3.2).
 * Decryption rounds t·(b + a·s)/q. A ciphertext times a plaintext polynomial w is (b·w, a·w), which
 * decrypts to m·w mod (X^N + 1, t) while the noise e·w + (q mod t)·⌊m·w/t⌋ stays below Δ/2. Messages are
 * encoded centered (in [-t/2, t/2)), which keeps ⌊m·w/t⌋ small, and the standard primes are 1 mod 2^41, so
 * q mod t = 1 for every ℓ ≤ 41.
 *
 * <p>Parameters: {@link #standard()} is N = 4096 with two 54-bit NTT primes, log q = 108, within the
 * Homomorphic Encryption Standard (Albrecht et al., 2018), Table 1, 128-bit classical security for a ternary
 * secret: N = 4096, log q ≤ 109.
 */
public final class SecretKeyRlwe {

    /** An RLWE ciphertext (b, a). */
    public record Ciphertext(RnsPoly b, RnsPoly a) {
        public Ciphertext times(RnsPoly w) {
            return new Ciphertext(b.times(w), a.times(w));
        }

        public Ciphertext plus(Ciphertext o) {
            return new Ciphertext(b.plus(o.b), a.plus(o.a));
        }
    }

    private static final int ETA = 21;

    private final RnsPoly.Ring ring;
    private final int plainBits;
    private final Prg prg;
    private final RnsPoly secret;
    private final long[] deltaPerLimb;
    private final BigInteger t;

    public SecretKeyRlwe(RnsPoly.Ring ring, int plainBits, Prg prg) {
        this.ring = Objects.requireNonNull(ring, "ring");
        if (plainBits < 1 || plainBits > 62 || BigInteger.ONE.shiftLeft(plainBits + 20).compareTo(ring.q()) > 0) {
            throw new IllegalArgumentException("plaintext bits must leave at least 20 bits of q for noise: ℓ = " + plainBits
                    + ", log q = " + ring.q().bitLength());
        }
        this.plainBits = plainBits;
        this.prg = Objects.requireNonNull(prg, "prg");
        this.t = BigInteger.ONE.shiftLeft(plainBits);
        long[] s = new long[ring.n()];
        for (int k = 0; k < s.length; k++) {
            s[k] = prg.nextInt(3) - 1;
        }
        this.secret = ring.fromSigned(s);
        this.deltaPerLimb = deltaPerLimb(ring, plainBits);
    }

    private SecretKeyRlwe(RnsPoly.Ring ring, int plainBits, Prg prg, RnsPoly secret) {
        this.ring = ring;
        this.plainBits = plainBits;
        this.prg = prg;
        this.t = BigInteger.ONE.shiftLeft(plainBits);
        this.secret = secret;
        this.deltaPerLimb = deltaPerLimb(ring, plainBits);
    }

    /**
     * The same secret over the ring of the first prime alone: what decrypts a ciphertext switched down to
     * modulus p_0 ({@link HeLinearEngine} sends its products that way).
     */
    public SecretKeyRlwe firstLimb() {
        RnsPoly.Ring small = ring.firstLimb();
        return new SecretKeyRlwe(small, plainBits, prg, new RnsPoly(small, new long[][] {secret.limbs[0].clone()}));
    }

    /** Δ = ⌊q / 2^ℓ⌋ modulo each prime of the ring: public, so a server without the key can scale its plaintext. */
    static long[] deltaPerLimb(RnsPoly.Ring ring, int plainBits) {
        BigInteger delta = ring.q().shiftRight(plainBits);
        long[] perLimb = new long[ring.limbs()];
        for (int i = 0; i < perLimb.length; i++) {
            perLimb[i] = delta.mod(BigInteger.valueOf(ring.prime(i))).longValueExact();
        }
        return perLimb;
    }

    /**
     * c + Δ·m with public parameters only: what a server without the key does to add its own plaintext
     * (its share's contribution, minus its mask) to a ciphertext. Coefficients of m taken mod 2^ℓ.
     */
    public static Ciphertext addPlain(RnsPoly.Ring ring, int plainBits, Ciphertext c, long[] m) {
        long[] perLimb = deltaPerLimb(ring, plainBits);
        return new Ciphertext(c.b().plus(ring.fromSigned(centered(m, plainBits)).scale(perLimb)), c.a());
    }

    /** The low ℓ bits of each value as a centered representative in [-2^(ℓ-1), 2^(ℓ-1)). */
    static long[] centered(long[] m, int plainBits) {
        long[] r = new long[m.length];
        int shift = 64 - plainBits;
        for (int k = 0; k < m.length; k++) {
            r[k] = m[k] << shift >> shift;
        }
        return r;
    }

    /** The uniform polynomial a of a seeded ciphertext: both parties expand it from the 16-byte seed. */
    public static RnsPoly expandUniform(RnsPoly.Ring ring, byte[] seed) {
        return uniform(ring, new Prg(seed));
    }

    /** The largest plaintext width {@link #standard()} keeps q ≡ 1 mod 2^ℓ for. */
    public static final int MAX_PLAIN_BITS = 41;

    private static final RnsPoly.Ring STANDARD = new RnsPoly.Ring(4096, Ntt.primesCongruentToOne(54, 1L << MAX_PLAIN_BITS, 2));

    /**
     * N = 4096, two 54-bit NTT-friendly primes that are 1 mod 2^41 (log q = 108; HE standard, Table 1,
     * 128-bit classical security: N = 4096, log q ≤ 109). Shared: the ring is immutable.
     */
    public static RnsPoly.Ring standard() {
        return STANDARD;
    }

    public RnsPoly.Ring ring() {
        return ring;
    }

    public int plainBits() {
        return plainBits;
    }

    /** Encrypts the polynomial whose coefficient k is the low ℓ bits of {@code m[k]}. */
    public Ciphertext encrypt(long[] m) {
        return encryptWith(m, uniform(ring, prg));
    }

    /** A ciphertext whose a is expanded from a fresh seed ({@link #expandUniform}): only b and the seed travel. */
    public Seeded encryptSeeded(long[] m) {
        byte[] seed = prg.nextSeed();
        return new Seeded(encryptWith(m, expandUniform(ring, seed)).b(), seed);
    }

    /** The b half of a ciphertext and the seed of its a. */
    public record Seeded(RnsPoly b, byte[] seed) {
    }

    private Ciphertext encryptWith(long[] m, RnsPoly a) {
        if (m.length != ring.n()) {
            throw new IllegalArgumentException("a plaintext has " + ring.n() + " coefficients, got " + m.length);
        }
        RnsPoly e = ring.fromSigned(noise(ring, prg));
        RnsPoly dm = ring.fromSigned(centered(m, plainBits)).scale(deltaPerLimb);
        RnsPoly b = a.times(secret).negate().plus(e).plus(dm);
        return new Ciphertext(b, a);
    }

    /** The plaintext: coefficient k in [0, 2^ℓ). */
    public long[] decrypt(Ciphertext c) {
        return decrypt(whole(c));
    }

    /** A ciphertext with b only at some positions (see {@link CiphertextCodec#sendPartial}): b[limb][i] is at positions[i]. */
    public record Partial(long[][] b, int[] positions, RnsPoly a) {
    }

    /** The plaintext at the positions of a partial ciphertext. */
    public long[] decrypt(Partial c) {
        BigInteger[] x = phase(c);
        long[] m = new long[x.length];
        for (int k = 0; k < m.length; k++) {
            m[k] = round(x[k]);
        }
        return m;
    }

    /** The noise of a partial ciphertext at its positions as a decryption of {@code expected}, in bits (as {@link #noiseBits}). */
    public double noiseBits(Partial c, long[] expected) {
        BigInteger[] x = phase(c);
        double worst = 0;
        for (int k = 0; k < x.length; k++) {
            worst = Math.max(worst, noise(x[k], expected[k]).bitLength());
        }
        return worst;
    }

    /** b + a·s at the positions of a partial ciphertext, each in [0, q). */
    private BigInteger[] phase(Partial c) {
        RnsPoly as = c.a().times(secret);
        BigInteger[] x = new BigInteger[c.positions().length];
        long[][] one = new long[ring.limbs()][ring.n()];
        RnsPoly sum = new RnsPoly(ring, one);
        for (int k = 0; k < x.length; k++) {
            int at = c.positions()[k];
            for (int i = 0; i < ring.limbs(); i++) {
                one[i][at] = ring.ntt[i].modulus().add(c.b()[i][k], as.limbs[i][at]);
            }
            x[k] = sum.lift(at);
        }
        return x;
    }

    /** |x - Δ·m| centered mod q. */
    private BigInteger noise(BigInteger x, long m) {
        BigInteger q = ring.q();
        BigInteger d = x.subtract(q.divide(t).multiply(BigInteger.valueOf(m).mod(t))).mod(q);
        return d.compareTo(q.shiftRight(1)) > 0 ? q.subtract(d) : d;
    }

    /** A whole ciphertext as a partial one with every position. */
    private Partial whole(Ciphertext c) {
        int[] all = new int[ring.n()];
        for (int k = 0; k < all.length; k++) {
            all[k] = k;
        }
        return new Partial(c.b().limbs, all, c.a());
    }

    /** ⌊t·x/q⌉ mod t: the plaintext coefficient of b + a·s = x. */
    private long round(BigInteger x) {
        BigInteger q = ring.q();
        return x.multiply(t).add(q.shiftRight(1)).divide(q).mod(t).longValue();
    }

    /**
     * The noise of {@code c} as a decryption of {@code expected}, in bits: log2 of max_k |b + a·s - Δ·m|
     * (centered mod q). Decryption is correct while this stays below log2(Δ/2).
     */
    public double noiseBits(Ciphertext c, long[] expected) {
        return noiseBits(whole(c), expected);
    }

    /** log2(Δ/2): the noise bound of correct decryption. */
    public double noiseBudgetBits() {
        return deltaBits(ring, plainBits);
    }

    /** ⌊log2 Δ⌋ for Δ = ⌊q/2^ℓ⌋. */
    static int deltaBits(RnsPoly.Ring ring, int plainBits) {
        return ring.q().shiftRight(plainBits).bitLength() - 1;
    }

    static RnsPoly uniform(RnsPoly.Ring ring, Prg prg) {
        long[][] r = new long[ring.limbs()][ring.n()];
        for (int i = 0; i < ring.limbs(); i++) {
            long p = ring.prime(i);
            long rem = Long.remainderUnsigned(Long.remainderUnsigned(-1L, p) + 1, p); // 2^64 mod p
            long limit = -1L - rem; // accept v < 2^64 - rem: a whole number of copies of [0, p)
            for (int k = 0; k < ring.n(); k++) {
                long v;
                do {
                    v = prg.nextLong(); // rejection sampling: uniform mod p without modulo bias
                } while (Long.compareUnsigned(v, limit) > 0);
                r[i][k] = Long.remainderUnsigned(v, p);
            }
        }
        return new RnsPoly(ring, r);
    }

    /** Centered binomial noise: Σ (b_i - b'_i) over η coin pairs per coefficient. */
    static long[] noise(RnsPoly.Ring ring, Prg prg) {
        long[] e = new long[ring.n()];
        for (int k = 0; k < e.length; k++) {
            long bits = prg.nextLong();
            e[k] = Long.bitCount(bits & ((1L << ETA) - 1)) - Long.bitCount((bits >>> ETA) & ((1L << ETA) - 1));
        }
        return e;
    }
}
