package org.fusionmpc.api.random;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Correlation-robust hashes of 128-bit blocks from a fixed-key AES permutation π, after Guo, Katz, Wang and
 * Yu, "Efficient and Secure Multiparty Computation from Fixed-Key Block Ciphers" (IEEE S&amp;P 2020):
 *
 * <ul>
 *   <li>{@link #hash}: the MMO construction with the linear orthomorphism σ and a per-instance tweak,
 *       H(x, i) = π(σ(x) ⊕ i) ⊕ σ(x), where σ(x_L ‖ x_R) = (x_L ⊕ x_R) ‖ x_L. GKWY20 prove the untweaked form
 *       circular correlation robust; the tweak (the OT index, the gate index) keeps equal inputs of different
 *       instances from hashing equally. Callers must never reuse a tweak within one protocol run.</li>
 *   <li>{@link #tccr}: their tweakable circular correlation-robust hash, H(x, i) = π(π(x) ⊕ i) ⊕ π(x), proven
 *       in the ideal-permutation model; two AES calls per block.</li>
 * </ul>
 *
 * <p>The key is a public constant (the ideal-permutation model needs no secret). Every call hashes a whole
 * batch with one AES call per {@value #BATCH_BLOCKS} blocks; blocks follow the {@link Blocks} convention and
 * tweak {@code i} is the 128-bit block {@code (i, 0)}. Not thread-safe: one instance per thread.
 */
public final class FixedKeyAesHash {

    /** Blocks per AES call; large enough to amortise the call, small enough to stay in L1/L2. */
    public static final int BATCH_BLOCKS = 1024;

    // A public constant ("nothing up my sleeve"): the first 128 bits of the fractional part of pi.
    private static final byte[] FIXED_KEY = {
        (byte) 0x24, (byte) 0x3f, (byte) 0x6a, (byte) 0x88, (byte) 0x85, (byte) 0xa3, (byte) 0x08, (byte) 0xd3,
        (byte) 0x13, (byte) 0x19, (byte) 0x8a, (byte) 0x2e, (byte) 0x03, (byte) 0x70, (byte) 0x73, (byte) 0x44
    };
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cipher aes;
    private final byte[] plain = new byte[Blocks.BYTES * BATCH_BLOCKS];
    private final byte[] cipherText = new byte[Blocks.BYTES * BATCH_BLOCKS];
    private final long[] mid = new long[Blocks.LONGS * BATCH_BLOCKS];

    public FixedKeyAesHash() {
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(FIXED_KEY, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available: " + e.getMessage(), e);
        }
    }

    /** π applied to {@code n} blocks: out = AES_k(in), the raw permutation under the fixed key. */
    public void permute(long[] in, int inBlock, long[] out, int outBlock, int n) {
        check(in, inBlock, out, outBlock, n);
        for (int done = 0; done < n; ) {
            int m = Math.min(BATCH_BLOCKS, n - done);
            int base = Blocks.LONGS * (inBlock + done);
            for (int k = 0; k < Blocks.LONGS * m; k++) {
                LE.set(plain, 8 * k, in[base + k]);
            }
            encrypt(m);
            int o = Blocks.LONGS * (outBlock + done);
            for (int k = 0; k < Blocks.LONGS * m; k++) {
                out[o + k] = (long) LE.get(cipherText, 8 * k);
            }
            done += m;
        }
    }

    /** out[j] = π(σ(in[j]) ⊕ (tweak + j)) ⊕ σ(in[j]) for {@code j < n}. {@code in} and {@code out} may alias. */
    public void hash(long[] in, int inBlock, long[] out, int outBlock, int n, long tweak) {
        check(in, inBlock, out, outBlock, n);
        mmo(in, inBlock, out, outBlock, n, tweak, null, 0);
    }

    /**
     * Like {@link #hash} with an explicit tweak per block: out[j] = π(σ(in[j]) ⊕ tweaks[tweakOffset + j]) ⊕ σ(in[j]),
     * for callers whose instances are not numbered consecutively (e.g. the chosen message of each 1-out-of-N OT).
     */
    public void hash(long[] in, int inBlock, long[] out, int outBlock, int n, long[] tweaks, int tweakOffset) {
        check(in, inBlock, out, outBlock, n);
        Objects.checkFromIndexSize(tweakOffset, n, tweaks.length);
        mmo(in, inBlock, out, outBlock, n, 0, tweaks, tweakOffset);
    }

    /** The MMO hash with σ; block j's tweak is {@code tweaks[tweakOffset + j]}, or {@code tweak + j} without an array. */
    private void mmo(long[] in, int inBlock, long[] out, int outBlock, int n, long tweak, long[] tweaks, int tweakOffset) {
        for (int done = 0; done < n; ) {
            int m = Math.min(BATCH_BLOCKS, n - done);
            int base = Blocks.LONGS * (inBlock + done);
            for (int j = 0; j < m; j++) {
                long lo = in[base + 2 * j];
                long hi = in[base + 2 * j + 1];
                // σ(hi ‖ lo) = (hi ⊕ lo) ‖ hi, kept in mid for the final xor.
                long sLo = hi;
                long sHi = hi ^ lo;
                mid[2 * j] = sLo;
                mid[2 * j + 1] = sHi;
                long t = tweaks == null ? tweak + done + j : tweaks[tweakOffset + done + j];
                LE.set(plain, 16 * j, sLo ^ t);
                LE.set(plain, 16 * j + 8, sHi);
            }
            encrypt(m);
            xorOut(out, outBlock + done, m);
            done += m;
        }
    }

    /** out[outBlock ..] = the cipher text of the last {@code m} blocks ⊕ mid. */
    private void xorOut(long[] out, int outBlock, int m) {
        int o = Blocks.LONGS * outBlock;
        for (int k = 0; k < Blocks.LONGS * m; k++) {
            out[o + k] = (long) LE.get(cipherText, 8 * k) ^ mid[k];
        }
    }

    /** out[j] = π(π(in[j]) ⊕ (tweak + j)) ⊕ π(in[j]) for {@code j < n}. {@code in} and {@code out} may alias. */
    public void tccr(long[] in, int inBlock, long[] out, int outBlock, int n, long tweak) {
        check(in, inBlock, out, outBlock, n);
        for (int done = 0; done < n; ) {
            int m = Math.min(BATCH_BLOCKS, n - done);
            int base = Blocks.LONGS * (inBlock + done);
            for (int k = 0; k < Blocks.LONGS * m; k++) {
                LE.set(plain, 8 * k, in[base + k]);
            }
            encrypt(m);
            for (int j = 0; j < m; j++) {
                long lo = (long) LE.get(cipherText, 16 * j);
                long hi = (long) LE.get(cipherText, 16 * j + 8);
                mid[2 * j] = lo;
                mid[2 * j + 1] = hi;
                LE.set(plain, 16 * j, lo ^ (tweak + done + j));
                LE.set(plain, 16 * j + 8, hi);
            }
            encrypt(m);
            xorOut(out, outBlock + done, m);
            done += m;
        }
    }

    private void encrypt(int blocks) {
        try {
            aes.update(plain, 0, Blocks.BYTES * blocks, cipherText, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(long[] in, int inBlock, long[] out, int outBlock, int n) {
        Objects.checkFromIndexSize(Blocks.LONGS * inBlock, Blocks.LONGS * n, in.length);
        Objects.checkFromIndexSize(Blocks.LONGS * outBlock, Blocks.LONGS * n, out.length);
    }
}
