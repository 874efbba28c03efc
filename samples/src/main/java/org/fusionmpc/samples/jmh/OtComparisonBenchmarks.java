package org.fusionmpc.samples.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.gc.OtComparisons;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The OT-based comparison engine, two parties over the in-memory channel (the server a peer thread):
 * {@code op=relu} scores 32-bit ReLUs on shares per second, {@code op=millionaire} 32-bit comparisons;
 * {@code threads} is each party's thread count ({@code OtComparisons.withThreads}; the wire is the same).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OtComparisonBenchmarks {

    static final int N = 8192;

    @Param({"relu", "millionaire"})
    public String op;

    @Param({"1"})
    public int threads;

    private Channel serverEnd;
    private Channel clientEnd;
    private OtComparisons client;
    private Peer server;
    private final long[] values = new long[N];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Prg prg = Prg.fromSecureRandom();
        prg.nextLongs(values);
        for (int i = 0; i < N; i++) {
            values[i] &= 0xffffffffL;
        }
        Channel[] pair = InMemoryChannel.pair();
        serverEnd = pair[0];
        clientEnd = pair[1];
        CompletableFuture<OtComparisons> s = CompletableFuture.supplyAsync(() -> OtComparisons.server(serverEnd, threads));
        client = OtComparisons.client(clientEnd, threads);
        OtComparisons serverEngine = s.get(60, TimeUnit.SECONDS);
        long[] serverValues = values.clone();
        boolean relu = op.equals("relu");
        server = Peer.start(serverEnd, c -> {
            if (relu) {
                serverEngine.relu(serverValues, 32);
            } else {
                serverEngine.lessThan(serverValues, 32);
            }
        }, "ot-comparisons-server");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        clientEnd.close();
        server.join();
        serverEnd.close();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long[] comparisons() {
        return op.equals("relu") ? client.relu(values, 32) : client.lessThan(values, 32);
    }
}
