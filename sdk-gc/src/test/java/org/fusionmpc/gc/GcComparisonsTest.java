package org.fusionmpc.gc;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ReLU, max-pool and argmax on additive shares, two parties over in-memory and TCP channels, against plaintext. */
class GcComparisonsTest {

    static Stream<Arguments> cases() {
        return Stream.of(TwoParties.values()).flatMap(p -> Stream.of(64, 32, 41).map(l -> Arguments.of(p, l)));
    }

    /** Values: edges first, then random ones kept below 2^(ℓ-2) in magnitude (the range fixed-point inference uses) and full-range ones. */
    static long[] values(int n, int l, long seed) {
        long m = Plain.mask(l);
        long[] edges = {0, 1, -1 & m, (1L << (l - 1)) - 1, (1L << (l - 1)) & m, 2, -2 & m};
        SplittableRandom r = new SplittableRandom(seed);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < edges.length ? edges[i] : (i % 2 == 0 ? r.nextLong() : r.nextLong() >> (66 - l)) & m;
        }
        return v;
    }

    /** Random additive shares of v over Z_2^ℓ: {server, client}. */
    static long[][] share(long[] v, int l, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long m = Plain.mask(l);
        long[] s = new long[v.length];
        long[] c = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = r.nextLong() & m;
            c[i] = (v[i] - s[i]) & m;
        }
        return new long[][] {s, c};
    }

    static long[] reveal(long[] a, long[] b, int l) {
        long[] v = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = (a[i] + b[i]) & Plain.mask(l);
        }
        return v;
    }

    @ParameterizedTest(name = "{0} l={1}")
    @MethodSource("cases")
    void reluMaxPoolAndArgmaxOnSharesEqualPlaintext(TwoParties parties, int l) throws Exception {
        int n = 1200;
        int window = 4;
        int classes = 10;
        long[] x = values(n, l, l);
        long[][] sh = share(x, l, 7 * l);
        Object[] got = parties.run(ch -> {
            GcComparisons server = GcComparisons.server(ch);
            return new Object[] {server.relu(sh[0], l), server.maxPool(sh[0], window, l), server.argmax(sh[0], classes, l)};
        }, ch -> {
            GcComparisons client = GcComparisons.client(ch);
            return new Object[] {client.relu(sh[1], l), client.maxPool(sh[1], window, l), client.argmax(sh[1], classes, l)};
        });
        Object[] s = (Object[]) got[0];
        Object[] c = (Object[]) got[1];
        assertArrayEquals(Plain.relu(x, l), reveal((long[]) s[0], (long[]) c[0], l), "relu");
        assertArrayEquals(Plain.max(x, window, l), reveal((long[]) s[1], (long[]) c[1], l), "maxpool");
        int[] argmax = Plain.argmax(x, classes, l);
        assertArrayEquals(argmax, (int[]) c[2], "argmax (client)");
        int[] none = new int[argmax.length];
        Arrays.fill(none, -1);
        assertArrayEquals(none, (int[]) s[2], "the server learns no index");
    }

    @ParameterizedTest(name = "{0} l={1}")
    @MethodSource("cases")
    void fusedTruncationIsExactFloorDivision(TwoParties parties, int l) throws Exception {
        int n = 800;
        int window = 4;
        int f = 12;
        long[] x = values(n, l, 3L * l);
        long[][] sh = share(x, l, 11L * l);
        Object[] got = parties.run(ch -> {
            GcComparisons server = GcComparisons.server(ch);
            return new Object[] {server.relu(sh[0], l, f), server.maxPool(sh[0], window, l, f), server.truncate(sh[0], l, f)};
        }, ch -> {
            GcComparisons client = GcComparisons.client(ch);
            return new Object[] {client.relu(sh[1], l, f), client.maxPool(sh[1], window, l, f), client.truncate(sh[1], l, f)};
        });
        Object[] s = (Object[]) got[0];
        Object[] c = (Object[]) got[1];
        long m = Plain.mask(l);
        long[] relu = Arrays.stream(x).map(v -> (Math.max(Plain.signed(v, l), 0) >> f) & m).toArray();
        assertArrayEquals(relu, reveal((long[]) s[0], (long[]) c[0], l), "relu >> f");
        long[] max = new long[n / window];
        for (int i = 0; i < max.length; i++) {
            long best = Long.MIN_VALUE;
            for (int j = 0; j < window; j++) {
                best = Math.max(best, Plain.signed(x[i * window + j], l));
            }
            max[i] = (best >> f) & m;
        }
        assertArrayEquals(max, reveal((long[]) s[1], (long[]) c[1], l), "maxpool >> f");
        long[] trunc = Arrays.stream(x).map(v -> (Plain.signed(v, l) >> f) & m).toArray();
        assertArrayEquals(trunc, reveal((long[]) s[2], (long[]) c[2], l), "truncate");
    }

    @Test
    void theServersShareIsAFreshMaskNotTheResult() throws Exception {
        long[] x = new long[64]; // all zeros: ReLU is 0 everywhere
        Object[] got = TwoParties.IN_MEMORY.run(ch -> GcComparisons.server(ch).relu(x, 64),
                ch -> GcComparisons.client(ch).relu(x, 64));
        long[] s = (long[]) got[0];
        long[] c = (long[]) got[1];
        assertEquals(64, Arrays.stream(s).distinct().count(), "masks repeat");
        assertArrayEquals(new long[64], reveal(s, c, 64));
    }

    @Test
    void badShapesAreRefusedBeforeAnythingIsSent() throws Exception {
        var pair = TwoParties.IN_MEMORY.pair();
        GcComparisons server = GcComparisons.server(pair[0], new org.fusionmpc.ot.OtSender() {
            public long[] delta() { throw new AssertionError(); }
            public void correlated(int n, long[] q) { throw new AssertionError(); }
            public void random(int n, long[] m0, long[] m1) { throw new AssertionError(); }
            public void chosen(int n, long[] x0, long[] x1, int l) { throw new AssertionError(); }
        }, org.fusionmpc.api.random.Prg.fromSecureRandom());
        assertThrows(IllegalArgumentException.class, () -> server.maxPool(new long[10], 4, 64));
        assertThrows(IllegalArgumentException.class, () -> server.argmax(new long[10], 3, 64));
        assertThrows(IllegalArgumentException.class, () -> server.relu(new long[10], 65));
        assertThrows(IllegalArgumentException.class, () -> server.relu(new long[10], 32, 32));
        assertThrows(IllegalArgumentException.class, () -> server.truncate(new long[10], 32, -1));
        assertEquals(0, pair[0].stats().bytesSent());
    }
}
