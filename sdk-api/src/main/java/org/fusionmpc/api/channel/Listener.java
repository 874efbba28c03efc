package org.fusionmpc.api.channel;

/** The server side of a transport: accepts one connected, ready channel per call. */
public interface Listener extends AutoCloseable {

    /**
     * Waits up to {@link ChannelConfig#connectTimeout()} for the next peer and returns its channel; a peer
     * that fails to set up (a failed TLS handshake, say) is reported as a {@link ChannelException}, and the
     * listener stays usable for the next one.
     */
    Channel accept();

    /**
     * Waits for the next peer like {@link #accept()} but leaves the setup that talks to the peer (a TLS
     * handshake) to {@link Pending#open()}, so a server can run it on a worker thread: a client that stalls
     * its handshake then holds up only its own worker, not the accepting thread.
     */
    default Pending acceptPending() {
        return Pending.ready(accept(), "unknown");
    }

    /** A connection accepted but not yet set up. */
    interface Pending {
        /** Finishes the setup (within the I/O timeout) and returns the channel. */
        Channel open();

        /** Drops the connection, set up or not; safe to call more than once and from another thread. */
        void abandon();

        /** The peer's address, without port, for per-source bounds ("unknown" where the transport has none). */
        default String source() {
            return "unknown";
        }

        /** A connection whose setup is done already (plain TCP): open returns it, abandon closes it. */
        static Pending ready(Channel channel, String source) {
            return new Pending() {
                @Override
                public Channel open() {
                    return channel;
                }

                @Override
                public void abandon() {
                    channel.close();
                }

                @Override
                public String source() {
                    return source;
                }
            };
        }
    }

    /** The port this listener is bound to (useful after binding port 0). */
    int port();

    @Override
    void close();
}
