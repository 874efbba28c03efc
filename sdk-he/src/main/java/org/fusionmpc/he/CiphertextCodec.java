package org.fusionmpc.he;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.fusionmpc.api.channel.BitPacking;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;

/**
 * Ciphertexts on a channel, each coefficient packed to the primes' bit length (54 bits for the standard ring,
 * not 64): one message per ciphertext, received with its exact length and every coefficient checked to lie
 * below its prime, so a malformed ciphertext from the peer is a clear {@link ChannelException}
 * ({@code PROTOCOL}) before any arithmetic touches it. Three forms: whole (b's limbs, then a's), seeded (b and
 * the 16-byte seed a is expanded from) and partial (b at some coefficients, all of a).
 */
public final class CiphertextCodec {

    private final RnsPoly.Ring ring;
    private final int bits;

    public CiphertextCodec(RnsPoly.Ring ring) {
        this.ring = ring;
        long max = 0;
        for (int i = 0; i < ring.limbs(); i++) {
            max = Math.max(max, ring.prime(i));
        }
        this.bits = 64 - Long.numberOfLeadingZeros(max);
    }

    /** Bits each coefficient takes on the wire. */
    public int coefficientBits() {
        return bits;
    }

    /** Longs one whole ciphertext takes on the wire. */
    public int longs() {
        return BitPacking.words(2 * ring.limbs() * ring.n(), bits);
    }

    public void send(Channel ch, SecretKeyRlwe.Ciphertext c) {
        int n = ring.n();
        long[] values = new long[2 * ring.limbs() * n];
        int at = 0;
        for (RnsPoly p : new RnsPoly[] {c.b(), c.a()}) {
            for (long[] limb : p.limbs) {
                System.arraycopy(limb, 0, values, at, n);
                at += n;
            }
        }
        ch.send(BitPacking.pack(values, values.length, bits));
    }

    public SecretKeyRlwe.Ciphertext receive(Channel ch) {
        long[] in = new long[longs()];
        ch.receive(in, 0, in.length);
        return decode(in);
    }

    /** Checks and splits a received whole ciphertext. */
    public SecretKeyRlwe.Ciphertext decode(long[] in) {
        if (in.length != longs()) {
            throw new ChannelException(ChannelException.Kind.PROTOCOL, "a ciphertext takes " + longs() + " longs, got " + in.length);
        }
        int count = 2 * ring.limbs() * ring.n();
        long[] values = unpacked(in, count);
        return new SecretKeyRlwe.Ciphertext(checked(values, 0, "b"), checked(values, ring.limbs() * ring.n(), "a"));
    }

    /** Longs a seeded ciphertext takes: b's limbs packed, then the 16-byte seed of a in two longs. */
    public int seededLongs() {
        return BitPacking.words(ring.limbs() * ring.n(), bits) + 2;
    }

    /** A seeded ciphertext: half the bytes of {@link #send}. */
    public void sendSeeded(Channel ch, SecretKeyRlwe.Seeded c) {
        int n = ring.n();
        long[] values = new long[ring.limbs() * n];
        int at = 0;
        for (long[] limb : c.b().limbs) {
            System.arraycopy(limb, 0, values, at, n);
            at += n;
        }
        ch.send(seededMessage(values, c.seed()));
    }

