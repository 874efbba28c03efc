package org.fusionmpc.samples.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.OtLinearEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The secure 784x128 matrix-vector product (OT engine) over the in-memory channel, client side timed, in ms per product. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RingBenchmarks {

    private Channel serverEnd;
    private Channel clientEnd;
    private OtLinearEngine client;
    private Peer server;
    private LinearOperator op;
    private final long[] x = new long[784];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Prg prg = Prg.fromSecureRandom();
        long[] w = new long[128 * 784];
        prg.nextLongs(w);
        prg.nextLongs(x);
        op = LinearOperator.dense(w, 128, 784);
        Channel[] pair = InMemoryChannel.pair();
        serverEnd = pair[0];
        clientEnd = pair[1];
        CompletableFuture<OtLinearEngine> s = CompletableFuture.supplyAsync(() -> OtLinearEngine.server(serverEnd));
        client = OtLinearEngine.client(clientEnd);
        OtLinearEngine serverEngine = s.get(60, TimeUnit.SECONDS);
        long[] xs = new long[784];
        server = Peer.start(serverEnd, c -> serverEngine.server(op, xs, 1), "ring-server");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        clientEnd.close();
        server.join();
        serverEnd.close();
    }

    @Benchmark
    public long[] matvec784x128() {
        return client.client(op.shape(), x, 1);
    }
}
