package org.fusionmpc.samples.jmh;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.channel.TcpChannel;
import org.fusionmpc.api.channel.TcpListener;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Channel round trips of one message each way (a peer thread echoes), over the in-memory channel and
 * loopback TCP: {@code size=8} is latency, {@code size=65536} throughput (ops/s × 2 × size bytes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChannelBenchmarks {

    @Param({"inmem", "tcp"})
    public String transport;

    @Param({"8", "65536"})
    public int size;

    private Channel mine;
    private Channel theirs;
    private Peer peer;
    private byte[] message;

    @Setup(Level.Trial)
    public void connect() throws Exception {
        if (transport.equals("inmem")) {
            Channel[] p = InMemoryChannel.pair();
            mine = p[0];
            theirs = p[1];
        } else {
            try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ChannelConfig.DEFAULT)) {
                CompletableFuture<Channel> a = CompletableFuture.supplyAsync(l::accept);
                mine = TcpChannel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), l.port()), ChannelConfig.DEFAULT);
                theirs = a.get(30, TimeUnit.SECONDS);
            }
        }
        message = new byte[size];
        byte[] echo = new byte[size];
        peer = Peer.start(theirs, c -> {
            c.receive(echo, 0, size);
            c.send(echo, 0, size);
            c.flush();
        }, "channel-echo");
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        mine.close();
        peer.join();
        theirs.close();
    }

    @Benchmark
    public byte[] roundTrip() {
        mine.send(message, 0, size);
        mine.flush();
        mine.receive(message, 0, size);
        return message;
    }
}
