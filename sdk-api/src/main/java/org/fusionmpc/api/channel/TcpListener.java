package org.fusionmpc.api.channel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;

/** Accepts plain TCP channels. */
public final class TcpListener implements Listener {

    private final ServerSocketChannel server;
    private final ChannelConfig config;

    private TcpListener(ServerSocketChannel server, ChannelConfig config) {
        this.server = server;
        this.config = config;
    }

    /** Binds to {@code address}; port 0 picks a free port, see {@link #port()}. */
    public static TcpListener bind(InetSocketAddress address, ChannelConfig config) {
        try {
            ServerSocketChannel server = ServerSocketChannel.open();
            try {
                server.bind(address);
            } catch (IOException e) {
                server.close();
                throw e;
            }
            return new TcpListener(server, config);
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
            // The socket adaptor of a blocking ServerSocketChannel honours SO_TIMEOUT on accept.
            server.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
            socket = server.socket().accept();
        } catch (SocketTimeoutException e) {
            throw new ChannelException(ChannelException.Kind.TIMEOUT, "no client connected to port " + port() + " within "
                    + config.connectTimeout().toMillis() + " ms (ChannelConfig.connectTimeout)", e);
        } catch (IOException e) {
            throw new ChannelException(ChannelException.Kind.CONNECT, "accept on port " + port() + " failed: " + e.getMessage(), e);
        }
        String source = socket.getInetAddress().getHostAddress();
        Channel ready;
        try {
            ready = TcpChannel.wrap(socket.getChannel(), config);
        } catch (RuntimeException e) {
            Connect.closeQuietly(socket);
            throw e;
        }
        return Pending.ready(ready, source);
    }

    @Override
    public int port() {
        return server.socket().getLocalPort();
    }

    @Override
    public void close() {
        Connect.closeQuietly(server);
    }
}
