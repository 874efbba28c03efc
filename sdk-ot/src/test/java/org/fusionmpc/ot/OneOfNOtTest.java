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

    @ParameterizedTest
    @CsvSource({"0", "9"})
    void unsupportedSizesAreRefused(int logN) {
        assertThrows(IllegalArgumentException.class, () -> OneOfNOt.of(TwoParties.IN_MEMORY.pair()[0], logN));
    }
}
