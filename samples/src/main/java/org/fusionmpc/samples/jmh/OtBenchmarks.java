package org.fusionmpc.samples.jmh;

import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.random.Blocks;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.Bits;
import org.fusionmpc.ot.SoftSpokenOtReceiver;
import org.fusionmpc.ot.SoftSpokenOtSender;
import org.fusionmpc.ot.OneOfNOt;
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
 * OT throughput over the in-memory channel: the benchmark thread is the OT receiver, a {@link Peer} thread
 * the sender, and the score is OTs per second (one operation = one OT, {@value #CHUNK} per call). The same
 * operations as {@code ./fusion bench ot}, under JMH's warm-up and statistics.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OtBenchmarks {

    static final int CHUNK = 1 << 16;

    /** Which operation the peer repeats; one trial measures one of them. */
    @Param({"cot", "rot", "ot", "kkot16"})
    public String op;

    /** SoftSpokenOT's k: 1 is IKNP; each doubling halves the bytes per OT (128/k bits) for more AES per OT. */
    @Param({"4"})
    public int k;

    private Channel senderEnd;
    private Channel receiverEnd;
    private SoftSpokenOtReceiver receiver;
    private OneOfNOt oneOfSixteen;
    private Peer peer;
    private final long[] choices = new long[Bits.words(CHUNK)];
    private final int[] indices = new int[CHUNK];
    private final long[] out = Blocks.allocate(CHUNK);

    @Setup(Level.Trial)
    public void connect() throws Exception {
        Channel[] pair = InMemoryChannel.pair();
        senderEnd = pair[0];
        receiverEnd = pair[1];
        CompletableFuture<SoftSpokenOtSender> s = CompletableFuture.supplyAsync(() -> SoftSpokenOtSender.setup(senderEnd, new SecureRandom(), k));
        receiver = SoftSpokenOtReceiver.setup(receiverEnd, new SecureRandom(), k);
        SoftSpokenOtSender sender = s.get(60, TimeUnit.SECONDS);
        Prg prg = Prg.fromSecureRandom();
        prg.nextLongs(choices);
        for (int i = 0; i < CHUNK; i++) {
            indices[i] = prg.nextInt(16);
        }
        long[] a = Blocks.allocate(CHUNK);
        long[] b = Blocks.allocate(CHUNK);
        long[] sixteen = Blocks.allocate(16 * CHUNK);
        prg.nextLongs(a);
        prg.nextLongs(b);
        prg.nextLongs(sixteen);
        oneOfSixteen = OneOfNOt.of(receiverEnd, 4);
        OneOfNOt senderSixteen = OneOfNOt.of(senderEnd, 4);
        peer = Peer.start(senderEnd, switch (op) {
            case "cot" -> c -> sender.correlated(CHUNK, a);
            case "rot" -> c -> sender.random(CHUNK, a, b);
            case "ot" -> c -> sender.chosen(CHUNK, a, b, 2);
            case "kkot16" -> c -> senderSixteen.send(sender, CHUNK, sixteen, 2);
            default -> throw new IllegalArgumentException("unknown op " + op);
        }, op);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        receiverEnd.close();
        peer.join();
        senderEnd.close();
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public long[] ots() {
        switch (op) {
            case "cot" -> receiver.correlated(CHUNK, choices, out);
            case "rot" -> receiver.random(CHUNK, choices, out);
            case "ot" -> receiver.chosen(CHUNK, choices, out, 2);
            case "kkot16" -> oneOfSixteen.receive(receiver, CHUNK, indices, out, 2);
            default -> throw new IllegalStateException(op);
        }
        return out;
    }
}
