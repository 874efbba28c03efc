package org.fusionmpc.api.channel;

/**
 * Traffic seen at one endpoint. Byte counts are payload bytes; {@link #wireBytesSent()} adds the
 * 4-byte frame headers (TLS record overhead is not included).
 *
 * <p>{@code rounds} counts flights: maximal runs of consecutive sends, or of consecutive receives, at this
 * endpoint. A request and its answer are two flights at both ends, so in a strictly alternating protocol
 * both parties report the same number.
 */
public record ChannelStats(long bytesSent, long bytesReceived, long messagesSent, long messagesReceived,
                           long framesSent, long framesReceived, long rounds) {

    public static final ChannelStats ZERO = new ChannelStats(0, 0, 0, 0, 0, 0, 0);

    public long wireBytesSent() {
        return bytesSent + (long) FrameFormat.HEADER_BYTES * framesSent;
    }

    public long wireBytesReceived() {
        return bytesReceived + (long) FrameFormat.HEADER_BYTES * framesReceived;
    }

    /** The traffic between {@code earlier} and this snapshot, e.g. for one phase of a protocol. */
    public ChannelStats minus(ChannelStats earlier) {
        return new ChannelStats(bytesSent - earlier.bytesSent, bytesReceived - earlier.bytesReceived,
                messagesSent - earlier.messagesSent, messagesReceived - earlier.messagesReceived,
                framesSent - earlier.framesSent, framesReceived - earlier.framesReceived,
                rounds - earlier.rounds);
    }
}
