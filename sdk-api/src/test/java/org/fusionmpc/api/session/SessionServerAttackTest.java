package org.fusionmpc.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.Listener;
import org.fusionmpc.api.channel.TcpChannel;
import org.fusionmpc.api.channel.TcpListener;
import org.fusionmpc.api.channel.TlsChannel;
import org.fusionmpc.api.channel.TlsListener;
import org.fusionmpc.api.tls.TlsConfig;
import org.fusionmpc.api.tls.TlsIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attacks a stranger can mount with sockets alone, against a server with few slots: silent connections, a
 * ClientHello or a hello dribbled a byte at a time, application bytes dribbled after the hello, a burst of
 * connections, more clients than slots. The per-read timeout (5 s here) never fires for a dribbler; the whole-phase
 * deadlines (1 s handshake, 2 s session) do. An honest client is served while the attacks run, every surplus client
 * gets a clear refusal, and descriptors return to where they started.
 */
@Timeout(120)
class SessionServerAttackTest {

    static final ChannelConfig SLOW_READS = ChannelConfig.DEFAULT.withIoTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofMillis(500));
    static final SessionServer.Limits LIMITS = SessionServer.Limits.defaults(2).withHandshakeDeadline(Duration.ofSeconds(1))
            .withSessionDeadline(Duration.ofSeconds(2));
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static Socket connect(int port) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends {@code bytes} one at a time every {@code gapMillis} until done or the server closes; returns ms until closed. */
    static long dribble(Socket s, byte[] bytes, long gapMillis) {
        long start = System.nanoTime();
        try {
            OutputStream out = s.getOutputStream();
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                Thread.sleep(gapMillis);
            }
            // Then wait for the server to close (read returns -1 or fails).
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // discard
            }
        } catch (Exception closed) {
            // the server closed it
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Ms until the server closes a socket that sends nothing. */
    static long silentUntilClosed(Socket s) {
        long start = System.nanoTime();
        try {
            while (s.getInputStream().read() >= 0) {
                // discard
            }
        } catch (SocketTimeoutException e) {
            return Long.MAX_VALUE;
        } catch (Exception closed) {
            // reset
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    static byte[] helloFrame() {
        byte[] name = SessionServerTest.ECHO.name().getBytes();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 13 + name.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(13 + name.length).putInt(Handshake.MAGIC).putShort((short) Handshake.WIRE_VERSION).putInt(SessionServerTest.ECHO.version())
                .putShort((short) name.length).put(name).put((byte) 0);
        return b.array();
    }

    static long honestClient(Listener listener, int port, TlsConfig tls) {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        Channel ch = tls == null ? TcpChannel.connect(at, SLOW_READS) : TlsChannel.connect(at, SLOW_READS, tls);
        return SessionServerTest.client(ch, 40);
    }

    @Test
    void silentAndDribblingStrangersAreCutAtTheDeadlinesAndAnHonestClientIsServedMeanwhile() throws Exception {
        TlsIdentity id = TlsIdentity.selfSigned("server");
        TlsListener listener = TlsListener.bind(LOOPBACK, SLOW_READS, TlsConfig.builder().identity(id).build());
        TlsConfig pinned = TlsConfig.builder().pinPeer(id.fingerprint()).build();
        long fdsBefore = SessionServerTest.openFiles();
        try (SessionServer server = SessionServer.start(listener, 2, LIMITS, SessionServerTest.echo(null), m -> { })) {
            int port = server.port();
            List<CompletableFuture<Long>> attacks = new ArrayList<>();
            for (int i = 0; i < 4; i++) { // silent TCP sockets on a TLS port
                Socket s = connect(port);
                attacks.add(CompletableFuture.supplyAsync(() -> silentUntilClosed(s)));
            }
            // A ClientHello-sized run of bytes dribbled one every 200 ms: each read succeeds, only the deadline ends it.
            Socket dribbler = connect(port);
            byte[] fakeClientHello = new byte[64];
            fakeClientHello[0] = 0x16;
            fakeClientHello[1] = 3;
            fakeClientHello[2] = 1;
            attacks.add(CompletableFuture.supplyAsync(() -> dribble(dribbler, fakeClientHello, 200)));
            Thread.sleep(100);
            long start = System.nanoTime();
            assertEquals(46, honestClient(listener, port, pinned), "an honest client is served while the attacks run");
            long honestMs = (System.nanoTime() - start) / 1_000_000;
            for (CompletableFuture<Long> a : attacks) {
                long heldMs = a.get(20, TimeUnit.SECONDS);
                assertTrue(heldMs < 3000, "a stranger was held " + heldMs + " ms, past the 1 s handshake deadline");
            }
            System.out.printf("attack: honest TLS client served in %d ms beside 4 silent sockets and a dribbled ClientHello;"
                    + " each stranger cut within 3 s%n", honestMs);
            assertTrue(honestMs < 15_000, honestMs + " ms");
        }
        waitForFds(fdsBefore);
    }

    @Test
    void aDribbledHelloAndDribbledApplicationBytesAreCutByTheirDeadlines() throws Exception {
        long fdsBefore = SessionServerTest.openFiles();
        try (SessionServer server = SessionServer.start(TcpListener.bind(LOOPBACK, SLOW_READS), 2, LIMITS, SessionServerTest.echo(null), m -> { })) {
            int port = server.port();
            byte[] hello = helloFrame();
            long helloHeld = dribble(connect(port), hello, 150); // 26 bytes at 150 ms: 3.9 s, past the 1 s deadline
            assertTrue(helloHeld < 3000, "a dribbled hello was held " + helloHeld + " ms");
            // A good hello, then the request dribbled: it takes a slot, and the 2 s session deadline ends it.
            Socket s = connect(port);
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            byte[] request = new byte[4 + 32]; // a frame announcing the 4 longs the session reads, its bytes dribbled
            request[0] = 32;
            long appHeld = dribble(s, request, 150);
            assertTrue(appHeld >= 1500 && appHeld < 5000, "dribbled application bytes were held " + appHeld + " ms");
            assertEquals(46, honestClient(null, port, null));
            assertTrue(server.failed() >= 2, "both strangers count as failed: " + server.failed());
        }
        waitForFds(fdsBefore);
    }

    @Test
    void aBurstOfConnectionsIsClosedAtOnceAndLeavesNoDescriptorsBehind() throws Exception {
        long fdsBefore = SessionServerTest.openFiles();
        try (SessionServer server = SessionServer.start(TcpListener.bind(LOOPBACK, SLOW_READS), 2, LIMITS, SessionServerTest.echo(null), m -> { })) {
            int port = server.port();
            List<Socket> burst = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                burst.add(connect(port));
            }
            // Past the handshake bounds (16 overall, 8 from one address) connections are closed without a handshake.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.dropped() < 150 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(server.dropped() >= 150, "dropped " + server.dropped());
            assertTrue(server.handshaking() <= LIMITS.maxHandshakesPerSource(), "in handshake: " + server.handshaking());
            for (Socket s : burst) {
                s.close();
            }
            // The burst's held ones end at the handshake deadline; then an honest client is served.
            Thread.sleep(1500);
            assertEquals(46, honestClient(null, port, null));
            System.out.printf("attack: a 200-connection burst: %d closed at once, %d failed at the deadline%n", server.dropped(), server.failed());
        }
        waitForFds(fdsBefore);
    }

    @Test
    void twelveClientsAgainstFourSlotsGetFourSessionsAndEightClearRefusals() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SessionServer.Limits limits = SessionServer.Limits.defaults(4);
        try (SessionServer server = SessionServer.start(TcpListener.bind(LOOPBACK, SLOW_READS), 4, limits, SessionServerTest.echo(release), m -> { })) {
            int port = server.port();
            List<CompletableFuture<Object>> clients = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                clients.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return honestClient(null, port, null);
                    } catch (ChannelException e) {
                        return e;
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.refused() < 8 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            release.countDown();
            int served = 0;
            int busy = 0;
            for (CompletableFuture<Object> c : clients) {
                Object r = c.get(30, TimeUnit.SECONDS);
                if (r instanceof Long v) {
                    assertEquals(46L, v);
                    served++;
                } else {
                    ChannelException e = (ChannelException) r;
                    assertEquals(ChannelException.Kind.REFUSED, e.kind(), e.toString());
                    assertTrue(e.getMessage().contains("all of its 4 session slots are in use"), e.getMessage());
                    busy++;
                }
            }
            assertEquals(4, served);
            assertEquals(8, busy);
        }
    }

    /** Descriptors return to where they started (the server closes its ends as the clients did theirs). */
    static void waitForFds(long before) throws InterruptedException {
        if (before < 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long now = SessionServerTest.openFiles();
        while (now > before + 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = SessionServerTest.openFiles();
        }
        assertTrue(now <= before + 4, "open descriptors " + before + " -> " + now);
    }
}
