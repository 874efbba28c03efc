package org.fusionmpc.api.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A misbehaving peer produces a clear exception within the timeout, and the channel is released. */
class ChannelFaultTest {

    private static final ChannelConfig QUICK = ChannelConfig.DEFAULT.withIoTimeout(Duration.ofMillis(400))
            .withConnectTimeout(Duration.ofSeconds(5)).withMaxFrameBytes(1 << 20);

    /** A raw TCP client that writes {@code bytes} (and keeps the socket open if asked) to a channel's listener. */
    private static ChannelException receiveFromRawPeer(byte[] bytes, boolean closeAfter, long[] elapsedMillis)
            throws Exception {
        try (TcpListener listener = TcpListener.bind(Transport.loopback(0), QUICK);
             Socket raw = new Socket(Transport.loopback(0).getAddress(), listener.port())) {
            Channel channel = listener.accept();
            OutputStream out = raw.getOutputStream();
            out.write(bytes);
            out.flush();
            if (closeAfter) {
                raw.shutdownOutput();
            }
            long start = System.nanoTime();
            ChannelException e = assertThrows(ChannelException.class, () -> channel.receive(new byte[64], 0, 64));
            elapsedMillis[0] = (System.nanoTime() - start) / 1_000_000;
            assertFalse(channel.isOpen(), "a failed channel must be closed");
            ChannelException later = assertThrows(ChannelException.class, () -> channel.send(new byte[1]));
            assertEquals(ChannelException.Kind.CLOSED, later.kind());
            // The channel released its socket: the raw peer sees end of stream.
            raw.setSoTimeout(5000);
            InputStream in = raw.getInputStream();
            assertEquals(-1, in.read(), "the peer should see the connection closed");
            return e;
        }
    }

