package org.fusionmpc.gc;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.Bits;
import org.fusionmpc.ot.SoftSpokenOtReceiver;
import org.fusionmpc.ot.SoftSpokenOtSender;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 10^8 AND gates garbled, sent and evaluated between two parties in a JVM with a 256 MiB heap (its own
 * surefire execution): the 3.2 GB of tables could not be held, so this passes only if garbling streams.
 * Every output is still checked against plaintext evaluation.
 */
@Tag("bounded-heap")
class StreamingGarblingTest {

    @Test
    void aHundredMillionAndGatesStreamThroughA256MiBHeap() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() <= 256L << 20, "run with -Xmx256m");
        Circuit c = ShareCircuits.relu(64); // 189 ANDs
        int n = (int) (100_000_000L / c.andGates()) + 1;
        SplittableRandom r = new SplittableRandom(8);
        // Inputs repeat with period 64 instances, so the expected outputs fit in memory too.
        long[] g = new long[c.garblerInputs()];
        long[] e = new long[c.evaluatorInputs()];
        for (int i = 0; i < g.length; i++) {
            g[i] = r.nextLong();
        }
        for (int i = 0; i < e.length; i++) {
            e[i] = r.nextLong();
        }
        long[] want = c.evaluate(g, e);
        Object[] out = TwoParties.IN_MEMORY.run(ch -> {
            GarblerParty party = new GarblerParty(ch, SoftSpokenOtSender.setup(ch, new java.security.SecureRandom()), Prg.fromSecureRandom());
            party.run(c, n, periodic(g, n));
            return ch.stats().bytesSent();
        }, ch -> new EvaluatorParty(ch, SoftSpokenOtReceiver.setup(ch, new java.security.SecureRandom())).run(c, n, periodic(e, n)));
        long[] got = (long[]) out[1];
        int outs = c.outputCount();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < outs; k++) {
                if (Bits.get(got, i * outs + k) != ((want[k] >>> (i & 63) & 1) != 0)) {
                    throw new AssertionError("instance " + i + " output bit " + k);
                }
            }
        }
        assertTrue((long) out[0] >= 32L * c.andGates() * n, "tables on the wire: " + out[0]);
        assertEquals(0, 0);
    }

    /** Per-instance packed inputs where instance i takes lane i mod 64 of the bit-sliced words. */
    static long[] periodic(long[] sliced, int n) {
        int bits = sliced.length;
        long[] packed = new long[Bits.words(n * bits)];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < bits; k++) {
                if ((sliced[k] >>> (i & 63) & 1) != 0) {
                    Bits.set(packed, i * bits + k, true);
                }
            }
        }
        return packed;
    }
}
