package org.fusionmpc.api.channel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A channel over a plain TCP connection: NIO {@link SocketChannel} in non-blocking mode with a private
 * {@link Selector}, so that every wait for the peer has a deadline; direct buffers, so the JDK does not copy
 * through a temporary buffer of its own; {@code TCP_NODELAY}, because protocols flush small messages and wait
 * for answers, which is exactly the pattern Nagle's algorithm delays.
 */
public final class TcpChannel extends FramedChannel {

    private final SocketChannel socket;
    private final Selector selector;
    private final SelectionKey key;
    private final String description;

    private TcpChannel(SocketChannel socket, ChannelConfig config) throws IOException {
        super(config, ByteBuffer.allocateDirect(config.bufferBytes()),
                ByteBuffer.allocateDirect(config.bufferBytes()).flip());
        this.socket = socket;
        this.description = "tcp " + socket.getLocalAddress() + " -> " + socket.getRemoteAddress();
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        socket.configureBlocking(false);
        this.selector = Selector.open();
        this.key = socket.register(selector, 0);
    }

    /**
     * Connects to {@code address}, retrying while nobody listens there yet (the server may still be
     * starting), until {@link ChannelConfig#connectTimeout()} has passed.
     */
    public static TcpChannel connect(InetSocketAddress address, ChannelConfig config) {
        SocketChannel socket = Connect.withRetry(address, config, (remainingMillis) -> {
            SocketChannel s = SocketChannel.open();
            try {
                s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                s.socket().connect(address, remainingMillis);
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        });
        return wrap(socket, config);
    }

    /** Wraps an already connected socket, e.g. one returned by a listener. */
    static TcpChannel wrap(SocketChannel socket, ChannelConfig config) {
        try {
            return new TcpChannel(socket, config);
        } catch (IOException e) {
            Connect.closeQuietly(socket);
            throw new ChannelException(ChannelException.Kind.CONNECT, "cannot set up TCP channel: " + e.getMessage(), e);
        }
    }

    @Override
    protected ByteBuffer transmit(ByteBuffer full) throws IOException {
        full.flip();
        while (full.hasRemaining()) {
            if (socket.write(full) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
        return full.clear();
    }

    @Override
    protected ByteBuffer refill(ByteBuffer exhausted) throws IOException {
        exhausted.clear();
        int n;
        while ((n = socket.read(exhausted)) == 0) {
            await(SelectionKey.OP_READ);
        }
        if (n < 0) {
            throw peerClosed();
        }
        return exhausted.flip();
    }

    private void await(int op) throws IOException {
        key.interestOps(op);
        long timeoutNanos = config.ioTimeout().toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw op == SelectionKey.OP_READ ? receiveTimeout() : sendTimeout();
            }
            if (selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))) > 0) {
                selector.selectedKeys().clear();
                return;
            }
        }
    }

    @Override
    protected void closeTransport() {
        Connect.closeQuietly(selector);
        Connect.closeQuietly(socket);
    }

    @Override
    public String describe() {
        return description;
    }
}
