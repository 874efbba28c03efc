package org.fusionmpc.he;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.fusionmpc.api.channel.BitPacking;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.InMemoryChannel;

/**
 * Coverage-guided fuzzing (Jazzer) of the ciphertext codec as the peer's bytes reach it, in each of its four forms
 * (whole, seeded, partial, switched), over rings of 1 and 2 limbs of small degree (the codec does not depend on
 * the degree; small rings let the fuzzer reach every coefficient). A message must be refused with a
 * {@link ChannelException} or read as a ciphertext whose every coefficient lies below its prime and whose canonical
 * encoding is exactly the bytes received: no two wire forms read as the same ciphertext. Anything else is a finding.
 */
class CiphertextCodecFuzzTest {

    private static final long[] PRIMES = Ntt.primesCongruentToOne(54, 1L << 41, 2);
    private static final RnsPoly.Ring[] RINGS = {
        new RnsPoly.Ring(8, new long[] {PRIMES[0]}), new RnsPoly.Ring(8, PRIMES), new RnsPoly.Ring(16, PRIMES)
    };

    @FuzzTest(maxDuration = "10s")
    void ciphertext(FuzzedDataProvider data) {
        RnsPoly.Ring ring = RINGS[data.consumeInt(0, RINGS.length - 1)];
        CiphertextCodec codec = new CiphertextCodec(ring);
        int form = data.consumeInt(0, 3);
        int[] positions = new int[data.consumeInt(0, 4)];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = data.consumeInt(0, ring.n() - 1);
        }
        RnsPoly.Ring small = ring.firstLimb();
        int expectedLongs = switch (form) {
            case 0 -> codec.longs();
            case 1 -> codec.seededLongs();
            case 2 -> BitPacking.words(ring.limbs() * positions.length + ring.limbs() * ring.n(), codec.coefficientBits());
            default -> BitPacking.words(positions.length + ring.n(), codec.coefficientBits());
        };
        boolean resize = data.consumeInt(0, 9) > 0;
        byte[] message = data.consumeRemainingAsBytes();
        if (resize) {
            message = Arrays.copyOf(message, 8 * expectedLongs);
        }
        boolean exact = message.length == 8 * expectedLongs;
        long[] wire = null;
        if (exact) {
            wire = new long[expectedLongs];
            ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(wire);
        }
        InMemoryChannel[] pair = InMemoryChannel.pair(ChannelConfig.DEFAULT);
        long[] canonical;
        try (Channel peer = pair[0]; Channel self = pair[1]) {
            peer.send(message);
            peer.flush();
            canonical = switch (form) {
                case 0 -> encode(coefficients(codec.receive(self)), codec);
                case 1 -> {
                    long[] b = coefficients(codec.receiveSeeded(self).b());
                    long[] out = Arrays.copyOf(encode(b, codec), expectedLongs);
                    System.arraycopy(wire, expectedLongs - 2, out, expectedLongs - 2, 2); // any seed is a seed
                    yield out;
                }
                case 2 -> {
                    SecretKeyRlwe.Partial p = codec.receivePartial(self, positions);
                    yield encode(concat(flatten(p.b(), ring), coefficients(p.a())), codec);
                }
                default -> {
                    SecretKeyRlwe.Partial p = codec.receiveSwitched(self, small, positions);
                    yield encode(concat(flatten(p.b(), small), coefficients(p.a())), codec);
                }
            };
        } catch (ChannelException refused) {
            return;
        }
        if (!exact) {
            throw new AssertionError("read a message of " + message.length + " bytes where " + 8 * expectedLongs + " were due");
        }
        if (!Arrays.equals(canonical, wire)) {
            throw new AssertionError("form " + form + ": the bytes read are not the canonical encoding of what they decoded to");
        }
    }

    /** b's limbs then a's, each coefficient checked against its prime. */
    private static long[] coefficients(SecretKeyRlwe.Ciphertext c) {
        return concat(coefficients(c.b()), coefficients(c.a()));
    }

    private static long[] coefficients(RnsPoly p) {
        long[] out = new long[p.limbs.length * p.ring.n()];
        for (int i = 0; i < p.limbs.length; i++) {
            check(p.limbs[i], p.ring.prime(i));
            System.arraycopy(p.limbs[i], 0, out, i * p.ring.n(), p.ring.n());
        }
        return out;
    }

    private static long[] flatten(long[][] b, RnsPoly.Ring ring) {
        long[] out = new long[0];
        for (int i = 0; i < b.length; i++) {
            check(b[i], ring.prime(i));
            out = concat(out, b[i]);
        }
        return out;
    }

    private static void check(long[] limb, long q) {
        for (long v : limb) {
            if (v < 0 || v >= q) {
                throw new AssertionError("a coefficient " + v + " outside [0, " + q + ") was accepted");
            }
        }
    }

    private static long[] concat(long[] x, long[] y) {
        long[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    private static long[] encode(long[] values, CiphertextCodec codec) {
        return BitPacking.pack(values, values.length, codec.coefficientBits());
    }
}
