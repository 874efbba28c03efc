package org.fusionmpc.he;

import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;

/**
 * Ciphertexts on a channel: one message of 2·L·N longs (b's limbs, then a's), received with its exact length
 * and every coefficient checked to lie below its prime, so a malformed ciphertext from the peer is a clear
 * {@link ChannelException} ({@code PROTOCOL}) before any arithmetic touches it.
 */
public final class CiphertextCodec {

    private final RnsPoly.Ring ring;

    public CiphertextCodec(RnsPoly.Ring ring) {
        this.ring = ring;
    }

    /** Longs one ciphertext takes on the wire. */
    public int longs() {
        return 2 * ring.limbs() * ring.n();
    }

    public void send(Channel ch, SecretKeyRlwe.Ciphertext c) {
        long[] out = new long[longs()];
        int at = 0;
        for (RnsPoly p : new RnsPoly[] {c.b(), c.a()}) {
            for (long[] limb : p.limbs) {
                System.arraycopy(limb, 0, out, at, limb.length);
                at += limb.length;
            }
        }
        ch.send(out);
    }

    /** Longs a seeded ciphertext takes: b's limbs and the 16-byte seed of a. */
    public int seededLongs() {
        return ring.limbs() * ring.n() + 2;
    }

    /** A seeded ciphertext: b, then a's seed in two little-endian longs; half the bytes of {@link #send}. */
    public void sendSeeded(Channel ch, SecretKeyRlwe.Seeded c) {
        long[] out = new long[seededLongs()];
        int at = 0;
        for (long[] limb : c.b().limbs) {
            System.arraycopy(limb, 0, out, at, limb.length);
            at += limb.length;
        }
        java.nio.ByteBuffer.wrap(c.seed()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out, at, 2);
        ch.send(out);
    }

    /** Receives a seeded ciphertext, checks b, and expands a from the seed. */
    public SecretKeyRlwe.Ciphertext receiveSeeded(Channel ch) {
        long[] in = new long[seededLongs()];
        ch.receive(in, 0, in.length);
        RnsPoly b = checked(in, 0, "b");
        byte[] seed = new byte[16];
        java.nio.ByteBuffer.wrap(seed).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(in, in.length - 2, 2);
        return new SecretKeyRlwe.Ciphertext(b, SecretKeyRlwe.expandUniform(ring, seed));
    }

    private RnsPoly checked(long[] in, int from, String name) {
        int n = ring.n();
        long[][] limbs = new long[ring.limbs()][n];
        int at = from;
        for (int i = 0; i < ring.limbs(); i++) {
            long q = ring.prime(i);
            for (int k = 0; k < n; k++, at++) {
                long v = in[at];
                if (v < 0 || v >= q) {
                    throw new ChannelException(ChannelException.Kind.PROTOCOL, "malformed ciphertext: coefficient " + k + " of limb " + i
                            + " of " + name + " is " + v + ", outside [0, " + q + ")");
                }
                limbs[i][k] = v;
            }
        }
        return new RnsPoly(ring, limbs);
    }

    /**
     * A ciphertext whose reader needs only some coefficients of its plaintext: b at those positions and all of a
     * (a·s mixes every coefficient of a into each one). For a convolution's output that is 5/8 of a whole one.
     */
    public void sendPartial(Channel ch, SecretKeyRlwe.Ciphertext c, int[] positions) {
        int n = ring.n();
        int limbs = ring.limbs();
        long[] out = new long[limbs * positions.length + limbs * n];
        int at = 0;
        for (long[] limb : c.b().limbs) {
            for (int k : positions) {
                out[at++] = limb[k];
            }
        }
        for (long[] limb : c.a().limbs) {
            System.arraycopy(limb, 0, out, at, n);
            at += n;
        }
        ch.send(out);
    }

    /** Receives what {@link #sendPartial} sent for these positions: b's coefficients (limb-major) and a, checked. */
    public SecretKeyRlwe.Partial receivePartial(Channel ch, int[] positions) {
        int limbs = ring.limbs();
        long[] in = new long[limbs * positions.length + limbs * ring.n()];
        ch.receive(in, 0, in.length);
        long[][] b = new long[limbs][positions.length];
        int at = 0;
        for (int i = 0; i < limbs; i++) {
            long q = ring.prime(i);
            for (int k = 0; k < positions.length; k++, at++) {
                if (in[at] < 0 || in[at] >= q) {
                    throw new ChannelException(ChannelException.Kind.PROTOCOL, "malformed ciphertext: coefficient " + positions[k]
                            + " of limb " + i + " of b is " + in[at] + ", outside [0, " + q + ")");
                }
                b[i][k] = in[at];
            }
        }
        return new SecretKeyRlwe.Partial(b, positions.clone(), checked(in, at, "a"));
    }

    public SecretKeyRlwe.Ciphertext receive(Channel ch) {
        long[] in = new long[longs()];
        ch.receive(in, 0, in.length);
        return decode(in);
    }

    /** Checks and splits a received ciphertext. */
    public SecretKeyRlwe.Ciphertext decode(long[] in) {
        if (in.length != longs()) {
            throw new ChannelException(ChannelException.Kind.PROTOCOL, "a ciphertext has " + longs() + " coefficients, got " + in.length);
        }
        return new SecretKeyRlwe.Ciphertext(checked(in, 0, "b"), checked(in, ring.limbs() * ring.n(), "a"));
    }
}
