package org.fusionmpc.api.channel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/** Connecting with a deadline, shared by the TCP and TLS channels. */
final class Connect {

    @FunctionalInterface
    interface Attempt<T> {
        T connect(int remainingMillis) throws IOException;
    }

    private static final long RETRY_PAUSE_MILLIS = 50;

    private Connect() {
    }

    /** Retries refused connections until the connect timeout, so a client may start before its server. */
    static <T> T withRetry(InetSocketAddress address, ChannelConfig config, Attempt<T> attempt) {
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new ChannelException(ChannelException.Kind.CONNECT, "nobody accepted a connection at "
                        + address + " within " + config.connectTimeout().toMillis() + " ms (ChannelConfig.connectTimeout)");
            }
            try {
                return attempt.connect((int) Math.min(Integer.MAX_VALUE, left));
            } catch (ConnectException | SocketTimeoutException e) {
                pause();
            } catch (IOException e) {
                throw new ChannelException(ChannelException.Kind.CONNECT,
                        "cannot connect to " + address + ": " + e.getMessage(), e);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException(ChannelException.Kind.CONNECT, "interrupted while connecting", e);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // Best effort: a close that fails leaves nothing this side can release further.
        }
    }
}
