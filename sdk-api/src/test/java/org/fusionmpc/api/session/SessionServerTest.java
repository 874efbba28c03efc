package org.fusionmpc.api.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.TcpChannel;
import org.fusionmpc.api.channel.TcpListener;
import org.fusionmpc.api.channel.TlsChannel;
import org.fusionmpc.api.channel.TlsListener;
import org.fusionmpc.api.tls.TlsConfig;
import org.fusionmpc.api.tls.TlsIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The multi-client server under load and under every fault of the catalogue; after each, a good client is served. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionServerTest {

    static final ProtocolId ECHO = new ProtocolId("echo-sum", 1);
    static final ChannelConfig FAST = ChannelConfig.DEFAULT.withIoTimeout(Duration.ofMillis(800)).withConnectTimeout(Duration.ofMillis(500));
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** One session: handshake, read 4 longs, wait until released, answer their sum. */
    static SessionServer.Handler echo(CountDownLatch release) {
        return ch -> {
            Session.open(ch, Role.SERVER, ECHO);
            long[] x = new long[4];
            ch.receive(x, 0, 4);
            if (release != null) {
                release.await(20, TimeUnit.SECONDS);
            }
            ch.send(new long[] {x[0] + x[1] + x[2] + x[3]});
            ch.flush();
        };
    }

    static long client(Channel ch, long base) {
        try (ch) {
            Session.open(ch, Role.CLIENT, ECHO);
            ch.send(new long[] {base, 1, 2, 3});
            ch.flush();
            long[] r = new long[1];
            ch.receive(r, 0, 1);
            return r[0];
        }
    }

    static Channel tcp(int port) {
        return TcpChannel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), FAST.withIoTimeout(Duration.ofSeconds(20)));
    }

    @Test
    void servesSeveralClientsAtOnceAndRefusesOnePastTheBoundClearly() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (SessionServer server = SessionServer.start(TcpListener.bind(LOOPBACK, FAST), 3, echo(release), m -> { })) {
            List<CompletableFuture<Long>> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long base = 100 * i;
                clients.add(CompletableFuture.supplyAsync(() -> client(tcp(server.port()), base)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.active() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(3, server.active());
            ChannelException busy = assertThrows(ChannelException.class, () -> client(tcp(server.port()), 0));
            assertEquals(ChannelException.Kind.REFUSED, busy.kind());
            assertTrue(busy.getMessage().contains("all of its 3 session slots are in use"), busy.getMessage());
            release.countDown();
            for (int i = 0; i < 3; i++) {
                assertEquals(100L * i + 6, clients.get(i).get(20, TimeUnit.SECONDS));
            }
            assertEquals(306, client(tcp(server.port()), 300));
            long deadline2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.served() < 4 && System.nanoTime() < deadline2) {
                Thread.sleep(10);
            }
            assertEquals(4, server.served());
            assertEquals(1, server.refused());
        }
    }

    /** Raw bytes on a TCP socket, then the socket is closed (or left open to stall). */
    static void raw(int port, byte[] bytes, boolean stall) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            if (stall) {
                Thread.sleep(1500);
            }
        }
    }

    static byte[] frame(int lengthField, int bodyBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(lengthField);
        return b.array();
    }

    /** A correct hello for echo-sum v1, then a frame header announcing 32 bytes followed by only 10. */
    static byte[] helloThenTruncatedFrame() {
        byte[] name = ECHO.name().getBytes();
        ByteBuffer b = ByteBuffer.allocate(4 + 13 + name.length + 4 + 10).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(13 + name.length).putInt(Handshake.MAGIC).putShort((short) Handshake.WIRE_VERSION).putInt(ECHO.version())
                .putShort((short) name.length).put(name).put((byte) 0);
        b.putInt(32);
        return b.array();
    }

    @Test
    void everyFaultEndsOnlyItsOwnSessionAndTheNextClientIsServed() throws Exception {
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        try (SessionServer server = SessionServer.start(TcpListener.bind(LOOPBACK, FAST), 4, echo(null), log::add)) {
            int port = server.port();
            raw(port, frame(100, 10), false);                          // a first frame too long for a hello
            raw(port, helloThenTruncatedFrame(), false);               // a truncated frame after a good handshake
            raw(port, frame(0x7fff_fff0, 0), false);                   // frame length over the bound
            raw(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(), false); // garbage instead of a hello
            raw(port, new byte[0], true);                              // connects and stalls past the timeout
            // Wrong protocol and wrong version: the client side sees the mismatch too.
            for (ProtocolId other : new ProtocolId[] {new ProtocolId("other", 1), new ProtocolId("echo-sum", 2)}) {
                ChannelException e = assertThrows(ChannelException.class, () -> {
                    try (Channel ch = tcp(port)) {
                        Session.open(ch, Role.CLIENT, other);
                    }
                });
                assertEquals(ChannelException.Kind.HANDSHAKE, e.kind());
                assertTrue(e.getMessage().contains("the peer speaks 'echo-sum' v1"), e.getMessage());
            }
            // Closes mid-protocol, after the handshake and half its request.
            try (Channel ch = tcp(port)) {
                Session.open(ch, Role.CLIENT, ECHO);
                ch.send(new long[] {1, 2});
                ch.flush();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.failed() < 8 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(8, server.failed(), String.join("\n", log));
            assertEquals(16, client(tcp(port), 10), "the next client is served");
            assertTrue(server.isRunning());
            String all = String.join("\n", log);
            for (String expected : new String[] {"at most 77 bytes are accepted", "frame of 2147483632 bytes; the bound is 67108864",
                "not an SDK hello", "sent nothing for 800 ms", "the peer speaks 'other' v1", "the peer speaks 'echo-sum' v2",
                "where 32 bytes were expected", "closed"}) {
                assertTrue(all.toLowerCase().contains(expected.toLowerCase()), "log lacks '" + expected + "':\n" + all);
            }
        }
    }

    @Test
    void tlsFaultsAreClearOnTheSideThatSeesThemAndTheServerGoesOn() throws Exception {
        TlsIdentity id = TlsIdentity.selfSigned("server");
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        TlsListener listener = TlsListener.bind(LOOPBACK, FAST, TlsConfig.builder().identity(id).build());
        try (SessionServer server = SessionServer.start(listener, 2, echo(null), log::add)) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
            // A client that pins another certificate refuses the server.
            TlsConfig wrongPin = TlsConfig.builder().pinPeer(TlsIdentity.selfSigned("impostor").fingerprint()).build();
            ChannelException e = assertThrows(ChannelException.class, () -> TlsChannel.connect(at, FAST, wrongPin));
            assertTrue(e.getMessage().toLowerCase().contains("fingerprint") || e.getMessage().toLowerCase().contains("certificate"), e.getMessage());
            // A plaintext client to the TLS server.
            ChannelException plain = assertThrows(ChannelException.class, () -> client(tcp(server.port()), 0));
            assertTrue(plain.kind() == ChannelException.Kind.HANDSHAKE || plain.kind() == ChannelException.Kind.PEER_CLOSED
                    || plain.kind() == ChannelException.Kind.PROTOCOL, plain.toString());
            // And a proper client is served.
            TlsConfig pinned = TlsConfig.builder().pinPeer(id.fingerprint()).build();
            assertEquals(26, client(TlsChannel.connect(at, FAST.withIoTimeout(Duration.ofSeconds(20)), pinned), 20));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((server.served() < 1 || server.failed() < 2) && System.nanoTime() < deadline) {
                Thread.sleep(10); // the worker counts its session after closing the channel
            }
            assertTrue(server.served() >= 1 && server.failed() >= 2, "served " + server.served() + ", failed " + server.failed());
        }
    }

    @Test
    void aThousandSequentialSessionsLeaveNoThreadsOrHeapBehind() throws Exception {
        try (SessionServer server = SessionServer.start(TcpListener.bind(LOOPBACK, FAST), 2, echo(null), m -> { })) {
            for (int i = 0; i < 100; i++) {
                client(tcp(server.port()), i); // warm-up: pools and JIT settle
            }
            System.gc();
            int threadsBefore = Thread.activeCount();
            long heapBefore = usedHeap();
            long fdsBefore = openFiles();
            for (int i = 0; i < 1000; i++) {
                assertEquals(i + 6L, client(tcp(server.port()), i));
            }
            Thread.sleep(200);
            long heapAfter = usedHeap();
            int threadsAfter = Thread.activeCount();
            long fdsAfter = openFiles();
            System.out.printf("soak: 1000 sessions; threads %d -> %d, heap %d -> %d KiB, open files %d -> %d%n", threadsBefore,
                    threadsAfter, heapBefore >> 10, heapAfter >> 10, fdsBefore, fdsAfter);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.served() < 1100 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1100, server.served());
            assertEquals(0, server.refused(), "sequential clients were turned away");
            // Bounds: the pool's threads (2 workers, 1 refuser) may come and go; no per-session leak.
            assertTrue(threadsAfter <= threadsBefore + 3, threadsBefore + " -> " + threadsAfter + " threads");
            assertTrue(heapAfter <= heapBefore + (32L << 20), "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB");
            assertTrue(fdsBefore < 0 || fdsAfter <= fdsBefore + 8, fdsBefore + " -> " + fdsAfter + " open files");
        }
    }

    static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static long openFiles() {
        java.io.File fd = new java.io.File("/proc/self/fd");
        String[] list = fd.list();
        return list == null ? -1 : list.length;
    }

    @Test
    void aServerThatIsClosedStopsAcceptingAndReleasesItsPort() throws Exception {
        SessionServer server = SessionServer.start(TcpListener.bind(LOOPBACK, FAST), 1, echo(null), m -> { });
        int port = server.port();
        assertArrayEquals(new long[] {7}, new long[] {client(tcp(port), 1)});
        server.close();
        assertTrue(!server.isRunning());
        assertThrows(ChannelException.class, () -> client(tcp(port), 1));
    }
}
