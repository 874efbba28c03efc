package org.fusionmpc.ring;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.ot.SoftSpokenOtReceiver;
import org.fusionmpc.ot.SoftSpokenOtSender;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BeaverMultiplierTest {

    static BeaverMultiplier party(Channel ch, boolean first) {
        SoftSpokenOtSender s;
        SoftSpokenOtReceiver r;
        // Two OT extensions, one per direction; the first party sets up its sending one first.
        if (first) {
            s = SoftSpokenOtSender.setup(ch, new SecureRandom());
            r = SoftSpokenOtReceiver.setup(ch, new SecureRandom());
        } else {
            r = SoftSpokenOtReceiver.setup(ch, new SecureRandom());
            s = SoftSpokenOtSender.setup(ch, new SecureRandom());
        }
        return new BeaverMultiplier(ch, first, s, r, Prg.fromSecureRandom());
    }

    @ParameterizedTest
    @EnumSource(TwoParties.class)
    void productsOfSharedVectorsAreExact(TwoParties parties) throws Exception {
        SplittableRandom r = new SplittableRandom(4);
        int n = 1000;
        long[] x = r.longs(n).toArray();
        long[] y = r.longs(n).toArray();
        x[0] = Long.MIN_VALUE;
        y[0] = -1;
        x[1] = 0;
        long[] x0 = r.longs(n).toArray();
        long[] y0 = r.longs(n).toArray();
        long[] x1 = new long[n];
        long[] y1 = new long[n];
        for (int i = 0; i < n; i++) {
            x1[i] = x[i] - x0[i];
            y1[i] = y[i] - y0[i];
        }
        Object[] got = parties.run(ch -> party(ch, true).multiply(x0, y0), ch -> party(ch, false).multiply(x1, y1));
        long[] z = new long[n];
        long[] want = new long[n];
        for (int i = 0; i < n; i++) {
            z[i] = ((long[]) got[0])[i] + ((long[]) got[1])[i];
            want[i] = x[i] * y[i];
        }
        assertArrayEquals(want, z);
    }
}
