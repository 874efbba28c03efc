package org.fusionmpc.samples.jmh;

import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.random.Blocks;
import org.fusionmpc.api.random.FixedKeyAesHash;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.BitTranspose;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One-party primitives, each scored in 128-bit blocks per second on 64 KiB batches: the fixed-key AES
 * permutation (the baseline every OT and garbling figure is divided by), the hashes built on it, the PRG,
 * and the bit transpose at the heart of IKNP.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PrimitiveBenchmarks {

    static final int BLOCKS = 4096;

    private final FixedKeyAesHash aes = new FixedKeyAesHash();
    private final long[] in = Blocks.allocate(BLOCKS);
    private final long[] out = Blocks.allocate(BLOCKS);
    private final long[] tweaks = new long[BLOCKS];
    private final long[] tile = new long[64];
    private final long[] rows = new long[128 * BLOCKS / 64];
    private Prg prg;

    @Setup
    public void fill() {
        prg = Prg.fromSecureRandom();
        prg.nextLongs(in);
        prg.nextLongs(rows);
        for (int i = 0; i < BLOCKS; i++) {
            tweaks[i] = i;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public long[] aesPermute() {
        aes.permute(in, 0, out, 0, BLOCKS);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public long[] crHash() {
        aes.hash(in, 0, out, 0, BLOCKS, 7L);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public long[] crHashPerBlockTweaks() {
        aes.hash(in, 0, out, 0, BLOCKS, tweaks, 0);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public long[] tccrHash() {
        aes.tccr(in, 0, out, 0, BLOCKS, 7L);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public long[] prgBlocks() {
        prg.nextLongs(out);
        return out;
    }

    /** 128 rows of {@value #BLOCKS} bits into {@value #BLOCKS} 128-bit columns: IKNP's transpose for one chunk. */
    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public long[] transpose128xN() {
        BitTranspose.rowsToBlocks(rows, BLOCKS, out, 0, tile);
        return out;
    }
}
