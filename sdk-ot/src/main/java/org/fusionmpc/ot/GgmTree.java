package org.fusionmpc.ot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The GGM tree of a punctured PRF, expanded level by level in place: a node s has children
 * G_0(s) = π_0(s) ⊕ s and G_1(s) = π_1(s) ⊕ s, with π_0 and π_1 AES under two fixed public keys (the
 * length-doubling PRG of emp-ot's Ferret, secure in the ideal-cipher model). Many nodes go through one AES call,
 * so a 2^13-leaf tree costs about 2^14 AES blocks and 13·2 calls per key. Not thread-safe: one per thread.
 */
final class GgmTree {

    private static final int BATCH = 1024;
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    // Public constants: the next 256 bits of the fractional part of pi after FixedKeyAesHash's key.
    private static final byte[] KEY_0 = {
        (byte) 0xa4, (byte) 0x09, (byte) 0x38, (byte) 0x22, (byte) 0x29, (byte) 0x9f, (byte) 0x31, (byte) 0xd0,
        (byte) 0x08, (byte) 0x2e, (byte) 0xfa, (byte) 0x98, (byte) 0xec, (byte) 0x4e, (byte) 0x6c, (byte) 0x89
    };
    private static final byte[] KEY_1 = {
        (byte) 0x45, (byte) 0x28, (byte) 0x21, (byte) 0xe6, (byte) 0x38, (byte) 0xd0, (byte) 0x13, (byte) 0x77,
        (byte) 0xbe, (byte) 0x54, (byte) 0x66, (byte) 0xcf, (byte) 0x34, (byte) 0xe9, (byte) 0x0c, (byte) 0x6c
    };

    private final Cipher aes0;
    private final Cipher aes1;
    private final byte[] in = new byte[16 * BATCH];
    private final byte[] out0 = new byte[16 * BATCH];
    private final byte[] out1 = new byte[16 * BATCH];

    GgmTree() {
        try {
            aes0 = Cipher.getInstance("AES/ECB/NoPadding");
            aes0.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY_0, "AES"));
            aes1 = Cipher.getInstance("AES/ECB/NoPadding");
            aes1.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY_1, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available: " + e.getMessage(), e);
        }
    }

    /**
     * Expands the {@code width} nodes at blocks {@code [base, base + width)} of {@code tree} into their 2·width
     * children at {@code [base, base + 2·width)}, node j's children at 2j and 2j+1. Parents are read in batches
     * from the last one back, so no parent is overwritten before it is read.
     */
    void expandLevel(long[] tree, int base, int width) {
        for (int end = width; end > 0; ) {
            int from = Math.max(0, end - BATCH);
            int m = end - from;
            for (int j = 0; j < m; j++) {
                int p = 2 * (base + from + j);
                LE.set(in, 16 * j, tree[p]);
                LE.set(in, 16 * j + 8, tree[p + 1]);
            }
            try {
                aes0.update(in, 0, 16 * m, out0, 0);
                aes1.update(in, 0, 16 * m, out1, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            for (int j = m - 1; j >= 0; j--) {
                long lo = (long) LE.get(in, 16 * j);
                long hi = (long) LE.get(in, 16 * j + 8);
                int c = 2 * (base + 2 * (from + j));
                tree[c] = (long) LE.get(out0, 16 * j) ^ lo;
                tree[c + 1] = (long) LE.get(out0, 16 * j + 8) ^ hi;
                tree[c + 2] = (long) LE.get(out1, 16 * j) ^ lo;
                tree[c + 3] = (long) LE.get(out1, 16 * j + 8) ^ hi;
            }
            end = from;
        }
    }
}
