package org.fusionmpc.samples.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.gc.Circuit;
import org.fusionmpc.gc.GcComparisons;
import org.fusionmpc.gc.HalfGatesEvaluator;
import org.fusionmpc.gc.HalfGatesGarbler;
import org.fusionmpc.gc.ShareCircuits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Half-gates garbling and evaluation, scored in AND gates per second (the 64-bit ReLU-on-shares circuit over
 * {@value #INSTANCES} SIMD instances per call, tables kept in memory), and two-party ReLU on 64-bit shares
 * over the in-memory channel, scored in ReLUs per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GcBenchmarks {

    static final int INSTANCES = 1024;
    static final int RELU_ANDS = 189 * INSTANCES; // ShareCircuits.relu(64).andGates() per instance
    static final int RELUS = 4096;

    private final Circuit circuit = ShareCircuits.relu(64);
    private HalfGatesGarbler garbler;
    private final HalfGatesEvaluator evaluator = new HalfGatesEvaluator();
    private long[] zero;
    private long[] active;
    private long[] tables;
    private int cursor;

    private Channel serverEnd;
    private Channel clientEnd;
    private GcComparisons client;
    private Peer server;
    private final long[] share = new long[RELUS];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (circuit.andGates() * INSTANCES != RELU_ANDS) {
            throw new IllegalStateException("the ReLU circuit changed: update RELU_ANDS to " + circuit.andGates() * INSTANCES);
        }
        Prg prg = Prg.fromSecureRandom();
        garbler = new HalfGatesGarbler(prg);
        zero = new long[2 * circuit.wireSlots() * INSTANCES];
        active = new long[zero.length];
        tables = new long[4 * RELU_ANDS];
        garbler.newInputLabels(circuit, INSTANCES, zero);
        System.arraycopy(zero, 0, active, 0, zero.length); // all inputs 0: the active labels are the zero labels
        garbler.garble(circuit, INSTANCES, zero, this::store);
        prg.nextLongs(share);

        Channel[] pair = InMemoryChannel.pair();
        serverEnd = pair[0];
        clientEnd = pair[1];
        CompletableFuture<GcComparisons> s = CompletableFuture.supplyAsync(() -> GcComparisons.server(serverEnd));
        client = GcComparisons.client(clientEnd);
        GcComparisons serverEngine = s.get(60, TimeUnit.SECONDS);
        long[] serverShare = new long[RELUS];
        server = Peer.start(serverEnd, c -> serverEngine.relu(serverShare, 64), "gc-server");
    }

    private void store(long[] t, int off, int len) {
        System.arraycopy(t, off, tables, cursor, len);
        cursor = (cursor + len) % tables.length;
    }

    private void load(long[] t, int off, int len) {
        System.arraycopy(tables, cursor, t, off, len);
        cursor = (cursor + len) % tables.length;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        clientEnd.close();
        server.join();
        serverEnd.close();
    }

    @Benchmark
    @OperationsPerInvocation(RELU_ANDS)
    public long[] garbleAnd() {
        garbler.garble(circuit, INSTANCES, zero, this::store);
        return zero;
    }

    /** Evaluates stored tables again and again: the output labels are garbage after the first pass, the work is the same. */
    @Benchmark
    @OperationsPerInvocation(RELU_ANDS)
    public long[] evaluateAnd() {
        evaluator.evaluate(circuit, INSTANCES, active, this::load);
        return active;
    }

    @Benchmark
    @OperationsPerInvocation(RELUS)
    public long[] reluOnShares64() {
        return client.relu(share, 64);
    }
}
