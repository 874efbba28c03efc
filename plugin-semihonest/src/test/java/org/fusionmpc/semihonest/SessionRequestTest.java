package org.fusionmpc.semihonest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.fusionmpc.ot.OtExtension;
import org.junit.jupiter.api.Test;

class SessionRequestTest {

    @Test
    void everyRequestAClientSendsIsAcceptedAsItself() {
        for (LinearMode l : LinearMode.values()) {
            for (ComparisonMode c : ComparisonMode.values()) {
                for (int k : new int[] {1, 2, 4, 8}) {
                    for (int bits = l.minRingBits(); bits <= l.maxRingBits(); bits++) {
                        for (OtExtension ot : OtExtension.values()) {
                            for (boolean packed : new boolean[] {false, true}) {
                                SessionRequest r = new SessionRequest(7, true, l, c, k, bits, ot, packed);
                                SessionRequest.Checked checked = SessionRequest.check(r.words(), 7, true);
                                assertEquals(SecureRunner.ACCEPT, checked.verdict());
                                assertEquals(r, checked.request());
                                assertArrayEquals(r.words(), checked.request().words());
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void wordsThatAreNoRequestAreRefusedByCause() {
        long two32 = 1L << 32;
        assertRefused(SecureRunner.REFUSE_ENGINE, 1, 0, 1, 1, two32 + 1, 37, 0, 0); // was read as k = 1 before
        assertRefused(SecureRunner.REFUSE_ENGINE, 1, 0, 1, 1, 4, two32 + 37, 0, 0);
        assertRefused(SecureRunner.REFUSE_ENGINE, 1, 0, two32 + 1, 1, 4, 37, 0, 0);
        assertRefused(SecureRunner.REFUSE_ENGINE, 1, 0, 1, -1, 4, 37, 0, 0);
        assertRefused(SecureRunner.REFUSE_ENGINE, 1, 0, 0, 1, 4, 37, 0, 0); // OT engine runs on 64 bits only
        assertRefused(SecureRunner.REFUSE_BATCH, two32 + 1, 0, 1, 1, 4, 37, 0, 0);
        assertRefused(SecureRunner.REFUSE_BATCH, 0, 0, 1, 1, 4, 37, 0, 0);
        assertRefused(SecureRunner.REFUSE_BATCH, 101, 0, 1, 1, 4, 37, 0, 0);
        assertRefused(SecureRunner.REFUSE_BATCH, Long.MIN_VALUE, 0, 1, 1, 4, 37, 0, 0);
        assertRefused(SecureRunner.REFUSE_LOGITS, 1, 2, 1, 1, 4, 37, 0, 0);
        assertRefused(SecureRunner.REFUSE_LOGITS, 1, 1, 1, 1, 4, 37, 0, 0); // this server does not reveal logits
        assertRefused(SecureRunner.REFUSE_ENGINE, 1, 0, 1, 1, 4, 37, 2, 0); // no third OT extension
        assertRefused(SecureRunner.REFUSE_ENGINE, 1, 0, 1, 1, 4, 37, -1, 0);
        assertRefused(SecureRunner.REFUSE_ENGINE, 1, 0, 1, 1, 4, 37, two32, 0);
    }

    @Test
    void aPackingWordOtherThanZeroOrOneIsRefused() {
        assertRefused(SecureRunner.REFUSE_ENGINE, 1, 0, 1, 1, 4, 37, 0, 2);
        assertRefused(SecureRunner.REFUSE_ENGINE, 1, 0, 1, 1, 4, 37, 0, -1);
        assertEquals(SecureRunner.ACCEPT, SessionRequest.check(new long[] {1, 0, 1, 1, 4, 37, 0, 1}, 100, false).verdict());
    }

    private static void assertRefused(int code, long... words) {
        SessionRequest.Checked c = SessionRequest.check(words, 100, false);
        assertEquals(code, c.verdict());
        assertNull(c.request());
    }

    /** A client's settings are values: with* gives a changed copy and leaves the original as it was. */
    @org.junit.jupiter.api.Test
    void withGivesAChangedCopy() {
        InferenceClient a = new InferenceClient(OutputMode.LABEL);
        InferenceClient b = a.withThreads(3).withRingBits(40).withBatchPacking(false).withMaxValues(99);
        org.junit.jupiter.api.Assertions.assertEquals(1, a.threads());
        org.junit.jupiter.api.Assertions.assertTrue(a.batchPacking());
        org.junit.jupiter.api.Assertions.assertEquals(3, b.threads());
        org.junit.jupiter.api.Assertions.assertEquals(40, b.ringBits());
        org.junit.jupiter.api.Assertions.assertEquals(99, b.maxValues());
        org.junit.jupiter.api.Assertions.assertFalse(b.batchPacking());
        org.junit.jupiter.api.Assertions.assertEquals(a.ringBits(), new InferenceClient(OutputMode.LABEL).ringBits());
    }
}
