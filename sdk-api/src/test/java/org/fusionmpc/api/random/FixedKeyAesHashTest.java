package org.fusionmpc.api.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class FixedKeyAesHashTest {

    private static final byte[] PI_KEY = HexFormat.of().parseHex("243f6a8885a308d313198a2e03707344");

    /** An independent π: a fresh javax.crypto cipher under the documented key, one block at a time. */
    private static long[] referencePi(long lo, long hi) throws Exception {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(PI_KEY, "AES"));
        byte[] in = new byte[16];
        Blocks.toBytes(new long[] {lo, hi}, 0, in, 0, 1);
        long[] out = new long[2];
        Blocks.fromBytes(aes.doFinal(in), 0, out, 0, 1);
        return out;
    }

    private static long[] randomBlocks(int n) {
        long[] x = Blocks.allocate(n);
        Prg.fromSecureRandom().nextLongs(x);
        return x;
    }

    @Test
    void permuteIsAesUnderThePublicKey() throws Exception {
        long[] x = randomBlocks(3);
        long[] y = Blocks.allocate(3);
        new FixedKeyAesHash().permute(x, 0, y, 0, 3);
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(referencePi(x[2 * j], x[2 * j + 1]), Arrays.copyOfRange(y, 2 * j, 2 * j + 2));
        }
    }

    @Test
    void hashFollowsTheMmoSigmaFormulaWithTweaks() throws Exception {
        int n = 5;
        long[] x = randomBlocks(n);
        long[] y = Blocks.allocate(n);
        long tweak = 1_000_000_007L;
        new FixedKeyAesHash().hash(x, 0, y, 0, n, tweak);
        for (int j = 0; j < n; j++) {
            long lo = x[2 * j];
            long hi = x[2 * j + 1];
            long sLo = hi;
            long sHi = hi ^ lo;
            long[] p = referencePi(sLo ^ (tweak + j), sHi);
            assertArrayEquals(new long[] {p[0] ^ sLo, p[1] ^ sHi}, Arrays.copyOfRange(y, 2 * j, 2 * j + 2));
        }
    }

    @Test
    void tccrFollowsItsFormula() throws Exception {
        long[] x = randomBlocks(2);
        long[] y = Blocks.allocate(2);
        new FixedKeyAesHash().tccr(x, 0, y, 0, 2, 42);
        for (int j = 0; j < 2; j++) {
            long[] p = referencePi(x[2 * j], x[2 * j + 1]);
            long[] q = referencePi(p[0] ^ (42 + j), p[1]);
            assertArrayEquals(new long[] {q[0] ^ p[0], q[1] ^ p[1]}, Arrays.copyOfRange(y, 2 * j, 2 * j + 2));
        }
    }

    @Test
    void batchedHashingEqualsOneAtATimeAcrossBatchBoundaries() {
        int n = 2 * FixedKeyAesHash.BATCH_BLOCKS + 37;
        long[] x = randomBlocks(n);
        FixedKeyAesHash h = new FixedKeyAesHash();
        long[] batched = Blocks.allocate(n);
        long[] batchedTccr = Blocks.allocate(n);
        h.hash(x, 0, batched, 0, n, 5);
        h.tccr(x, 0, batchedTccr, 0, n, 5);
        long[] single = Blocks.allocate(n);
        long[] singleTccr = Blocks.allocate(n);
        for (int j = 0; j < n; j++) {
            h.hash(x, j, single, j, 1, 5 + j);
            h.tccr(x, j, singleTccr, j, 1, 5 + j);
        }
        assertArrayEquals(single, batched);
        assertArrayEquals(singleTccr, batchedTccr);
        // In place gives the same result.
        long[] inPlace = x.clone();
        h.hash(inPlace, 0, inPlace, 0, n, 5);
        assertArrayEquals(batched, inPlace);
    }

    @Test
    void theTweakSeparatesEqualInputs() {
        long[] x = {123, 456, 123, 456};
        long[] y = Blocks.allocate(2);
        new FixedKeyAesHash().hash(x, 0, y, 0, 2, 0);
        assertFalse(Blocks.equal(y, 0, y, 1));
        new FixedKeyAesHash().tccr(x, 0, y, 0, 2, 0);
        assertFalse(Blocks.equal(y, 0, y, 1));
    }
}