    /** The wire form of a seeded ciphertext from b's coefficients (limb-major) and a's seed. */
    long[] seededMessage(long[] bCoefficients, byte[] seed) {
        long[] packed = BitPacking.pack(bCoefficients, bCoefficients.length, bits);
        long[] out = new long[packed.length + 2];
        System.arraycopy(packed, 0, out, 0, packed.length);
        ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out, packed.length, 2);
        return out;
    }

    /** Receives a seeded ciphertext, checks b, and expands a from the seed. */
    public SecretKeyRlwe.Ciphertext receiveSeeded(Channel ch) {
        long[] in = new long[seededLongs()];
        ch.receive(in, 0, in.length);
        long[] values = unpacked(in, ring.limbs() * ring.n());
        byte[] seed = new byte[16];
        ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(in, in.length - 2, 2);
        return new SecretKeyRlwe.Ciphertext(checked(values, 0, "b"), SecretKeyRlwe.expandUniform(ring, seed));
    }

    /**
     * A ciphertext whose reader needs only some coefficients of its plaintext: b at those positions and all of a
     * (a·s mixes every coefficient of a into each one). For a convolution's output that is 5/8 of a whole one.
     */
    public void sendPartial(Channel ch, SecretKeyRlwe.Ciphertext c, int[] positions) {
        int n = ring.n();
        int limbs = ring.limbs();
        long[] values = new long[limbs * positions.length + limbs * n];
        int at = 0;
        for (long[] limb : c.b().limbs) {
            for (int k : positions) {
                values[at++] = limb[k];
            }
        }
        for (long[] limb : c.a().limbs) {
            System.arraycopy(limb, 0, values, at, n);
            at += n;
        }
        ch.send(BitPacking.pack(values, values.length, bits));
    }

    /**
     * Sends a ciphertext switched down to the first prime p_0 (one limb): b at {@code positions}, then all of a,
     * each coefficient mod p_0 in its bit width. Half of {@link #sendPartial}'s bytes.
     */
    public void sendSwitched(Channel ch, long[] b, long[] a, int[] positions) {
        long[] values = new long[positions.length + a.length];
        for (int k = 0; k < positions.length; k++) {
            values[k] = b[positions[k]];
        }
        System.arraycopy(a, 0, values, positions.length, a.length);
        ch.send(BitPacking.pack(values, values.length, bits));
    }

    /** Receives what {@link #sendSwitched} sent, checked, as a partial ciphertext over {@code small}, the first prime's ring. */
    public SecretKeyRlwe.Partial receiveSwitched(Channel ch, RnsPoly.Ring small, int[] positions) {
        int n = small.n();
        int count = positions.length + n;
        long[] in = new long[BitPacking.words(count, bits)];
        ch.receive(in, 0, in.length);
        long[] values = unpacked(in, count);
        long p = small.prime(0);
        for (int k = 0; k < count; k++) {
            if (values[k] >= p) {
                throw malformed(k < positions.length ? positions[k] : k - positions.length, 0, k < positions.length ? "b" : "a", values[k], p);
            }
        }
        long[] b = java.util.Arrays.copyOf(values, positions.length);
        long[] a = java.util.Arrays.copyOfRange(values, positions.length, count);
        return new SecretKeyRlwe.Partial(new long[][] {b}, positions.clone(), new RnsPoly(small, new long[][] {a}));
    }

    /** Receives what {@link #sendPartial} sent for these positions: b's coefficients (limb-major) and a, checked. */
    public SecretKeyRlwe.Partial receivePartial(Channel ch, int[] positions) {
        int limbs = ring.limbs();
        int count = limbs * positions.length + limbs * ring.n();
        long[] in = new long[BitPacking.words(count, bits)];
        ch.receive(in, 0, in.length);
        long[] values = unpacked(in, count);
        long[][] b = new long[limbs][positions.length];
        int at = 0;
        for (int i = 0; i < limbs; i++) {
            long q = ring.prime(i);
            for (int k = 0; k < positions.length; k++, at++) {
                if (values[at] >= q) {
                    throw malformed(positions[k], i, "b", values[at], q);
                }
                b[i][k] = values[at];
            }
        }
        return new SecretKeyRlwe.Partial(b, positions.clone(), checked(values, at, "a"));
    }

    /** The first {@code count} coefficients of a received message, refused if the bits past them are not zero. */
    private long[] unpacked(long[] in, int count) {
        if (!BitPacking.unusedBitsClear(in, count, bits)) {
            throw new ChannelException(ChannelException.Kind.PROTOCOL, "malformed ciphertext: bits set past its last coefficient");
        }
        long[] values = new long[count];
        BitPacking.unpack(in, count, bits, values);
        return values;
    }

    private RnsPoly checked(long[] values, int from, String name) {
        int n = ring.n();
        long[][] limbs = new long[ring.limbs()][n];
        int at = from;
        for (int i = 0; i < ring.limbs(); i++) {
            long q = ring.prime(i);
            for (int k = 0; k < n; k++, at++) {
                long v = values[at]; // unpacked values are never negative
                if (v >= q) {
                    throw malformed(k, i, name, v, q);
                }
                limbs[i][k] = v;
            }
        }
        return new RnsPoly(ring, limbs);
    }

    private static ChannelException malformed(int k, int limb, String name, long v, long q) {
        return new ChannelException(ChannelException.Kind.PROTOCOL, "malformed ciphertext: coefficient " + k + " of limb " + limb
                + " of " + name + " is " + v + ", outside [0, " + q + ")");
    }
}
