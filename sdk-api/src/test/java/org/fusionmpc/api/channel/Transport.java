package org.fusionmpc.api.channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.tls.TlsConfig;
import org.fusionmpc.api.tls.TlsIdentity;
import org.fusionmpc.api.tls.TlsProvider;

/** The transports every channel test runs over, each able to make a connected pair on loopback. */
enum Transport {
    IN_MEMORY,
    TCP,
    TLS_JDK,
    TLS_CONSCRYPT;

    static final TlsIdentity SERVER = TlsIdentity.selfSigned("test-server");
    static final TlsIdentity CLIENT = TlsIdentity.selfSigned("test-client");

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    TlsConfig serverTls() {
        return TlsConfig.builder().identity(SERVER).provider(provider()).build();
    }

    TlsConfig clientTls() {
        return TlsConfig.builder().pinPeer(SERVER.fingerprint()).provider(provider()).build();
    }

    private TlsProvider provider() {
        return this == TLS_CONSCRYPT ? TlsProvider.CONSCRYPT : TlsProvider.JDK;
    }

    Listener listen(ChannelConfig config) {
        return switch (this) {
            case TCP -> TcpListener.bind(loopback(0), config);
            case TLS_JDK, TLS_CONSCRYPT -> TlsListener.bind(loopback(0), config, serverTls());
            case IN_MEMORY -> throw new IllegalStateException("in-memory channels have no listener");
        };
    }

    Channel connect(int port, ChannelConfig config) {
        return switch (this) {
            case TCP -> TcpChannel.connect(loopback(port), config);
            case TLS_JDK, TLS_CONSCRYPT -> TlsChannel.connect(loopback(port), config, clientTls());
            case IN_MEMORY -> throw new IllegalStateException("in-memory channels do not connect");
        };
    }

    /** {@code [server end, client end]}, connected. */
    Channel[] pair(ChannelConfig config) {
        if (this == IN_MEMORY) {
            return InMemoryChannel.pair(config);
        }
        try (Listener listener = listen(config)) {
            CompletableFuture<Channel> server = CompletableFuture.supplyAsync(listener::accept);
            Channel client = connect(listener.port(), config);
            return new Channel[] {server.get(30, TimeUnit.SECONDS), client};
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect a " + this + " pair: " + e, e);
        }
    }
}
