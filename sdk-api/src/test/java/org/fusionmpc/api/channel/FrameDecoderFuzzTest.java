package org.fusionmpc.api.channel;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing (Jazzer) of the frame decoder every stream transport shares ({@link FramedChannel}): a
 * peer's bytes, arriving in pieces of any size, read by a sequence of receives of every kind against small
 * bounds. The decoder must agree with a reference decoder written independently here, message by message: the
 * same payloads, or the same {@link ChannelException.Kind} at the same message; after a failure the channel is
 * closed; the byte count in its stats is the sum of the payloads delivered. Any other exception is a finding.
 * {@code FrameFuzzTest} sends such streams over real TCP; this target reaches the decoder's states faster.
 */
class FrameDecoderFuzzTest {

    /** A transport that hands out a fixed byte stream in pieces of a given size, then reports the peer gone. */
    private static final class ScriptedStream extends FramedChannel {
        private final byte[] stream;
        private final int piece;
        private int at;

        ScriptedStream(ChannelConfig config, byte[] stream, int piece) {
            super(config, ByteBuffer.allocate(64), ByteBuffer.allocate(0));
            this.stream = stream;
            this.piece = piece;
        }

        @Override
        protected ByteBuffer transmit(ByteBuffer full) {
            return full.clear();
        }

        @Override
        protected ByteBuffer refill(ByteBuffer exhausted) throws IOException {
            if (at == stream.length) {
                throw peerClosed();
            }
            int n = Math.min(piece, stream.length - at);
            ByteBuffer b = ByteBuffer.wrap(stream, at, n).slice();
            at += n;
            return b;
        }

        @Override
        protected void closeTransport() {
        }

        @Override
        public String describe() {
            return "scripted stream";
        }
    }

    /** The reference: reads one message from {@code s} at {@code pos[0]}; returns its payload or throws a kind. */
    private static final class Reference {
        final byte[] s;
        final int maxFrame;
        int pos;

        Reference(byte[] s, int maxFrame) {
            this.s = s;
            this.maxFrame = maxFrame;
        }

        /** exact ≥ 0: the message must be exactly that long; otherwise at most {@code max} bytes. */
        byte[] message(long exact, long max) {
            java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
            boolean continued;
            do {
                if (s.length - pos < 4) {
                    throw new Failure(ChannelException.Kind.PEER_CLOSED);
                }
                long header = (s[pos] & 0xFFL) | (s[pos + 1] & 0xFFL) << 8 | (s[pos + 2] & 0xFFL) << 16 | (s[pos + 3] & 0xFFL) << 24;
                pos += 4;
                continued = (header & 0x8000_0000L) != 0;
                long frame = header & 0x7FFF_FFFFL;
                if (frame > maxFrame) {
                    throw new Failure(ChannelException.Kind.FRAME_TOO_LARGE);
                }
                if (continued && frame == 0) {
                    throw new Failure(ChannelException.Kind.PROTOCOL);
                }
                if (payload.size() + frame > (exact >= 0 ? exact : max)) {
                    throw new Failure(ChannelException.Kind.MESSAGE_SIZE);
                }
                if (s.length - pos < frame) {
                    throw new Failure(ChannelException.Kind.PEER_CLOSED);
                }
                payload.write(s, pos, (int) frame);
                pos += (int) frame;
            } while (continued);
            if (exact >= 0 && payload.size() != exact) {
                throw new Failure(ChannelException.Kind.MESSAGE_SIZE);
            }
            return payload.toByteArray();
        }
    }

    private static final class Failure extends RuntimeException {
        final ChannelException.Kind kind;

        Failure(ChannelException.Kind kind) {
            super(kind.name(), null, false, false);
            this.kind = kind;
        }
    }

    @FuzzTest(maxDuration = "10s")
    void frames(FuzzedDataProvider data) {
        int maxFrame = data.consumeInt(8, 80);
        int piece = data.consumeInt(1, 24);
        int receives = data.consumeInt(1, 4);
        int[] kinds = new int[receives];
        int[] sizes = new int[receives];
        for (int i = 0; i < receives; i++) {
            kinds[i] = data.consumeInt(0, 3);
            sizes[i] = data.consumeInt(0, 40);
        }
        byte[] stream = data.consumeRemainingAsBytes();
        ScriptedStream ch = new ScriptedStream(ChannelConfig.DEFAULT.withMaxFrameBytes(maxFrame), stream, piece);
        Reference ref = new Reference(stream, maxFrame);
        long delivered = 0;
        for (int i = 0; i < receives; i++) {
            byte[] expected;
            ChannelException.Kind expectedKind = null;
            int n = sizes[i];
            try {
                expected = switch (kinds[i]) {
                    case 0, 2 -> ref.message(n, 0);                 // receive(byte[] n), receive(DirectBuffer n)
                    case 1 -> ref.message(8L * (n / 8), 0);         // receive(long[] n/8)
                    default -> ref.message(-1, n);                  // receiveBytes(≤ n)
                };
            } catch (Failure f) {
                expected = null;
                expectedKind = f.kind;
            }
            byte[] got;
            try {
                got = switch (kinds[i]) {
                    case 0 -> {
                        byte[] b = new byte[n];
                        ch.receive(b, 0, n);
                        yield b;
                    }
                    case 1 -> {
                        long[] l = new long[n / 8];
                        ch.receive(l, 0, l.length);
                        ByteBuffer b = ByteBuffer.allocate(8 * l.length).order(ByteOrder.LITTLE_ENDIAN);
                        b.asLongBuffer().put(l);
                        yield b.array();
                    }
                    case 2 -> {
                        org.agrona.concurrent.UnsafeBuffer b = new org.agrona.concurrent.UnsafeBuffer(new byte[n + 3]);
                        ch.receive(b, 3, n);
                        yield Arrays.copyOfRange(b.byteArray(), 3, n + 3);
                    }
                    default -> ch.receiveBytes(n);
                };
            } catch (ChannelException e) {
                if (expectedKind != e.kind()) {
                    throw new AssertionError("receive " + i + " (kind " + kinds[i] + ", " + n + "): decoder says " + e.kind()
                            + " (" + e.getMessage() + "), reference " + (expectedKind == null ? "a message" : expectedKind));
                }
                if (ch.isOpen()) {
                    throw new AssertionError("the channel stays open after " + e.kind());
                }
                return;
            }
            if (expectedKind != null) {
                throw new AssertionError("receive " + i + ": decoder delivered " + got.length + " bytes, reference " + expectedKind);
            }
            if (!Arrays.equals(expected, got)) {
                throw new AssertionError("receive " + i + ": payloads differ");
            }
            delivered += got.length;
            if (ch.stats().bytesReceived() != delivered) {
                throw new AssertionError("stats count " + ch.stats().bytesReceived() + " bytes, delivered " + delivered);
            }
        }
    }
}
