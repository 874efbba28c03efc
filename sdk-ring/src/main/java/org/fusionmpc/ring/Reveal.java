package org.fusionmpc.ring;

import org.fusionmpc.api.channel.Channel;

/** Opening shares: to one party (the other sends its share) or to both (each sends its share). */
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
}