    private static byte[] header(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    @Test
    void frameLengthOverTheBoundIsRefusedBeforeAllocation() throws Exception {
        long[] t = new long[1];
        ChannelException e = receiveFromRawPeer(header(0x7FFF_FFF0), false, t);
        assertEquals(ChannelException.Kind.FRAME_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("2147483632") && e.getMessage().contains("1048576"), e.getMessage());
    }

    @Test
    void truncatedFrameHeaderReportsPeerClosed() throws Exception {
        long[] t = new long[1];
        ChannelException e = receiveFromRawPeer(new byte[] {64, 0}, true, t);
        assertEquals(ChannelException.Kind.PEER_CLOSED, e.kind());
        assertTrue(e.getMessage().contains("2 of 4 bytes"), e.getMessage());
    }

    @Test
    void truncatedFramePayloadReportsHowMuchArrived() throws Exception {
        long[] t = new long[1];
        ChannelException e = receiveFromRawPeer(concat(header(64), new byte[50]), true, t);
        assertEquals(ChannelException.Kind.PEER_CLOSED, e.kind());
        assertTrue(e.getMessage().contains("64-byte frame (50 bytes read)"), e.getMessage());
    }

    @Test
    void peerClosingBetweenFramesOfOneMessageIsReported() throws Exception {
        long[] t = new long[1];
        ChannelException e = receiveFromRawPeer(concat(header(FrameFormat.header(32, true)), new byte[32]), true, t);
        assertEquals(ChannelException.Kind.PEER_CLOSED, e.kind());
    }

    @Test
    void messageOfTheWrongLengthIsRefused() throws Exception {
        long[] t = new long[1];
        ChannelException e = receiveFromRawPeer(concat(header(65), new byte[65]), false, t);
        assertEquals(ChannelException.Kind.MESSAGE_SIZE, e.kind());
        assertTrue(e.getMessage().contains("65") && e.getMessage().contains("64"), e.getMessage());
    }

    @Test
    void stalledPeerTimesOutWithinTheTimeout() throws Exception {
        long[] t = new long[1];
        ChannelException e = receiveFromRawPeer(concat(header(64), new byte[10]), false, t);
        assertEquals(ChannelException.Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("400 ms") && e.getMessage().contains("10 bytes read"), e.getMessage());
        assertTrue(t[0] >= 350 && t[0] < 5000, "timed out after " + t[0] + " ms");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void silentPeerTimesOutAndPeerCloseIsSeen(Transport transport) throws Exception {
        Channel[] pair = transport.pair(QUICK);
        try (Channel a = pair[0]; Channel b = pair[1]) {
            long start = System.nanoTime();
            ChannelException timeout = assertThrows(ChannelException.class, () -> a.receive(new byte[8], 0, 8));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ChannelException.Kind.TIMEOUT, timeout.kind(), timeout.getMessage());
            assertTrue(ms >= 350 && ms < 5000, "timed out after " + ms + " ms");
            assertFalse(a.isOpen());
            // a closed itself on failure; b sees the close instead of waiting for its own timeout.
            ChannelException closed = assertThrows(ChannelException.class, () -> b.receive(new byte[8], 0, 8));
            assertEquals(ChannelException.Kind.PEER_CLOSED, closed.kind(), closed.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void peerClosingMidMessageIsSeen(Transport transport) throws Exception {
        // A 1 MiB frame bound and 64 KiB buffers: the 600 KB message leaves in several buffers, then the sender dies.
        ChannelConfig config = QUICK.withBufferBytes(64 << 10);
        Channel[] pair = transport.pair(config);
        try (Channel a = pair[0]; Channel b = pair[1]) {
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                a.send(new byte[100_000]);
                a.flush();
                a.close();
            });
            ChannelException e = assertThrows(ChannelException.class, () -> b.receive(new byte[600_000], 0, 600_000));
            assertTrue(e.kind() == ChannelException.Kind.PEER_CLOSED || e.kind() == ChannelException.Kind.MESSAGE_SIZE,
                    e.kind() + ": " + e.getMessage());
            sender.get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void senderBlockedByAPeerThatNeverReadsTimesOut(Transport transport) throws Exception {
        Channel[] pair = transport.pair(QUICK);
        try (Channel a = pair[0]; Channel b = pair[1]) {
            long start = System.nanoTime();
            ChannelException e = assertThrows(ChannelException.class, () -> {
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 1024; i++) {
                    a.send(chunk);
                }
                a.flush();
            });
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ChannelException.Kind.TIMEOUT, e.kind(), e.getMessage());
            assertTrue(ms < 10_000, "gave up after " + ms + " ms");
            assertFalse(a.isOpen());
        }
    }

    @Test
    void connectingToNobodyFailsWithinTheConnectTimeout() throws Exception {
        int port;
        try (TcpListener l = TcpListener.bind(Transport.loopback(0), QUICK)) {
            port = l.port();
        }
        ChannelConfig config = QUICK.withConnectTimeout(Duration.ofMillis(300));
        long start = System.nanoTime();
        ChannelException e = assertThrows(ChannelException.class, () -> TcpChannel.connect(Transport.loopback(port), config));
        assertEquals(ChannelException.Kind.CONNECT, e.kind());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
    }

    @Test
    void acceptWithoutClientTimesOut() {
        try (TcpListener l = TcpListener.bind(Transport.loopback(0), QUICK.withConnectTimeout(Duration.ofMillis(200)))) {
            ChannelException e = assertThrows(ChannelException.class, l::accept);
            assertEquals(ChannelException.Kind.TIMEOUT, e.kind());
        }
    }

    @Test
    void aClosedChannelFailsFastAndCloseIsIdempotent() {
        InMemoryChannel[] pair = InMemoryChannel.pair();
        pair[0].close();
        pair[0].close();
        assertEquals(ChannelException.Kind.CLOSED,
                assertThrows(ChannelException.class, () -> pair[0].send(new byte[1])).kind());
        assertEquals(ChannelException.Kind.PEER_CLOSED,
                assertThrows(ChannelException.class, () -> pair[1].receiveBytes()).kind());
        pair[1].close();
    }
}
