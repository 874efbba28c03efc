package org.fusionmpc.api.channel;

/**
 * The wire framing shared by every stream transport: a 4-byte little-endian header whose low 31 bits are the
 * frame's payload length and whose top bit says that the message continues in the next frame.
 */
final class FrameFormat {

    public static final int HEADER_BYTES = 4;

    /** The largest frame length the header can carry; {@link ChannelConfig#maxFrameBytes()} may be lower. */
    public static final int MAX_FRAME_BYTES = 1 << 30;

    static final int CONTINUED = 0x8000_0000;
    static final int LENGTH_MASK = 0x7FFF_FFFF;

    private FrameFormat() {
    }

    /** The header of a frame of {@code length} bytes, with the continuation flag when more frames follow. */
    public static int header(int length, boolean continued) {
        return continued ? length | CONTINUED : length;
    }
}
