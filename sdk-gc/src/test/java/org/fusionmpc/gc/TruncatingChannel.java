package org.fusionmpc.gc;

import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ForwardingChannel;

/** A channel that lets a fixed number of {@code long[]} messages through, then stops its sender by throwing. */
final class TruncatingChannel extends ForwardingChannel {

    private final int[] left;

    TruncatingChannel(Channel inner, int[] left) {
        super(inner);
        this.left = left;
    }

    @Override
    public void send(long[] src, int offset, int length) {
        if (left[0]-- <= 0) {
            delegate.flush();
            throw new IllegalStateException("truncated on purpose");
        }
        delegate.send(src, offset, length);
    }
}
