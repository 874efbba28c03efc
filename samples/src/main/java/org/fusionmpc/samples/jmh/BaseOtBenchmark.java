package org.fusionmpc.samples.jmh;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.ChouOrlandiBaseOt;
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

/** One round of 128 Chou-Orlandi base OTs on P-256: the public-key setup cost of every IKNP session. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BaseOtBenchmark {

    private Channel senderEnd;
    private Channel receiverEnd;
    private Peer peer;
    private final long[] choices = new long[2];
    private final SecureRandom random = new SecureRandom();

    @Setup(Level.Trial)
    public void connect() {
        Channel[] pair = InMemoryChannel.pair();
        senderEnd = pair[0];
        receiverEnd = pair[1];
        SecureRandom senderRandom = new SecureRandom();
        peer = Peer.start(senderEnd, c -> ChouOrlandiBaseOt.send(c, 128, senderRandom), "base-ot");
        Prg.fromSecureRandom().nextLongs(choices);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        receiverEnd.close();
        peer.join();
        senderEnd.close();
    }

    @Benchmark
    public long[] baseOt128() {
        return ChouOrlandiBaseOt.receive(receiverEnd, choices, 128, random);
    }
}
