package org.fusionmpc.api.channel;

/** The server side of a transport: accepts one connected, ready channel per call. */
public interface Listener extends AutoCloseable {

    /**
     * Waits up to {@link ChannelConfig#connectTimeout()} for the next peer and returns its channel; a peer
     * that fails to set up (a failed TLS handshake, say) is reported as a {@link ChannelException}, and the
     * listener stays usable for the next one.
     */
    Channel accept();

    /** The port this listener is bound to (useful after binding port 0). */
    int port();

    @Override
    void close();
}
