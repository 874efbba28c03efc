package org.fusionmpc.samples.bench;

import org.fusionmpc.api.random.Blocks;
import org.fusionmpc.api.random.FixedKeyAesHash;
import org.fusionmpc.api.random.Prg;

/** Baselines measured in the same run as the figures they divide. */
final class Baselines {

    private static final int AES_BATCH = 4096; // 64 KiB of blocks per call

    private Baselines() {
    }

    /**
     * Fixed-key AES permutation on 64 KiB batches, one thread, best of {@link ChannelBench#REPETITIONS}: the
     * speed of the primitive under every OT hash and every garbled gate.
     */
    static double aesBlocksPerSecond() {
        double best = 0;
        for (int r = 0; r < ChannelBench.REPETITIONS; r++) {
            best = Math.max(best, aesOnce());
        }
        return best;
    }

    private static double aesOnce() {
        FixedKeyAesHash aes = new FixedKeyAesHash();
        long[] blocks = Blocks.allocate(AES_BATCH);
        Prg.fromSecureRandom().nextLongs(blocks);
        int calls = 2048;
        for (int i = 0; i < calls / 4; i++) {
            aes.permute(blocks, 0, blocks, 0, AES_BATCH);
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            aes.permute(blocks, 0, blocks, 0, AES_BATCH);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // Reading the result keeps the JIT from dropping the loop.
        return blocks[0] == 42 && blocks[1] == 42 ? 0 : (double) calls * AES_BATCH / seconds;
    }
}
