package org.fusionmpc.gc;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.ChannelStats;

/** A channel that lets a fixed number of {@code long[]} messages through, then stops its sender by throwing. */
final class TruncatingChannel implements Channel {

    private final Channel inner;
    private final int[] left;

    TruncatingChannel(Channel inner, int[] left) {
        this.inner = inner;
        this.left = left;
    }

    @Override
    public void send(long[] src, int offset, int length) {
        if (left[0]-- <= 0) {
            inner.flush();
            throw new IllegalStateException("truncated on purpose");
        }
        inner.send(src, offset, length);
    }

    @Override
    public void send(byte[] src, int offset, int length) {
        inner.send(src, offset, length);
    }

    @Override
    public void send(DirectBuffer src, int index, int length) {
        inner.send(src, index, length);
    }

    @Override
    public void receive(byte[] dst, int offset, int length) {
        inner.receive(dst, offset, length);
    }

    @Override
    public void receive(long[] dst, int offset, int length) {
        inner.receive(dst, offset, length);
    }

    @Override
    public void receive(MutableDirectBuffer dst, int index, int length) {
        inner.receive(dst, index, length);
    }

    @Override
    public byte[] receiveBytes(int maxBytes) {
        return inner.receiveBytes(maxBytes);
    }

    @Override
    public long[] receiveLongs(int maxLongs) {
        return inner.receiveLongs(maxLongs);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public ChannelStats stats() {
        return inner.stats();
    }

    @Override
    public ChannelConfig config() {
        return inner.config();
    }

    @Override
    public String describe() {
        return "truncating " + inner.describe();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public void close() {
        inner.close();
    }
}
