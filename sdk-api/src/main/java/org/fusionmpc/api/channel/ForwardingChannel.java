package org.fusionmpc.api.channel;

import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A channel that forwards every call to another one; subclass it to observe or alter traffic (record what a
 * party receives, cut a stream short in a fault test, throttle) without reimplementing the interface.
 */
public abstract class ForwardingChannel implements Channel {

    protected final Channel delegate;

    protected ForwardingChannel(Channel delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void send(byte[] src, int offset, int length) {
        delegate.send(src, offset, length);
    }

    @Override
    public void send(long[] src, int offset, int length) {
        delegate.send(src, offset, length);
    }

    @Override
    public void send(DirectBuffer src, int index, int length) {
        delegate.send(src, index, length);
    }

    @Override
    public void receive(byte[] dst, int offset, int length) {
        delegate.receive(dst, offset, length);
    }

    @Override
    public void receive(long[] dst, int offset, int length) {
        delegate.receive(dst, offset, length);
    }

    @Override
    public void receive(MutableDirectBuffer dst, int index, int length) {
        delegate.receive(dst, index, length);
    }

    @Override
    public byte[] receiveBytes(int maxBytes) {
        return delegate.receiveBytes(maxBytes);
    }

    @Override
    public long[] receiveLongs(int maxLongs) {
        return delegate.receiveLongs(maxLongs);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public ChannelStats stats() {
        return delegate.stats();
    }

    @Override
    public ChannelConfig config() {
        return delegate.config();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
