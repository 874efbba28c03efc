package org.fusionmpc.fusion;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.channel.TcpChannel;
import org.fusionmpc.api.channel.TcpListener;

/** Runs the two parties of a protocol in two threads over an in-memory or a loopback TCP channel. */
enum Parties {
    IN_MEMORY,
    TCP;

    Channel[] pair() throws Exception {
        if (this == IN_MEMORY) {
            return InMemoryChannel.pair();
        }
        try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ChannelConfig.DEFAULT)) {
            CompletableFuture<Channel> accepted = CompletableFuture.supplyAsync(listener::accept);
            Channel client = TcpChannel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port()),
                    ChannelConfig.DEFAULT);
            return new Channel[] {accepted.get(30, TimeUnit.SECONDS), client};
        }
    }

    /** Runs {@code sender} on one end and {@code receiver} on the other; returns both results. */
    <A, B> Object[] run(Function<Channel, A> sender, Function<Channel, B> receiver) throws Exception {
        Channel[] pair = pair();
        try (Channel s = pair[0]; Channel r = pair[1]) {
            CompletableFuture<A> a = CompletableFuture.supplyAsync(() -> sender.apply(s));
            CompletableFuture<B> b = CompletableFuture.supplyAsync(() -> receiver.apply(r));
            return new Object[] {a.get(300, TimeUnit.SECONDS), b.get(300, TimeUnit.SECONDS)};
        }
    }
}
