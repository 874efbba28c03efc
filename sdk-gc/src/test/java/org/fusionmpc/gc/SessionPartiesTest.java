package org.fusionmpc.gc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.fusionmpc.api.session.ProtocolId;
import org.fusionmpc.api.session.Role;
import org.fusionmpc.api.session.Session;
import org.fusionmpc.api.testing.TwoParties;
import org.junit.jupiter.api.Test;

/** Parties made from a {@link Session} (its channel and its randomness) compute what plaintext does, on both engines. */
class SessionPartiesTest {

    static final ProtocolId ID = new ProtocolId("session-parties-test", 1);

    @Test
    void comparisonEnginesOnSessions() throws Exception {
        long m = (1L << 32) - 1;
        long[] x0 = {5, 7, m, 0};
        long[] x1 = {0, m - 8, 0, 12};          // x = 5, -2, -1, 12
        long[] y0 = {3, 0, 0, 1};
        long[] y1 = {0, 0, m, 10};              // y = 3, 0, -1, 11
        long[] want = {0, 1, 0, 0};             // [x < y]
        for (TwoParties p : TwoParties.values()) {
            Object[] gc = p.run(ch -> GcComparisons.server(Session.open(ch, Role.SERVER, ID)).lessThan(x0, y0, 32),
                    ch -> GcComparisons.client(Session.open(ch, Role.CLIENT, ID)).lessThan(x1, y1, 32));
            Object[] ot = p.run(ch -> OtComparisons.server(Session.open(ch, Role.SERVER, ID)).lessThan(x0, y0, 32),
                    ch -> OtComparisons.client(Session.open(ch, Role.CLIENT, ID)).lessThan(x1, y1, 32));
            for (Object[] r : new Object[][] {gc, ot}) {
                long[] a = (long[]) r[0];
                long[] b = (long[]) r[1];
                long[] got = new long[a.length];
                for (int i = 0; i < a.length; i++) {
                    got[i] = a[i] ^ b[i];
                }
                assertArrayEquals(want, got, "over " + p);
            }
        }
    }
}
