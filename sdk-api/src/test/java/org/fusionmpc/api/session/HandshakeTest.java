package org.fusionmpc.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.channel.TcpListener;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static ChannelException[] mismatch(ProtocolId a, ProtocolId b) throws Exception {
        InMemoryChannel[] pair = InMemoryChannel.pair();
        CompletableFuture<ChannelException> left = CompletableFuture.supplyAsync(
                () -> assertThrows(ChannelException.class, () -> Handshake.exchange(pair[0], a)));
        ChannelException right = assertThrows(ChannelException.class, () -> Handshake.exchange(pair[1], b));
        return new ChannelException[] {left.get(10, TimeUnit.SECONDS), right};
    }

    @Test
    void matchingPeersAgree() throws Exception {
        InMemoryChannel[] pair = InMemoryChannel.pair();
        ProtocolId id = new ProtocolId("fusion", 1);
        CompletableFuture<ProtocolId> left = CompletableFuture.supplyAsync(() -> Handshake.exchange(pair[0], id));
        assertEquals(id, Handshake.exchange(pair[1], id));
        assertEquals(id, left.get(10, TimeUnit.SECONDS));
    }

    @Test
    void differentProtocolNamesAreRefusedOnBothSidesNamingBoth() throws Exception {
        for (ChannelException e : mismatch(new ProtocolId("fusion", 1), new ProtocolId("semi-honest", 1))) {
            assertEquals(ChannelException.Kind.HANDSHAKE, e.kind());
            assertTrue(e.getMessage().contains("'fusion' v1") && e.getMessage().contains("'semi-honest' v1"),
                    e.getMessage());
        }
    }

    /** Two clients (or two servers) are refused at the hello, on both sides, naming the role; not after a timeout. */
    @Test
    void aPeerOfTheSameRoleIsRefusedAtOnceOnBothSides() throws Exception {
        ProtocolId id = new ProtocolId("fusion", 1);
        for (Role role : Role.values()) {
            InMemoryChannel[] pair = InMemoryChannel.pair();
            long start = System.nanoTime();
            CompletableFuture<ChannelException> left = CompletableFuture.supplyAsync(
                    () -> assertThrows(ChannelException.class, () -> Session.open(pair[0], role, id)));
            ChannelException right = assertThrows(ChannelException.class, () -> Session.open(pair[1], role, id));
            for (ChannelException e : new ChannelException[] {left.get(10, TimeUnit.SECONDS), right}) {
                assertEquals(ChannelException.Kind.HANDSHAKE, e.kind());
                assertTrue(e.getMessage().contains("both parties opened 'fusion' v1 as " + role), e.getMessage());
            }
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "refused without waiting for a timeout");
        }
        InMemoryChannel[] pair = InMemoryChannel.pair();
        CompletableFuture<Session> server = CompletableFuture.supplyAsync(() -> Session.open(pair[0], Role.SERVER, id));
        assertEquals(Role.CLIENT, Session.open(pair[1], Role.CLIENT, id).role());
        assertEquals(Role.SERVER, server.get(10, TimeUnit.SECONDS).role());
    }

    @Test
    void differentVersionsAreRefused() throws Exception {
        for (ChannelException e : mismatch(new ProtocolId("fusion", 1), new ProtocolId("fusion", 2))) {
            assertEquals(ChannelException.Kind.HANDSHAKE, e.kind());
            assertTrue(e.getMessage().contains("v1") && e.getMessage().contains("v2"), e.getMessage());
        }
    }

    @Test
    void aPeerSpeakingSomethingElseIsRefusedQuickly() throws Exception {
        ChannelConfig config = ChannelConfig.DEFAULT.withIoTimeout(Duration.ofSeconds(2));
        try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config);
             Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
            Channel channel = listener.accept();
            OutputStream out = raw.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ChannelException e = assertThrows(ChannelException.class,
                    () -> Handshake.exchange(channel, new ProtocolId("fusion", 1)));
            assertEquals(ChannelException.Kind.HANDSHAKE, e.kind());
            assertTrue(e.getMessage().contains("not an SDK hello"), e.getMessage());
            assertFalse(channel.isOpen());
        }
    }
}
