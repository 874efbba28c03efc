package org.fusionmpc.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.api.testing.TwoParties;
import org.junit.jupiter.api.Test;

class CiphertextCodecTest {

    @Test
    void aCiphertextCrossesTheChannelIntactAndAMalformedOneIsAClearError() throws Exception {
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        SecretKeyRlwe he = new SecretKeyRlwe(ring, 37, Prg.fromSecureRandom());
        CiphertextCodec codec = new CiphertextCodec(ring);
        long[] m = new SplittableRandom(4).longs(ring.n()).map(x -> x & ((1L << 37) - 1)).toArray();
        SecretKeyRlwe.Ciphertext c = he.encrypt(m);
        for (TwoParties parties : TwoParties.values()) {
            Object[] got = parties.run(ch -> {
                codec.send(ch, c);
                ch.flush();
                return null;
            }, codec::receive);
            assertArrayEquals(m, he.decrypt((SecretKeyRlwe.Ciphertext) got[1]), parties.toString());
        }
        assertEquals(54, codec.coefficientBits());
        assertEquals(2 * 2 * 4096 * 54 / 64, codec.longs(), "coefficients packed to 54 bits");
        long[] values = new long[2 * ring.limbs() * ring.n()];
        values[5] = ring.prime(0); // one coefficient at its prime: not a residue
        long[] wire = org.fusionmpc.api.channel.BitPacking.pack(values, values.length, codec.coefficientBits());
        ChannelException e = assertThrows(ChannelException.class, () -> codec.decode(wire));
        assertEquals(ChannelException.Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().contains("malformed ciphertext: coefficient 5 of limb 0 of b"), e.getMessage());
        assertThrows(ChannelException.class, () -> codec.decode(new long[7]));
    }
}
