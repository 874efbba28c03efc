package org.fusionmpc.api.channel;

import java.time.Duration;

/**
 * Bounds and timeouts of a channel. Immutable; derive variants with the {@code with*} methods.
 *
 * @param maxFrameBytes   hard bound on one frame's payload; a peer announcing more is refused before anything
 *                        is allocated (default 64 MiB)
 * @param maxMessageBytes bound on a message of unknown length ({@link Channel#receiveBytes()}); fixed-length
 *                        receives are bounded by the caller's buffer instead (default 1 GiB)
 * @param bufferBytes     size of the send and receive buffers of a stream transport, and of one in-memory chunk
 * @param connectTimeout  how long connecting (including retries while the server is not yet listening) and
 *                        accepting may take
 * @param ioTimeout       how long a receive may wait for the peer's next bytes, and a send for the peer to
 *                        make room, before the channel gives up with {@link ChannelException.Kind#TIMEOUT}
 */
public record ChannelConfig(int maxFrameBytes, int maxMessageBytes, int bufferBytes,
                            Duration connectTimeout, Duration ioTimeout) {

    public static final ChannelConfig DEFAULT = new ChannelConfig(64 << 20, 1 << 30, 256 << 10,
            Duration.ofSeconds(10), Duration.ofSeconds(60));

    public ChannelConfig {
        if (maxFrameBytes < 8 || maxFrameBytes > FrameFormat.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be in [8, 2^30], got " + maxFrameBytes);
        }
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must be non-negative, got " + maxMessageBytes);
        }
        if (bufferBytes < 64) {
            throw new IllegalArgumentException("bufferBytes must be at least 64, got " + bufferBytes);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || ioTimeout.isNegative() || ioTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public ChannelConfig withMaxFrameBytes(int bytes) {
        return new ChannelConfig(bytes, maxMessageBytes, bufferBytes, connectTimeout, ioTimeout);
    }

    public ChannelConfig withMaxMessageBytes(int bytes) {
        return new ChannelConfig(maxFrameBytes, bytes, bufferBytes, connectTimeout, ioTimeout);
    }

    public ChannelConfig withBufferBytes(int bytes) {
        return new ChannelConfig(maxFrameBytes, maxMessageBytes, bytes, connectTimeout, ioTimeout);
    }

    public ChannelConfig withConnectTimeout(Duration timeout) {
        return new ChannelConfig(maxFrameBytes, maxMessageBytes, bufferBytes, timeout, ioTimeout);
    }

    public ChannelConfig withIoTimeout(Duration timeout) {
        return new ChannelConfig(maxFrameBytes, maxMessageBytes, bufferBytes, connectTimeout, timeout);
    }
}
