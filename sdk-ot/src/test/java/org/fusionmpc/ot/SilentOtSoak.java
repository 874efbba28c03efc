package org.fusionmpc.ot;

import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.fusionmpc.api.testing.TwoParties;

/**
 * Both parties of the silent extension in one process for {@code args[0]} COTs at the default parameters, every
 * COT checked as it comes (the sender's chunks go to the receiver's thread through a queue of four); exits 0 only if
 * all hold. Run in a JVM with a small heap by {@link SilentOtSoakTest}, so that the rounds' memory is shown bounded.
 */
public final class SilentOtSoak {

    private static final int CHUNK = 1 << 16;

    public static void main(String[] args) throws Exception {
        long total = Long.parseLong(args[0]);
        BlockingQueue<long[]> sent = new ArrayBlockingQueue<>(4);
        long[] delta = new long[2];
        Object[] r = TwoParties.IN_MEMORY.run(ch -> {
            SilentOtSender s = SilentOtSender.setup(ch, new SecureRandom());
            System.arraycopy(s.delta(), 0, delta, 0, 2);
            try {
                for (long done = 0; done < total; done += CHUNK) {
                    long[] q = new long[2 * CHUNK];
                    s.correlatedRandomChoices(CHUNK, q);
                    sent.put(q);
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return ch.stats().bytesSent();
        }, ch -> {
            SilentOtReceiver v = SilentOtReceiver.setup(ch, new SecureRandom());
            long[] t = new long[2 * CHUNK];
            long[] c = new long[CHUNK / 64];
            long ones = 0;
            try {
                for (long done = 0; done < total; done += CHUNK) {
                    v.correlatedRandomChoices(CHUNK, c, t);
                    long[] q = sent.take();
                    for (int i = 0; i < CHUNK; i++) {
                        long bit = c[i >>> 6] >>> i & 1;
                        ones += bit;
                        if (t[2 * i] != (q[2 * i] ^ (bit == 1 ? delta[0] : 0)) || t[2 * i + 1] != (q[2 * i + 1] ^ (bit == 1 ? delta[1] : 0))) {
                            throw new IllegalStateException("COT " + (done + i) + " does not satisfy t = q ⊕ r·Δ");
                        }
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return ones;
        });
        Runtime rt = Runtime.getRuntime();
        System.out.printf("soak: %d COTs, all valid, %.4f of choices 1, sender sent %d bytes, heap max %d MB%n",
                total / CHUNK * CHUNK, (double) (Long) r[1] / (total / CHUNK * CHUNK), (Long) r[0], rt.maxMemory() >> 20);
    }
}
