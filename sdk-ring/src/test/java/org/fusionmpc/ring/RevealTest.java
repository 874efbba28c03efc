package org.fusionmpc.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.fusionmpc.api.testing.TwoParties;
import org.junit.jupiter.api.Test;

/** Opening additive shares over Z_2^ℓ and XOR shares of bits, to one party and to both, over both channels. */
class RevealTest {

    @Test
    void additiveAndXorSharesOpenToTheirValues() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        int n = 257;
        int bits = 37;
        long m = (1L << bits) - 1;
        long[] v = new long[n];
        long[] a0 = new long[n];
        long[] a1 = new long[n];
        long[] b = new long[n];
        long[] b0 = new long[n];
        long[] b1 = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < 3 ? new long[] {0, m, 1L << 36}[i] : r.nextLong() & m;
            a0[i] = r.nextLong();
            a1[i] = v[i] - a0[i];
            b[i] = r.nextInt(2);
            b0[i] = r.nextInt(2);
            b1[i] = b[i] ^ b0[i];
        }
        for (TwoParties p : TwoParties.values()) {
            Object[] one = p.run(ch -> {
                Reveal.send(ch, a0);
                Reveal.send(ch, b0);
                return null;
            }, ch -> new long[][] {Reveal.receive(ch, a1, bits), Reveal.receiveBits(ch, b1)});
            assertArrayEquals(v, ((long[][]) one[1])[0], "additive, to the client, over " + p);
            assertArrayEquals(b, ((long[][]) one[1])[1], "bits, to the client, over " + p);
            Object[] both = p.run(ch -> Reveal.bothBits(ch, b0), ch -> Reveal.bothBits(ch, b1));
            assertArrayEquals(b, (long[]) both[0], "bits, to both, over " + p);
            assertArrayEquals(b, (long[]) both[1], "bits, to both, over " + p);
        }
    }
}
