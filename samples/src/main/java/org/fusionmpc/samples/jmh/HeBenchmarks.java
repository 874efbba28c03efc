package org.fusionmpc.samples.jmh;

import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.he.Ntt;
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
import org.openjdk.jmh.annotations.Warmup;

/** The RLWE engine's inner loop: one negacyclic NTT of N = 4096 over a 54-bit prime, forward and inverse. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeBenchmarks {

    private final Ntt ntt = new Ntt(Ntt.primes(54, 4096, 1)[0], 4096);
    private final long[] poly = new long[4096];

    @Setup(Level.Trial)
    public void setUp() {
        Prg prg = Prg.fromSecureRandom();
        long p = ntt.modulus().value();
        for (int i = 0; i < poly.length; i++) {
            poly[i] = Long.remainderUnsigned(prg.nextLong(), p);
        }
    }

    @Benchmark
    public long[] nttForward4096() {
        ntt.forward(poly);
        return poly;
    }

    @Benchmark
    public long[] nttInverse4096() {
        ntt.inverse(poly);
        return poly;
    }
}
