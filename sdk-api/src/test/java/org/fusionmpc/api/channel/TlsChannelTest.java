package org.fusionmpc.api.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.tls.Fingerprint;
import org.fusionmpc.api.tls.TlsConfig;
import org.fusionmpc.api.tls.TlsIdentity;
import org.fusionmpc.api.tls.TlsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TlsChannelTest {

    private static final ChannelConfig CONFIG = ChannelConfig.DEFAULT.withConnectTimeout(Duration.ofSeconds(5))
            .withIoTimeout(Duration.ofSeconds(5));

    /** Connects a client with {@code clientTls} to a server with {@code serverTls}; returns both outcomes. */
    private static Object[] attempt(TlsConfig serverTls, TlsConfig clientTls) throws Exception {
        try (TlsListener listener = TlsListener.bind(Transport.loopback(0), CONFIG, serverTls)) {
            CompletableFuture<Channel> server = CompletableFuture.supplyAsync(listener::accept);
            Object client;
            try {
                client = TlsChannel.connect(Transport.loopback(listener.port()), CONFIG, clientTls);
            } catch (ChannelException e) {
                client = e;
            }
            Object accepted;
            try {
                accepted = server.get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                accepted = e.getCause();
            }
            return new Object[] {accepted, client};
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "CONSCRYPT"})
    void aWrongPinnedFingerprintIsRefused(TlsProvider provider) throws Exception {
        TlsIdentity impostor = TlsIdentity.selfSigned("impostor");
        Object[] r = attempt(TlsConfig.builder().identity(impostor).provider(provider).build(),
                TlsConfig.builder().pinPeer(Transport.SERVER.fingerprint()).provider(provider).build());
        ChannelException client = assertInstanceOf(r[1]);
        assertEquals(ChannelException.Kind.TLS, client.kind());
        assertTrue(client.getMessage().contains(impostor.fingerprint().hex())
                && client.getMessage().contains("matches no pinned fingerprint"), client.getMessage());
        ChannelException server = assertInstanceOf(r[0]);
        assertTrue(server.kind() == ChannelException.Kind.TLS || server.kind() == ChannelException.Kind.PEER_CLOSED,
                server.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "CONSCRYPT"})
    void mutualAuthenticationAcceptsThePinnedClientAndRefusesOthers(TlsProvider provider) throws Exception {
        TlsConfig server = TlsConfig.builder().identity(Transport.SERVER).requireClientAuth(true)
                .pinPeer(Transport.CLIENT.fingerprint()).provider(provider).build();
        Object[] ok = attempt(server, TlsConfig.builder().identity(Transport.CLIENT)
                .pinPeer(Transport.SERVER.fingerprint()).provider(provider).build());
        try (TlsChannel s = (TlsChannel) ok[0]; TlsChannel c = (TlsChannel) ok[1]) {
            assertEquals(Transport.CLIENT.fingerprint(), Fingerprint.of(s.peerCertificate()));
            assertEquals(Transport.SERVER.fingerprint(), Fingerprint.of(c.peerCertificate()));
            c.send(new long[] {42});
            c.flush();
            assertArrayEquals(new long[] {42}, s.receiveLongs(1));
        }
        Object[] anonymous = attempt(server, TlsConfig.builder().pinPeer(Transport.SERVER.fingerprint())
                .provider(provider).build());
        ChannelException refused = assertInstanceOf(anonymous[0]);
        assertEquals(ChannelException.Kind.TLS, refused.kind(), refused.getMessage());
        if (anonymous[1] instanceof TlsChannel c) {
            // TLS 1.3 clients finish their handshake before the server's verdict arrives; the next read shows it.
            assertThrows(ChannelException.class, () -> c.receiveBytes());
            c.close();
        }
    }

    @Test
    void withoutMutualAuthTheServerSeesNoClientCertificate() throws Exception {
        Object[] r = attempt(Transport.TLS_JDK.serverTls(), Transport.TLS_JDK.clientTls());
        try (TlsChannel s = (TlsChannel) r[0]; TlsChannel c = (TlsChannel) r[1]) {
            assertNull(s.peerCertificate());
            assertTrue(c.describe().startsWith("tls(SunJSSE"), c.describe());
        }
    }

    @Test
    void conscryptLoadsOnThisPlatform() {
        // Linux x86-64 and aarch64 are covered by the uber jar's native libraries; failing here means TLS fell back.
        assertTrue(TlsConfig.conscryptAvailable(), TlsConfig.conscryptStatus());
    }

    @Test
    void aClientMustAuthenticateTheServer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsChannel.connect(Transport.loopback(1), CONFIG, TlsConfig.builder().build()));
        assertTrue(e.getMessage().contains("pin"), e.getMessage());
    }

    private static ChannelException assertInstanceOf(Object o) {
        assertTrue(o instanceof ChannelException, "expected a ChannelException, got " + o);
        return (ChannelException) o;
    }
}
