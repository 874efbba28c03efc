package org.fusionmpc.samples.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.channel.TcpChannel;
import org.fusionmpc.api.channel.TcpListener;

/** Two connected channel ends for a protocol benchmark, in memory or over loopback TCP. */
final class Pair {

    private Pair() {
    }

    /** {@code [first party, second party]}. */
    static Channel[] open(boolean tcp) throws Exception {
        if (!tcp) {
            return InMemoryChannel.pair();
        }
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (TcpListener listener = TcpListener.bind(any, ChannelConfig.DEFAULT)) {
            CompletableFuture<Channel> accepted = CompletableFuture.supplyAsync(listener::accept);
            Channel client = TcpChannel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()),
                    ChannelConfig.DEFAULT);
            return new Channel[] {accepted.get(30, TimeUnit.SECONDS), client};
        }
    }

    /** Runs both parties' work at once (the first on a second thread) and returns the wall time in seconds. */
    static double timeBoth(Runnable first, Runnable second) throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Void> other = CompletableFuture.runAsync(first);
        second.run();
        other.get(600, TimeUnit.SECONDS);
        return (System.nanoTime() - start) / 1e9;
    }
}
