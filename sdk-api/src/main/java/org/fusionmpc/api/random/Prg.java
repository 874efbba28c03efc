package org.fusionmpc.api.random;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A pseudo-random generator: AES-128 in counter mode through {@code javax.crypto}, so the JIT's AES-NI
 * intrinsic does the work. The 16-byte seed is the AES key and the counter starts at zero; two parties with
 * the same seed draw the same stream, which is how protocols share randomness without sending it.
 *
 * <p>Not thread-safe: give each thread its own generator (derive seeds with {@link #nextSeed()}).
 */
public final class Prg {

    public static final int SEED_BYTES = 16;

    private static final int CHUNK = 4096;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final SecureRandom SEEDS = new SecureRandom();

    private final Cipher cipher;
    private final byte[] zeros = new byte[CHUNK];
    private final byte[] buffer = new byte[CHUNK];
    private int used = CHUNK;

    /** A generator whose stream is AES-CTR under key {@code seed} from counter block {@code 0}. */
    public Prg(byte[] seed) {
        this(seed, new byte[16]);
    }

    private Prg(byte[] key, byte[] initialCounter) {
        if (Objects.requireNonNull(key, "seed").length != SEED_BYTES) {
            throw new IllegalArgumentException("a PRG seed is " + SEED_BYTES + " bytes, got " + key.length);
        }
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(initialCounter));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available: " + e.getMessage(), e);
        }
    }

    /**
     * Restarts this generator as {@code new Prg(seed)} would, keeping its cipher object: for a caller that draws many
     * short streams (one per tree, say), where looking up a cipher each time would cost more than the stream.
     */
    public void reseed(byte[] seed) {
        if (Objects.requireNonNull(seed, "seed").length != SEED_BYTES) {
            throw new IllegalArgumentException("a PRG seed is " + SEED_BYTES + " bytes, got " + seed.length);
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available: " + e.getMessage(), e);
        }
        used = CHUNK;
    }

    /**
     * This generator as a {@link java.security.SecureRandom}, for APIs that take one (base OT's elliptic-curve scalars,
     * key generation): the same AES-CTR stream, so a session's one source of randomness serves every protocol step.
     * {@code setSeed} on it is refused: the stream comes from this generator's seed only.
     */
    public java.security.SecureRandom asSecureRandom() {
        return new AsSecureRandom(this);
    }

    private static final class AsSecureRandom extends java.security.SecureRandom {
        private static final long serialVersionUID = 1L;

        AsSecureRandom(Prg prg) {
            super(new Spi(prg), null);
        }
    }

    private static final class Spi extends java.security.SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final transient Prg prg;

        Spi(Prg prg) {
            this.prg = prg;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            throw new UnsupportedOperationException("a Prg's SecureRandom view takes no extra seed");
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            prg.nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] b = new byte[numBytes];
            prg.nextBytes(b);
            return b;
        }
    }

    /** A generator seeded from {@link SecureRandom}. */
    public static Prg fromSecureRandom() {
        return new Prg(newSeed());
    }

    /** The raw AES-CTR key stream from an explicit initial counter block; for known-answer tests. */
    public static Prg aesCtrKeyStream(byte[] key, byte[] initialCounter) {
        if (initialCounter.length != 16) {
            throw new IllegalArgumentException("an AES counter block is 16 bytes, got " + initialCounter.length);
        }
        return new Prg(key, initialCounter.clone());
    }

    /** A fresh seed from {@link SecureRandom}. */
    public static byte[] newSeed() {
        byte[] seed = new byte[SEED_BYTES];
        SEEDS.nextBytes(seed);
        return seed;
    }

    /** A seed for a child generator, drawn from this stream. */
    public byte[] nextSeed() {
        byte[] seed = new byte[SEED_BYTES];
        nextBytes(seed, 0, SEED_BYTES);
        return seed;
    }

    public void nextBytes(byte[] dst) {
        nextBytes(dst, 0, dst.length);
    }

    public void nextBytes(byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        int fromBuffer = Math.min(length, CHUNK - used);
        System.arraycopy(buffer, used, dst, offset, fromBuffer);
        used += fromBuffer;
        offset += fromBuffer;
        length -= fromBuffer;
        while (length >= CHUNK) {
            // Large requests are encrypted straight into the caller's array.
            keyStream(dst, offset, CHUNK);
            offset += CHUNK;
            length -= CHUNK;
        }
        if (length > 0) {
            keyStream(buffer, 0, CHUNK);
            System.arraycopy(buffer, 0, dst, offset, length);
            used = length;
        }
    }

    /** Fills {@code dst[offset, offset + length)} with uniform longs (128-bit blocks are pairs of them). */
    public void nextLongs(long[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (used + 8 > CHUNK) {
                keyStream(buffer, 0, CHUNK);
                used = 0;
            }
            int n = Math.min(end - i, (CHUNK - used) >>> 3);
            for (int k = 0; k < n; k++) {
                dst[i + k] = (long) LONGS.get(buffer, used + 8 * k);
            }
            used += 8 * n;
            i += n;
        }
    }

    public void nextLongs(long[] dst) {
        nextLongs(dst, 0, dst.length);
    }

    public long nextLong() {
        if (used + 8 > CHUNK) {
            keyStream(buffer, 0, CHUNK);
            used = 0;
        }
        long v = (long) LONGS.get(buffer, used);
        used += 8;
        return v;
    }

    public int nextInt() {
        if (used + 4 > CHUNK) {
            keyStream(buffer, 0, CHUNK);
            used = 0;
        }
        int v = (int) INTS.get(buffer, used);
        used += 4;
        return v;
    }

    /** A uniform integer in {@code [0, bound)}, without modulo bias (rejection sampling). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int mask = -1 >>> Integer.numberOfLeadingZeros(bound - 1 | 1);
        int r;
        do {
            r = nextInt() & mask;
        } while (r >= bound);
        return r;
    }

    public boolean nextBoolean() {
        return (nextInt() & 1) != 0;
    }

    private void keyStream(byte[] out, int offset, int length) {
        try {
            cipher.update(zeros, 0, length, out, offset);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
