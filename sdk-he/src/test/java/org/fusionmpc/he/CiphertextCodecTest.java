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

    @Test
    void aSwitchedReplyIsHalfTheBytesAndOneOutOfRangeIsAClearError() throws Exception {
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        RnsPoly.Ring small = ring.firstLimb();
        CiphertextCodec codec = new CiphertextCodec(ring);
        int[] positions = {0, 7, 4095};
        long[] b = new SplittableRandom(5).longs(ring.n(), 0, small.prime(0)).toArray();
        long[] a = new SplittableRandom(6).longs(ring.n(), 0, small.prime(0)).toArray();
        long[] sent = new long[2];
        Object[] got = TwoParties.IN_MEMORY.run(ch -> {
            codec.sendSwitched(ch, b, a, positions);
            codec.sendPartial(ch, new SecretKeyRlwe.Ciphertext(ring.zero(), ring.zero()), positions);
            ch.flush();
            sent[0] = ch.stats().bytesSent();
            return null;
        }, ch -> {
            SecretKeyRlwe.Partial p = codec.receiveSwitched(ch, small, positions);
            sent[1] = ch.stats().bytesReceived();
            codec.receivePartial(ch, positions);
            return p;
        });
        SecretKeyRlwe.Partial p = (SecretKeyRlwe.Partial) got[1];
        assertArrayEquals(new long[] {b[0], b[7], b[4095]}, p.b()[0]);
        assertArrayEquals(a, p.a().limbs[0]);
        assertTrue(sent[1] * 2 < sent[0] + 64, "switched " + sent[1] + " of " + sent[0] + " bytes for both");
        long[] bad = a.clone();
        bad[9] = small.prime(0);
        Exception e = assertThrows(Exception.class, () -> TwoParties.IN_MEMORY.run(ch -> {
            codec.sendSwitched(ch, b, bad, positions);
            ch.flush();
            return null;
        }, ch -> codec.receiveSwitched(ch, small, positions)));
        Throwable cause = channelException(e);
        assertTrue(cause.getMessage().contains("coefficient 9 of limb 0 of a"), cause.getMessage());
    }

    /** Found by CiphertextCodecFuzzTest: the bits after the last coefficient were ignored, so one reply had 2^30 wire forms. */
    @Test
    void bitsSetPastTheLastCoefficientAreRefused() throws Exception {
        RnsPoly.Ring ring = SecretKeyRlwe.standard();
        RnsPoly.Ring small = ring.firstLimb();
        CiphertextCodec codec = new CiphertextCodec(ring);
        int[] positions = {0, 7, 4095};
        long[] values = new long[positions.length + ring.n()];
        long[] wire = org.fusionmpc.api.channel.BitPacking.pack(values, values.length, codec.coefficientBits());
        assertTrue((values.length * 54) % 64 != 0, "the switched form has padding bits");
        wire[wire.length - 1] |= Long.MIN_VALUE;
        Exception e = assertThrows(Exception.class, () -> TwoParties.IN_MEMORY.run(ch -> {
            ch.send(wire);
            ch.flush();
            return null;
        }, ch -> codec.receiveSwitched(ch, small, positions)));
        Throwable cause = channelException(e);
        assertEquals(ChannelException.Kind.PROTOCOL, ((ChannelException) cause).kind());
        assertTrue(cause.getMessage().contains("bits set past its last coefficient"), cause.getMessage());
    }

    /** The ChannelException under the wrappers of a two-party run. */
    static Throwable channelException(Throwable e) {
        Throwable cause = e;
        while (!(cause instanceof ChannelException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
