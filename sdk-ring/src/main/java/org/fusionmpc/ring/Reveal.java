package org.fusionmpc.ring;

import org.fusionmpc.api.channel.Channel;

/**
 * Opening shares: to one party (the other sends its share) or to both (each sends its share). Additive shares over
 * Z_2^64 ({@link #receive}, {@link #both}; mask the result to ℓ bits for shares over Z_2^ℓ) and XOR shares of bits,
 * as the comparisons give them ({@link #receiveBits}, {@link #bothBits}).
 */
public final class Reveal {

    private Reveal() {
    }

    /** The side that gives its share away and learns nothing. */
    public static void send(Channel channel, long[] share) {
        channel.send(share);
        channel.flush();
    }

    /** The side that learns the value: its share plus the peer's. */
    public static long[] receive(Channel channel, long[] share) {
        long[] other = new long[share.length];
        channel.receive(other, 0, other.length);
        for (int i = 0; i < other.length; i++) {
            other[i] += share[i];
        }
        return other;
    }

    /** Both parties learn the value; both call this. */
    public static long[] both(Channel channel, long[] share) {
        send(channel, share);
        return receive(channel, share);
    }

    /** The side that learns the values of additive shares over Z_2^ℓ: its share plus the peer's, mod 2^ℓ. */
    public static long[] receive(Channel channel, long[] share, int bits) {
        long[] v = receive(channel, share);
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        for (int i = 0; i < v.length; i++) {
            v[i] &= m;
        }
        return v;
    }

    /** The side that learns bits held as XOR shares: its share XOR the peer's (the peer calls {@link #send}). */
    public static long[] receiveBits(Channel channel, long[] share) {
        long[] other = new long[share.length];
        channel.receive(other, 0, other.length);
        for (int i = 0; i < other.length; i++) {
            other[i] ^= share[i];
        }
        return other;
    }

    /** Both parties learn bits held as XOR shares; both call this. */
    public static long[] bothBits(Channel channel, long[] share) {
        send(channel, share);
        return receiveBits(channel, share);
    }
}
