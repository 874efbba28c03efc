package org.fusionmpc.ot;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.fusionmpc.api.random.Blocks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 2^24 random OTs streamed in chunks through a JVM with a 512 MiB heap (its own surefire execution): the
 * outputs alone would be 512 MiB on the sender, so this passes only if streaming keeps memory flat. Every
 * output is still checked: the sender folds the message the choice bit selects, the receiver folds what it
 * got, and the two fingerprints must agree.
 */
@Tag("bounded-heap")
class StreamingHeapTest {

    private static final int N = 1 << 24;
    private static final int CHUNK = 1 << 16;
    private static final long CHOICE_SEED = 0x5eed_c0ffeeL;

    @Test
    void twoToThe24RandomOtsStreamWithinA512MiBHeap() throws Exception {
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max <= 512L << 20, "this test must run with -Xmx512m or less, got " + (max >> 20) + " MiB");

        Object[] out = TwoParties.IN_MEMORY.run(channel -> {
            SoftSpokenOtSender s = SoftSpokenOtSender.setup(channel, new SecureRandom());
            SplittableRandom choices = new SplittableRandom(CHOICE_SEED);
            long[] c = new long[Bits.words(CHUNK)];
            long[] m0 = Blocks.allocate(CHUNK);
            long[] m1 = Blocks.allocate(CHUNK);
            long fold = 0;
            for (int at = 0; at < N; at += CHUNK) {
                s.random(CHUNK, m0, m1);
                fill(choices, c);
                for (int i = 0; i < CHUNK; i++) {
                    long[] m = Bits.get(c, i) ? m1 : m0;
                    fold = mix(mix(fold, m[2 * i]), m[2 * i + 1]);
                }
            }
            return fold;
        }, channel -> {
            SoftSpokenOtReceiver r = SoftSpokenOtReceiver.setup(channel, new SecureRandom());
            SplittableRandom choices = new SplittableRandom(CHOICE_SEED);
            long[] c = new long[Bits.words(CHUNK)];
            long[] m = Blocks.allocate(CHUNK);
            long fold = 0;
            for (int at = 0; at < N; at += CHUNK) {
                fill(choices, c);
                r.random(CHUNK, c, m);
                for (int i = 0; i < 2 * CHUNK; i++) {
                    fold = mix(fold, m[i]);
                }
            }
            return fold;
        });
        assertEquals(out[0], out[1], "receiver's outputs differ from the messages its choices select");
    }

    private static void fill(SplittableRandom r, long[] c) {
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextLong();
        }
    }

    /** Order-sensitive fold, so a swapped or repeated output changes the fingerprint. */
    private static long mix(long acc, long x) {
        long h = (acc ^ x) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }
}
