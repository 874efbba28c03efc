package org.fusionmpc.api.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.fusionmpc.api.tls.TlsConfig;

/**
 * A channel over TLS 1.3 on TCP. It runs on the blocking {@link SSLSocket} of the chosen provider (Conscrypt
 * when it loads, the JDK's otherwise), whose read timeout bounds every receive; a blocked write is bounded by
 * a shared watchdog that closes the socket when the peer stops reading.
 */
public final class TlsChannel extends FramedChannel {

    private static final ScheduledExecutorService WATCHDOG = newWatchdog();
    private static final int CLOSE_LINGER_MILLIS = 100;

    private final SSLSocket socket;
    private final Socket plain;
    private final InputStream input;
    private final OutputStream output;
    private final String provider;
    private final String description;
    private volatile boolean writeStalled;

    private TlsChannel(SSLSocket socket, Socket plain, ChannelConfig config, String provider) throws IOException {
        super(config, ByteBuffer.allocate(config.bufferBytes()), ByteBuffer.allocate(config.bufferBytes()).flip());
        this.socket = socket;
        this.plain = plain;
        this.provider = provider;
        this.input = socket.getInputStream();
        this.output = socket.getOutputStream();
        this.description = "tls(" + provider + ") " + socket.getLocalSocketAddress() + " -> "
                + socket.getRemoteSocketAddress();
        socket.setSoTimeout(timeoutMillis(config.ioTimeout().toMillis()));
    }

    /** Connects, retrying while nobody listens yet, and completes the TLS handshake within the connect timeout. */
    public static TlsChannel connect(InetSocketAddress address, ChannelConfig config, TlsConfig tls) {
        TlsConfig.Context context = tls.newContext(false);
        Socket plain = Connect.withRetry(address, config, remainingMillis -> {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(address, remainingMillis);
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        });
        return handshake(context, plain, true, config, "server " + address);
    }

    /**
     * Layers TLS over a connected plain socket (either side), runs the handshake and wraps the result. Both
     * sides keep the plain socket: closing it is the one way to unblock a write stuck in the TLS layer.
     */
    static TlsChannel handshake(TlsConfig.Context context, Socket plain, boolean client, ChannelConfig config,
                                String peer) {
        SSLSocket socket = null;
        try {
            InetSocketAddress remote = (InetSocketAddress) plain.getRemoteSocketAddress();
            socket = (SSLSocket) context.sslContext().getSocketFactory()
                    .createSocket(plain, remote.getHostString(), remote.getPort(), true);
            socket.setUseClientMode(client);
            if (!client) {
                socket.setNeedClientAuth(context.needClientAuth());
            }
            socket.setEnabledProtocols(new String[] {TlsConfig.PROTOCOL});
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis(config.connectTimeout().toMillis()));
            socket.startHandshake();
            if (!TlsConfig.PROTOCOL.equals(socket.getSession().getProtocol())) {
                throw new ChannelException(ChannelException.Kind.TLS,
                        "TLS with " + peer + " negotiated " + socket.getSession().getProtocol() + ", not TLSv1.3");
            }
            return new TlsChannel(socket, plain, config, context.providerName());
        } catch (SocketTimeoutException e) {
            Connect.closeQuietly(socket);
            Connect.closeQuietly(plain);
            throw new ChannelException(ChannelException.Kind.TIMEOUT, "TLS handshake with " + peer + " did not finish within "
                    + config.connectTimeout().toMillis() + " ms (ChannelConfig.connectTimeout)", e);
        } catch (IOException e) {
            Connect.closeQuietly(socket);
            Connect.closeQuietly(plain);
            throw new ChannelException(ChannelException.Kind.TLS, "TLS handshake with " + peer + " failed: " + rootMessage(e), e);
        } catch (RuntimeException e) {
            Connect.closeQuietly(socket);
            Connect.closeQuietly(plain);
            throw e;
        }
    }

    /** The provider that runs this channel's TLS, e.g. {@code "Conscrypt 2.9.0"} or {@code "SunJSSE 17"}. */
    public String provider() {
        return provider;
    }

    /** The certificate the peer presented, or {@code null} if it presented none (a client without mutual auth). */
    public X509Certificate peerCertificate() {
        try {
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return chain.length == 0 ? null : (X509Certificate) chain[0];
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    @Override
    protected ByteBuffer transmit(ByteBuffer full) throws IOException {
        ScheduledFuture<?> guard = WATCHDOG.schedule(this::abortStalledWrite, config.ioTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        try {
            output.write(full.array(), 0, full.position());
            output.flush();
        } catch (IOException e) {
            if (writeStalled) {
                throw sendTimeout();
            }
            throw e;
        } finally {
            guard.cancel(false);
        }
        return full.clear();
    }

    private void abortStalledWrite() {
        writeStalled = true;
        // Not the TLS socket: its close would wait for the very write lock the stuck writer holds.
        Connect.closeQuietly(plain);
    }

    @Override
    protected ByteBuffer refill(ByteBuffer exhausted) throws IOException {
        int n;
        try {
            n = input.read(exhausted.array(), 0, exhausted.capacity());
        } catch (SocketTimeoutException e) {
            throw receiveTimeout();
        } catch (SocketException | SSLException e) {
            if (!socket.isClosed()) {
                // A peer that vanishes without close_notify shows up as a reset or a failed record.
                ChannelException closed = peerClosed();
                throw new ChannelException(closed.kind(), closed.getMessage() + " (" + e.getMessage() + ")", e);
            }
            throw e;
        }
        if (n < 0) {
            throw peerClosed();
        }
        return exhausted.clear().limit(n);
    }

    @Override
    protected void closeTransport() {
        try {
            // Closing a TLS socket drains the peer's unread records until its close_notify; bound that wait,
            // so that closing never hangs on a peer that keeps its end open.
            socket.setSoTimeout(CLOSE_LINGER_MILLIS);
        } catch (IOException ignored) {
            // Already closed or broken: close() below finishes the job.
        }
        Connect.closeQuietly(socket);
        Connect.closeQuietly(plain);
    }

    @Override
    public String describe() {
        return description;
    }

    private static int timeoutMillis(long millis) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    private static ScheduledExecutorService newWatchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tls-write-watchdog");
            t.setDaemon(true);
            return t;
        });
        // Every write schedules and cancels a guard; drop cancelled ones at once so the queue stays small.
        executor.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(executor);
    }
}
