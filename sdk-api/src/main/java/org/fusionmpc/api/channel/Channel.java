package org.fusionmpc.api.channel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * An ordered, reliable, message-oriented link between the two parties of a protocol.
 *
 * <p>Every {@code send} is one message; the peer must consume it with exactly one {@code receive}. Messages
 * larger than {@link ChannelConfig#maxFrameBytes()} are split into several frames by the channel and joined
 * again on the other side, so callers never chunk by hand. Sends are buffered: data leaves on
 * {@link #flush()}, when the send buffer fills, or before any {@code receive} (a party that waits for an
 * answer must first have sent its question, so forgetting a flush cannot deadlock a protocol).
 *
 * <p>The fixed-length receives ({@code receive(byte[], int, int)} and its siblings) are the ones protocols
 * use: the receiver states how many bytes it expects, reads them into memory it owns, and a peer that sends
 * a different amount gets a {@link ChannelException} instead of an allocation of the peer's choosing.
 *
 * <p>A channel is used by one thread at a time. Any failure (timeout, bad frame, peer gone) closes the
 * channel and releases its socket or queues; every later call then fails fast.
 */
public interface Channel extends AutoCloseable {

    /** Sends {@code length} bytes of {@code src} from {@code offset} as one message. */
    void send(byte[] src, int offset, int length);

    default void send(byte[] src) {
        send(src, 0, src.length);
    }

    /** Sends {@code length} longs of {@code src} from {@code offset} as one message, 8 bytes each, little-endian. */
    void send(long[] src, int offset, int length);

    default void send(long[] src) {
        send(src, 0, src.length);
    }

    /** Sends the slice {@code [index, index + length)} of an Agrona buffer as one message. */
    void send(DirectBuffer src, int index, int length);

    /** Receives one message that must be exactly {@code length} bytes long into {@code dst}. */
    void receive(byte[] dst, int offset, int length);

    /** Receives one message that must be exactly {@code length} longs long into {@code dst}. */
    void receive(long[] dst, int offset, int length);

    /** Receives one message that must be exactly {@code length} bytes long into {@code dst} at {@code index}. */
    void receive(MutableDirectBuffer dst, int index, int length);

    /**
     * Receives one message of a length the caller does not know in advance, refusing (with a
     * {@link ChannelException}) a message longer than {@code maxBytes}. Memory grows with the bytes that
     * actually arrive, never with a length the peer merely claims.
     */
    byte[] receiveBytes(int maxBytes);

    default byte[] receiveBytes() {
        return receiveBytes(config().maxMessageBytes());
    }

    /** Like {@link #receiveBytes(int)} for a message of longs; {@code maxLongs} bounds its length. */
    long[] receiveLongs(int maxLongs);

    /** Hands all buffered sends to the transport. */
    void flush();

    /** A snapshot of this endpoint's traffic counters. */
    ChannelStats stats();

    ChannelConfig config();

    /** A short description of the link, e.g. {@code "tls(Conscrypt) 127.0.0.1:5000"}. */
    String describe();

    boolean isOpen();

    /** Flushes what can be flushed and releases the link. Idempotent; never throws. */
    @Override
    void close();
}
