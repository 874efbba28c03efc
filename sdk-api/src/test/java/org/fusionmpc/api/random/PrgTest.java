package org.fusionmpc.api.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PrgTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aReseededGeneratorDrawsTheStreamOfAFreshOne() {
        byte[] first = Prg.newSeed();
        byte[] second = Prg.newSeed();
        Prg p = new Prg(first);
        byte[] partial = new byte[37];
        p.nextBytes(partial); // part of a buffered chunk left behind
        p.reseed(second);
        byte[] got = new byte[10_000];
        p.nextBytes(got);
        byte[] want = new byte[10_000];
        new Prg(second).nextBytes(want);
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, got);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> p.reseed(new byte[15]));
    }

    @Test
    void matchesNistSp80038aCtrAes128KeyStream() {
        // NIST SP 800-38A, F.5.1 CTR-AES128.Encrypt: the key stream is plaintext XOR ciphertext.
        byte[] key = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] counter = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        byte[] plain = HEX.parseHex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
        byte[] cipher = HEX.parseHex("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
                + "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee");
        byte[] stream = new byte[64];
        Prg.aesCtrKeyStream(key, counter).nextBytes(stream);
        for (int i = 0; i < 64; i++) {
            assertEquals((byte) (plain[i] ^ cipher[i]), stream[i], "key stream byte " + i);
        }
    }

    @Test
    void firstBlockOfTheZeroSeedIsAesOfZero() {
        // AES-128 with the all-zero key on the all-zero block (a widely published known answer).
        byte[] out = new byte[16];
        new Prg(new byte[16]).nextBytes(out);
        assertArrayEquals(HEX.parseHex("66e94bd4ef8a2c3b884cfa59ca342b2e"), out);
    }

    @Test
    void sameSeedGivesTheSameStreamHoweverItIsRequested() {
        byte[] seed = Prg.newSeed();
        byte[] whole = new byte[20_000];
        new Prg(seed).nextBytes(whole);

        Prg pieces = new Prg(seed);
        byte[] assembled = new byte[20_000];
        int at = 0;
        int[] sizes = {1, 7, 4096, 3, 9000, 13};
        for (int i = 0; at < assembled.length; i++) {
            int n = Math.min(sizes[i % sizes.length], assembled.length - at);
            pieces.nextBytes(assembled, at, n);
            at += n;
        }
        assertArrayEquals(whole, assembled);

        long[] longs = new long[2500];
        new Prg(seed).nextLongs(longs);
        long[] fromBytes = new long[2500];
        ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(fromBytes);
        assertArrayEquals(fromBytes, longs);

        Prg mixed = new Prg(seed);
        assertEquals(fromBytes[0], mixed.nextLong());
        assertEquals((int) fromBytes[1], mixed.nextInt());
        assertEquals((int) (fromBytes[1] >>> 32), mixed.nextInt());
    }

    @Test
    void differentSeedsGiveDifferentStreams() {
        long[] a = new long[4];
        long[] b = new long[4];
        Prg.fromSecureRandom().nextLongs(a);
        Prg.fromSecureRandom().nextLongs(b);
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void boundedIntsStayInRangeAndCoverItEvenly() {
        Prg prg = new Prg(new byte[16]);
        int bound = 10;
        int[] counts = new int[bound];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            int v = prg.nextInt(bound);
            assertTrue(v >= 0 && v < bound);
            counts[v]++;
        }
        double chi2 = 0;
        for (int c : counts) {
            chi2 += Math.pow(c - n / (double) bound, 2) / (n / (double) bound);
        }
        // 9 degrees of freedom: P(chi2 > 33.7) < 1e-4 for a uniform source; the seed is fixed, so this is stable.
        assertTrue(chi2 < 33.7, "chi2 = " + chi2);
        assertEquals(0, prg.nextInt(1));
        assertThrows(IllegalArgumentException.class, () -> prg.nextInt(0));
    }

    @Test
    void seedsOfTheWrongLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Prg(new byte[15]));
    }
}
