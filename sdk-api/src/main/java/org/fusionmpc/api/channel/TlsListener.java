package org.fusionmpc.api.channel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.fusionmpc.api.tls.TlsConfig;

/**
 * Accepts TLS 1.3 channels, completing each handshake (within the connect timeout) before returning it. It
 * accepts plain TCP connections and layers TLS over them, as the client side does, so both sides can abort a
 * stuck write by closing the plain socket.
 */
public final class TlsListener implements Listener {

    private final ServerSocket server;
    private final ChannelConfig config;
    private final TlsConfig.Context context;

    private TlsListener(ServerSocket server, ChannelConfig config, TlsConfig.Context context) {
        this.server = server;
        this.config = config;
        this.context = context;
    }

    public static TlsListener bind(InetSocketAddress address, ChannelConfig config, TlsConfig tls) {
        TlsConfig.Context context = tls.newContext(true);
        try {
            ServerSocket server = new ServerSocket();
            try {
                server.setReuseAddress(true);
                server.bind(address);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return new TlsListener(server, config, context);
        } catch (IOException e) {
            throw new ChannelException(ChannelException.Kind.CONNECT, "cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Channel accept() {
        return acceptPending().open();
    }

    @Override
    public Pending acceptPending() {
        Socket socket;
        try {
            server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
            socket = server.accept();
        } catch (SocketTimeoutException e) {
            throw new ChannelException(ChannelException.Kind.TIMEOUT, "no client connected to port " + port() + " within "
                    + config.connectTimeout().toMillis() + " ms (ChannelConfig.connectTimeout)", e);
        } catch (IOException e) {
            throw new ChannelException(ChannelException.Kind.CONNECT, "accept on port " + port() + " failed: " + e.getMessage(), e);
        }
        Socket accepted = socket;
        return new Pending() {
            @Override
            public Channel open() {
                return TlsChannel.handshake(context, accepted, false, config, "client " + accepted.getRemoteSocketAddress());
            }

            @Override
            public void abandon() {
                Connect.closeQuietly(accepted);
            }

            @Override
            public String source() {
                return accepted.getInetAddress().getHostAddress();
            }
        };
    }

    /** The provider that runs this listener's TLS. */
    public String provider() {
        return context.providerName();
    }

    @Override
    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() {
        Connect.closeQuietly(server);
    }
}
