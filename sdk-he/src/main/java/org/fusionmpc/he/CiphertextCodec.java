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
        int n = ring.n();
        RnsPoly[] polys = new RnsPoly[2];
        int at = 0;
        for (int p = 0; p < 2; p++) {
            long[][] limbs = new long[ring.limbs()][n];
            for (int i = 0; i < ring.limbs(); i++) {
                long q = ring.prime(i);
                for (int k = 0; k < n; k++, at++) {
                    long v = in[at];
                    if (v < 0 || v >= q) {
                        throw new ChannelException(ChannelException.Kind.PROTOCOL, "malformed ciphertext: coefficient " + k + " of limb " + i
                                + " of " + (p == 0 ? "b" : "a") + " is " + v + ", outside [0, " + q + ")");
                    }
                    limbs[i][k] = v;
                }
            }
            polys[p] = new RnsPoly(ring, limbs);
        }
        return new SecretKeyRlwe.Ciphertext(polys[0], polys[1]);
    }
}
