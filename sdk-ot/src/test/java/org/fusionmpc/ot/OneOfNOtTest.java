package org.fusionmpc.ot;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OneOfNOtTest {

    @ParameterizedTest(name = "{0} N=2^{1} longs={2}")
    @CsvSource({"IN_MEMORY,1,1", "IN_MEMORY,3,1", "IN_MEMORY,5,2", "TCP,3,1", "IN_MEMORY,4,1", "IN_MEMORY,4,2", "IN_MEMORY,4,3", "IN_MEMORY,8,1", "TCP,4,2", "TCP,8,3"})
    void receiverGetsTheChosenMessageForEveryIndex(TwoParties parties, int logN, int longs) throws Exception {
        int n = 1 << logN;
        int count = 3 * n + 1001; // every index several times, and several message batches with a partial last one
        SplittableRandom r = new SplittableRandom(logN);
        long[] messages = r.longs((long) count * n * longs).toArray();
        int[] choices = new int[count];
        for (int i = 0; i < count; i++) {
            choices[i] = i < 3 * n ? i % n : r.nextInt(n); // every index, three times, then random ones
        }
        Object[] out = parties.run(ch -> {
            OneOfNOt ot = OneOfNOt.of(ch, logN);
            SoftSpokenOtSender s = SoftSpokenOtSender.setup(ch, new SecureRandom());
            ot.send(s, count, messages, longs);
            ot.send(s, count, messages, longs); // a second batch uses fresh OTs and tweaks
            return null;
        }, ch -> {
            OneOfNOt ot = OneOfNOt.of(ch, logN);
            SoftSpokenOtReceiver rc = SoftSpokenOtReceiver.setup(ch, new SecureRandom());
            long[][] got = new long[2][count * longs];
            ot.receive(rc, count, choices, got[0], longs);
            ot.receive(rc, count, choices, got[1], longs);
            return got;
        });
        long[][] got = (long[][]) out[1];
        for (long[] batch : got) {
            for (int i = 0; i < count; i++) {
                for (int k = 0; k < longs; k++) {
                    assertEquals(messages[(i * n + choices[i]) * longs + k], batch[i * longs + k], "transfer " + i);
                }
            }
        }
    }

    /** Sender and receiver may each split their work on any number of threads: outputs and wire do not change. */
    @ParameterizedTest(name = "{0} sender threads={1} receiver threads={2} longs={3}")
    @CsvSource({"IN_MEMORY,1,1,0", "IN_MEMORY,2,1,0", "IN_MEMORY,1,2,0", "IN_MEMORY,2,2,0", "TCP,2,2,0",
        "IN_MEMORY,2,1,2", "IN_MEMORY,1,2,2", "TCP,2,2,1"})
    void threadsChangeNeitherTheOutputsNorTheWire(TwoParties parties, int senderThreads, int receiverThreads, int longs) throws Exception {
        int logN = 4;
        int n = 1 << logN;
        int count = 5 * OneOfNOt.MIN_TRANSFERS_PER_SPLIT + 333; // several batches per lane and a partial last one
        SplittableRandom r = new SplittableRandom(99);
        long[] messages = r.longs((long) count * n * Math.max(1, longs)).toArray();
        int[] choices = r.ints(count, 0, n).toArray();
        long[] sent = new long[1];
        Object[] out = parties.run(ch -> {
            OneOfNOt ot = OneOfNOt.of(ch, logN).withThreads(senderThreads);
            SoftSpokenOtSender s = SoftSpokenOtSender.setup(ch, new SecureRandom()).withThreads(senderThreads);
            long before = ch.stats().bytesSent();
            if (longs == 0) {
                ot.sendBits(s, count, messages, 2);
            } else {
                ot.send(s, count, messages, longs);
            }
            sent[0] = ch.stats().bytesSent() - before;
            return null;
        }, ch -> {
            OneOfNOt ot = OneOfNOt.of(ch, logN).withThreads(receiverThreads);
            SoftSpokenOtReceiver rc = SoftSpokenOtReceiver.setup(ch, new SecureRandom()).withThreads(receiverThreads);
            long[] got = new long[count * Math.max(1, longs)];
            if (longs == 0) {
                ot.receiveBits(rc, count, choices, got, 2);
            } else {
                ot.receive(rc, count, choices, got, longs);
            }
            return got;
        });
        long[] got = (long[]) out[1];
        int l = Math.max(1, longs);
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < l; k++) {
                long want = messages[(i * n + choices[i]) * l + k];
                assertEquals(longs == 0 ? want & 3 : want, got[i * l + k], "transfer " + i);
            }
        }
        // The sender's bytes: 4 SoftSpoken openings are the receiver's; the sender sends only the masked messages.
        long batch = Math.max(1, 2048 / n / Math.max(1, (l + 1) / 2));
        long perMessage = longs == 0 ? 0 : 8L * n * l;
        if (longs == 0) {
            long full = count / batch;
            long bytes = full * 8 * ((batch * n * 2 + 63) / 64) + 8 * (((count - full * batch) * n * 2 + 63) / 64);
            assertEquals(bytes, sent[0]);
        } else {
            assertEquals(perMessage * count, sent[0]);
        }
    }

    @ParameterizedTest
    @CsvSource({"0", "9"})
    void unsupportedSizesAreRefused(int logN) {
        assertThrows(IllegalArgumentException.class, () -> OneOfNOt.of(TwoParties.IN_MEMORY.pair()[0], logN));
    }
}
