package org.fusionmpc.samples.bench;

import java.net.InetSocketAddress;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.FlightDelay;
import org.fusionmpc.api.channel.TcpChannel;

/**
 * The far end of {@link BenchLinkTest}'s known transfer, run in the link's namespace: connects to
 * {@code host:port}, answers {@value #WARM_UP} untimed requests with 64 KiB each, then a request with {@code bytes} as
 * one flight, then {@code rounds} pings, each flush held {@code delayNanos}.
 */
public final class LinkPeer {

    static final int WARM_UP = 5;

    private LinkPeer() {
    }

    public static void main(String[] args) {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int bytes = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        long delay = Long.parseLong(args[4]);
        try (Channel c = FlightDelay.wrap(TcpChannel.connect(new InetSocketAddress(host, port), ChannelConfig.DEFAULT), delay)) {
            byte[] bulk = new byte[bytes];
            for (int i = 0; i < bulk.length; i++) {
                bulk[i] = (byte) (i * 31);
            }
            long[] v = new long[1];
            for (int i = 0; i < WARM_UP; i++) { // untimed: the JIT and TCP's window get going
                c.receive(v, 0, 1);
                c.send(bulk, 0, 64 << 10);
                c.flush();
            }
            c.receive(v, 0, 1);
            c.send(bulk);
            c.flush();
            for (int i = 0; i < rounds; i++) {
                c.receive(v, 0, 1);
                c.send(new long[] {v[0] + 1});
                c.flush();
            }
        }
    }
}
