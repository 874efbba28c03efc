package org.fusionmpc.api.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Framing, chunking, bounds and accounting shared by every transport. A transport only moves buffers:
 * {@link #transmit} hands a filled send buffer to the peer, {@link #refill} produces the next readable
 * buffer. Payload is copied once into the send buffer and once out of the receive buffer; nothing is
 * allocated per message except for receives of unknown length.
 */
abstract class FramedChannel implements Channel {

    private enum Direction { NONE, SEND, RECEIVE }

    /** Copies {@code n} payload bytes starting at message offset {@code at} into {@code out}. */
    @FunctionalInterface
    private interface Source {
        void copyTo(ByteBuffer out, long at, int n);
    }

    /** Copies {@code n} payload bytes from {@code in} to message offset {@code at} of the destination. */
    @FunctionalInterface
    private interface Sink {
        void copyFrom(ByteBuffer in, long at, int n);
    }

    protected final ChannelConfig config;
    private ByteBuffer out;
    private ByteBuffer in;
    private boolean open = true;
    private Direction last = Direction.NONE;
    private long bytesSent, bytesReceived, messagesSent, messagesReceived, framesSent, framesReceived, rounds;

    // What the receiver is waiting for, so that a timeout or an early close can say it precisely.
    private int readFrameLength = -1;
    private int readFrameDone;

    /**
     * @param out an empty send buffer in write mode
     * @param in  the first receive buffer in read mode (usually empty)
     */
    FramedChannel(ChannelConfig config, ByteBuffer out, ByteBuffer in) {
        this.config = Objects.requireNonNull(config, "config");
        this.out = out.order(ByteOrder.LITTLE_ENDIAN);
        this.in = in.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Delivers {@code full}'s bytes {@code [0, position)} to the peer; returns a cleared buffer to fill next. */
    protected abstract ByteBuffer transmit(ByteBuffer full) throws IOException;

    /** Takes back an exhausted read buffer and returns one with at least one readable byte, or throws. */
    protected abstract ByteBuffer refill(ByteBuffer exhausted) throws IOException;

    /** Releases the transport's resources. Must not throw. */
    protected abstract void closeTransport();

    // ---------------------------------------------------------------- send

    @Override
    public final void send(byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        sendMessage(length, 1, (o, at, n) -> o.put(src, offset + (int) at, n));
    }

    @Override
    public final void send(long[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        sendMessage(8L * length, 8, (o, at, n) -> copyLongsOut(src, offset, o, at, n));
    }

    @Override
    public final void send(DirectBuffer src, int index, int length) {
        Objects.checkFromIndexSize(index, length, src.capacity());
        sendMessage(length, 1, (o, at, n) -> {
            src.getBytes(index + (int) at, o, o.position(), n);
            o.position(o.position() + n);
        });
    }

    private void sendMessage(long length, int unit, Source source) {
        ensureOpen();
        if (last != Direction.SEND) {
            last = Direction.SEND;
            rounds++;
        }
        try {
            // Frames of a message of longs hold whole longs, so that the common case copies in bulk.
            long frameMax = config.maxFrameBytes() / unit * unit;
            long at = 0;
            do {
                int frame = (int) Math.min(length - at, frameMax);
                boolean continued = at + frame < length;
                if (out.remaining() < FrameFormat.HEADER_BYTES) {
                    out = transmit(out);
                }
                out.putInt(FrameFormat.header(frame, continued));
                long end = at + frame;
                while (at < end) {
                    if (!out.hasRemaining()) {
                        out = transmit(out);
                    }
                    int n = (int) Math.min(end - at, out.remaining());
                    source.copyTo(out, at, n);
                    at += n;
                }
                framesSent++;
            } while (at < length);
            bytesSent += length;
            messagesSent++;
        } catch (IOException | RuntimeException e) {
            throw fail(e, true);
        }
    }

    private static void copyLongsOut(long[] src, int offset, ByteBuffer o, long at, int n) {
        while (n > 0) {
            int i = offset + (int) (at >>> 3);
            if ((at & 7) == 0 && n >= 8) {
                int k = n >>> 3;
                o.asLongBuffer().put(src, i, k);
                o.position(o.position() + 8 * k);
                at += 8L * k;
                n -= 8 * k;
            } else {
                // A long split across two send buffers: its bytes go one at a time, little-endian.
                o.put((byte) (src[i] >>> ((at & 7) << 3)));
                at++;
                n--;
            }
        }
    }

    @Override
    public final void flush() {
        ensureOpen();
        if (out.position() > 0) {
            try {
                out = transmit(out);
            } catch (IOException | RuntimeException e) {
                throw fail(e, true);
            }
        }
    }

    // ---------------------------------------------------------------- receive

    @Override
    public final void receive(byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        receiveExactly(length, (b, at, n) -> b.get(dst, offset + (int) at, n));
    }

    @Override
    public final void receive(long[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        receiveExactly(8L * length, (b, at, n) -> copyLongsIn(b, dst, offset, at, n));
    }

    @Override
    public final void receive(MutableDirectBuffer dst, int index, int length) {
        Objects.checkFromIndexSize(index, length, dst.capacity());
        receiveExactly(length, (b, at, n) -> {
            dst.putBytes(index + (int) at, b, b.position(), n);
            b.position(b.position() + n);
        });
    }

    private static void copyLongsIn(ByteBuffer b, long[] dst, int offset, long at, int n) {
        while (n > 0) {
            int i = offset + (int) (at >>> 3);
            if ((at & 7) == 0 && n >= 8) {
                int k = n >>> 3;
                b.asLongBuffer().get(dst, i, k);
                b.position(b.position() + 8 * k);
                at += 8L * k;
                n -= 8 * k;
            } else {
                int shift = (int) (at & 7) << 3;
                dst[i] = (dst[i] & ~(0xFFL << shift)) | ((b.get() & 0xFFL) << shift);
                at++;
                n--;
            }
        }
    }

    private void receiveExactly(long expected, Sink sink) {
        beginReceive();
        try {
            long at = 0;
            boolean continued;
            do {
                int header = readHeader();
                int frame = header & FrameFormat.LENGTH_MASK;
                continued = header < 0;
                checkFrame(frame, continued);
                if (at + frame > expected) {
                    throw new ChannelException(ChannelException.Kind.MESSAGE_SIZE, "peer sent a message of at least "
                            + (at + frame) + " bytes where " + expected + " bytes were expected");
                }
                readPayload(sink, at, frame);
                at += frame;
            } while (continued);
            if (at != expected) {
                throw new ChannelException(ChannelException.Kind.MESSAGE_SIZE,
                        "peer sent a message of " + at + " bytes where " + expected + " bytes were expected");
            }
            bytesReceived += at;
            messagesReceived++;
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public final byte[] receiveBytes(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be non-negative, got " + maxBytes);
        }
        beginReceive();
        try {
            byte[] buf = null;
            int at = 0;
            boolean continued;
            do {
                int header = readHeader();
                int frame = header & FrameFormat.LENGTH_MASK;
                continued = header < 0;
                checkFrame(frame, continued);
                if ((long) at + frame > maxBytes) {
                    throw new ChannelException(ChannelException.Kind.MESSAGE_SIZE, "peer sent a message of at least "
                            + ((long) at + frame) + " bytes; at most " + maxBytes + " bytes are accepted here");
                }
                if (buf == null) {
                    buf = new byte[frame];
                } else if (buf.length < at + frame) {
                    // Grow geometrically but never past the bound, and only by frames that actually arrive.
                    buf = Arrays.copyOf(buf, (int) Math.min(maxBytes, Math.max(at + frame, 2L * buf.length)));
                }
                byte[] target = buf;
                readPayload((b, pos, n) -> b.get(target, (int) pos, n), at, frame);
                at += frame;
            } while (continued);
            bytesReceived += at;
            messagesReceived++;
            return buf.length == at ? buf : Arrays.copyOf(buf, at);
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public final long[] receiveLongs(int maxLongs) {
        if (maxLongs < 0 || maxLongs > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("maxLongs must be in [0, 2^28), got " + maxLongs);
        }
        byte[] bytes = receiveBytes(8 * maxLongs);
        if ((bytes.length & 7) != 0) {
            throw fail(new ChannelException(ChannelException.Kind.MESSAGE_SIZE,
                    "peer sent " + bytes.length + " bytes where a whole number of longs was expected"));
        }
        long[] result = new long[bytes.length >>> 3];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(result);
        return result;
    }

    private void beginReceive() {
        // A receive implies the end of this party's flight: push out what it has said so far.
        flush();
        if (last != Direction.RECEIVE) {
            last = Direction.RECEIVE;
            rounds++;
        }
    }

    private void checkFrame(int frame, boolean continued) {
        if (frame > config.maxFrameBytes()) {
            throw new ChannelException(ChannelException.Kind.FRAME_TOO_LARGE, "peer announced a frame of " + frame
                    + " bytes; the bound is " + config.maxFrameBytes() + " bytes (ChannelConfig.maxFrameBytes)");
        }
        if (continued && frame == 0) {
            throw new ChannelException(ChannelException.Kind.PROTOCOL, "peer sent an empty continuation frame");
        }
    }

    private int readHeader() throws IOException {
        readFrameLength = -1;
        readFrameDone = 0;
        if (in.remaining() >= FrameFormat.HEADER_BYTES) {
            return in.getInt();
        }
        int header = 0;
        for (int i = 0; i < FrameFormat.HEADER_BYTES; i++) {
            if (!in.hasRemaining()) {
                in = refill(in).order(ByteOrder.LITTLE_ENDIAN); // a transport may hand back any buffer; headers are little-endian
            }
            header |= (in.get() & 0xFF) << (8 * i);
            readFrameDone++;
        }
        return header;
    }

    private void readPayload(Sink sink, long at, int frame) throws IOException {
        readFrameLength = frame;
        readFrameDone = 0;
        while (readFrameDone < frame) {
            if (!in.hasRemaining()) {
                in = refill(in).order(ByteOrder.LITTLE_ENDIAN);
            }
            int n = Math.min(frame - readFrameDone, in.remaining());
            sink.copyFrom(in, at + readFrameDone, n);
            readFrameDone += n;
        }
        framesReceived++;
        readFrameLength = -1; // a whole frame is in: the next wait is for a header, which is what a message should say
        readFrameDone = 0;
    }

    /** What this endpoint was waiting for, in words, for timeout and early-close messages. */
    protected final String waitingFor() {
        if (readFrameLength < 0) {
            return readFrameDone == 0 ? "the next frame header"
                    : "the rest of a frame header (" + readFrameDone + " of 4 bytes read)";
        }
        return "the rest of a " + readFrameLength + "-byte frame (" + readFrameDone + " bytes read)";
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public final ChannelStats stats() {
        return new ChannelStats(bytesSent, bytesReceived, messagesSent, messagesReceived, framesSent,
                framesReceived, rounds);
    }

    @Override
    public final ChannelConfig config() {
        return config;
    }

    @Override
    public final boolean isOpen() {
        return open;
    }

    @Override
    public final void close() {
        if (!open) {
            return;
        }
        try {
            if (out.position() > 0) {
                out = transmit(out);
            }
        } catch (IOException | RuntimeException ignored) {
            // The peer may be gone already; closing must still release everything.
        } finally {
            open = false;
            closeTransport();
        }
    }

    private void ensureOpen() {
        if (!open) {
            throw new ChannelException(ChannelException.Kind.CLOSED, "channel " + describe() + " is closed");
        }
    }

    /** Closes the channel after a failure and returns the exception to throw. */
    private ChannelException fail(Exception e) {
        return fail(e, false);
    }

    private ChannelException fail(Exception e, boolean sending) {
        open = false;
        closeTransport();
        if (e instanceof ChannelException ce) {
            return ce;
        }
        if (e instanceof IOException) {
            return new ChannelException(ChannelException.Kind.IO,
                    "I/O error on " + describe() + (sending ? " while sending" : " while waiting for " + waitingFor()) + ": "
                            + e.getMessage(), e);
        }
        return new ChannelException(ChannelException.Kind.IO, "channel " + describe() + " failed: " + e, e);
    }

    /** For transports: the peer closed the connection. */
    protected final ChannelException peerClosed() {
        String what = readFrameLength < 0 && readFrameDone == 0
                ? "peer closed the channel " + describe()
                : "peer closed the channel " + describe() + " in the middle of a message, while this side waited for "
                        + waitingFor();
        return new ChannelException(ChannelException.Kind.PEER_CLOSED, what);
    }

    /** For transports: nothing arrived within the timeout. */
    protected final ChannelException receiveTimeout() {
        return new ChannelException(ChannelException.Kind.TIMEOUT, "peer sent nothing for "
                + config.ioTimeout().toMillis() + " ms on " + describe() + " while this side waited for "
                + waitingFor() + " (ChannelConfig.ioTimeout)");
    }

    /** For transports: the peer did not take our bytes within the timeout. */
    protected final ChannelException sendTimeout() {
        return new ChannelException(ChannelException.Kind.TIMEOUT, "peer read nothing for "
                + config.ioTimeout().toMillis() + " ms on " + describe()
                + " while this side was sending (ChannelConfig.ioTimeout)");
    }
}
