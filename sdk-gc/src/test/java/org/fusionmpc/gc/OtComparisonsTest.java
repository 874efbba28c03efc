package org.fusionmpc.gc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ot.OtExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OT-based millionaires' comparison and the ReLU, max-pool, argmax and truncation built on it, against
 * plaintext. Truncation may be one unit low (the dropped low bits' carry is not corrected); a ReLU with truncation
 * of a non-positive value is exactly 0.
 */
class OtComparisonsTest {

    @Test
    void millionairesComparisonIsRightOnEveryPairOfEightBitInputs() throws Exception {
        long[] a = new long[256 * 256];
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = i >>> 8;
            b[i] = i & 255;
        }
        long[][] got = lessThan(TwoParties.IN_MEMORY, a, b, 8);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i] < b[i] ? 1 : 0, got[0][i] ^ got[1][i], a[i] + " < " + b[i]);
        }
    }

    static Stream<Arguments> widths() {
        return Stream.of(TwoParties.values()).flatMap(p -> Stream.of(32, 64).map(l -> Arguments.of(p, l)));
    }

    @ParameterizedTest(name = "{0} l={1}")
    @MethodSource("widths")
    void millionairesComparisonOnRandomAndEdgeInputs(TwoParties parties, int bits) throws Exception {
        SplittableRandom r = new SplittableRandom(bits);
        long max = bits == 64 ? -1L : (1L << bits) - 1;
        long[][] edges = {{0, 0}, {0, 1}, {1, 0}, {max, max}, {max - 1, max}, {max, max - 1}, {0, max}, {max, 0},
            {1L << (bits - 1), (1L << (bits - 1)) - 1}, {(1L << (bits - 1)) - 1, 1L << (bits - 1)}};
        int n = 5000;
        long[] a = new long[n];
        long[] b = new long[n];
        for (int i = 0; i < n; i++) {
            if (i < edges.length) {
                a[i] = edges[i][0] & max;
                b[i] = edges[i][1] & max;
            } else {
                a[i] = r.nextLong() & max;
                // every third pair shares a long prefix, so low digits decide
                b[i] = i % 3 == 0 ? (a[i] ^ (1L << r.nextInt(6))) & max : r.nextLong() & max;
            }
        }
        long[][] got = lessThan(parties, a, b, bits);
        for (int i = 0; i < n; i++) {
            assertEquals(Long.compareUnsigned(a[i], b[i]) < 0 ? 1 : 0, got[0][i] ^ got[1][i], a[i] + " < " + b[i]);
        }
    }

    static long[][] lessThan(TwoParties parties, long[] a, long[] b, int bits) throws Exception {
        Object[] got = parties.run(ch -> OtComparisons.server(ch).lessThan(a, bits), ch -> OtComparisons.client(ch).lessThan(b, bits));
        return new long[][] {(long[]) got[0], (long[]) got[1]};
    }

    /** Both channels, three widths, and both OT extensions under every OT of the engine. */
    static Stream<Arguments> cases() {
        return Stream.of(TwoParties.values()).flatMap(p -> Stream.of(64, 32, 37).flatMap(l ->
                Stream.of(OtExtension.values()).map(ot -> Arguments.of(p, l, ot))));
    }

    @ParameterizedTest(name = "{0} l={1} {2}")
    @MethodSource("cases")
    void reluMaxPoolAndArgmaxOnSharesEqualPlaintext(TwoParties parties, int l, OtExtension ot) throws Exception {
        int n = 1200;
        int window = 4;
        int classes = 10;
        long[] x = GcComparisonsTest.values(n, l, l);
        long[][] sh = GcComparisonsTest.share(x, l, 7L * l);
        Object[] got = parties.run(ch -> {
            OtComparisons server = OtComparisons.server(ch, 1, ot);
            return new Object[] {server.relu(sh[0], l), server.maxPool(sh[0], window, l), server.argmax(sh[0], classes, l)};
        }, ch -> {
            OtComparisons client = OtComparisons.client(ch, 1, ot);
            return new Object[] {client.relu(sh[1], l), client.maxPool(sh[1], window, l), client.argmax(sh[1], classes, l)};
        });
        Object[] s = (Object[]) got[0];
        Object[] c = (Object[]) got[1];
        assertArrayEquals(Plain.relu(x, l), GcComparisonsTest.reveal((long[]) s[0], (long[]) c[0], l), "relu");
        // max-pool and argmax subtract values: exact while pairwise differences fit ℓ-1 bits, as in inference
        long[] max = Plain.max(x, window, l);
        int[] argmax = Plain.argmax(x, classes, l);
        long[] gotMax = GcComparisonsTest.reveal((long[]) s[1], (long[]) c[1], l);
        int[] gotArg = (int[]) c[2];
        int checkedMax = 0;
        for (int i = 0; i < max.length; i++) {
            if (inRange(x, i * window, window, l)) {
                assertEquals(max[i], gotMax[i], "maxpool group " + i);
                checkedMax++;
            }
        }
        int checkedArg = 0;
        for (int i = 0; i < argmax.length; i++) {
            if (inRange(x, i * classes, classes, l)) {
                assertEquals(argmax[i], gotArg[i], "argmax group " + i);
                checkedArg++;
            }
        }
        assertTrue(checkedMax > max.length / 20 && checkedArg > 0, "too few groups in range: " + checkedMax + ", " + checkedArg);
        assertTrue(Arrays.stream((int[]) s[2]).allMatch(v -> v == -1), "the server learns no index");
    }

    /**
     * Rounds follow the protocol's depth, not the length of a layer: a ReLU with truncation on 150,000 values (many
     * steps of every OT call underneath: 1-out-of-N OTs, AND tree, chosen OTs) takes exactly as many flights as one on
     * 10 values, on both OT extensions and over TCP, and is still right.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("extensions")
    void aLongLayerTakesAsManyRoundsAsAShortOne(TwoParties parties, OtExtension ot) throws Exception {
        int l = 37;
        long[] rounds = new long[2];
        for (int pass = 0; pass < 2; pass++) {
            int n = pass == 0 ? 10 : 150_000;
            SplittableRandom r = new SplittableRandom(n);
            long[] x = new long[n];
            for (int i = 0; i < n; i++) { // |x| < 2^(ℓ-2), as truncation needs; 0 and ±1 among them
                long v = i < 3 ? i - 1 : r.nextLong(-(1L << (l - 3)), 1L << (l - 3));
                x[i] = v & ((1L << l) - 1);
            }
            long[][] sh = GcComparisonsTest.share(x, l, 11L * n);
            Object[] got = parties.run(ch -> {
                OtComparisons server = OtComparisons.server(ch, 1, ot);
                long before = ch.stats().rounds();
                long[] y = server.relu(sh[0], l, 12);
                return new Object[] {y, ch.stats().rounds() - before};
            }, ch -> {
                OtComparisons client = OtComparisons.client(ch, 1, ot);
                return client.relu(sh[1], l, 12);
            });
            long[] y = GcComparisonsTest.reveal((long[]) ((Object[]) got[0])[0], (long[]) got[1], l);
            long mask = (1L << l) - 1;
            for (int i = 0; i < n; i++) {
                long v = x[i] << (64 - l) >> (64 - l);
                long want = v <= 0 ? 0 : v >> 12;
                long diff = (y[i] - want) & mask;
                assertTrue(diff == 0 || diff == mask, "value " + i + ": " + v + " gave " + y[i]);
            }
            rounds[pass] = (Long) ((Object[]) got[0])[1];
        }
        if (ot == OtExtension.SOFTSPOKEN) {
            assertEquals(rounds[0], rounds[1], "flights of a ReLU on 10 and on 150,000 values");
        } else {
            // The silent extension's sender sends each new LPN round's message when the round starts, inside a step:
            // two flights per round of about 10^7 COTs (a ReLU here takes under 80).
            long lpnRounds = 150_000L * 80 / org.fusionmpc.ot.FerretParams.REGULAR_2024.perRound() + 2; // + the bootstrap round's hand-off
            assertTrue(rounds[1] >= rounds[0] && rounds[1] <= rounds[0] + 2 * lpnRounds,
                    "flights of a ReLU on 10 and on 150,000 values: " + rounds[0] + ", " + rounds[1]);
        }
        System.out.printf("rounds: a ReLU with truncation on %s takes %d flights at the server for 10 values, %d for 150,000%n",
                ot.id(), rounds[0], rounds[1]);
    }

    static Stream<Arguments> extensions() {
        return Stream.of(TwoParties.values()).flatMap(p -> Stream.of(OtExtension.values()).map(o -> Arguments.of(p, o)));
    }

    /** All values of the group below 2^(ℓ-2) in magnitude, so every pairwise difference fits. */
    private static boolean inRange(long[] v, int from, int k, int l) {
        for (int j = from; j < from + k; j++) {
            long s = Plain.signed(v[j], l);
            if (s >= 1L << (l - 2) || s <= -(1L << (l - 2))) { // not Math.abs: |Long.MIN_VALUE| is negative
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest(name = "{0} l={1} {2}")
    @MethodSource("cases")
    void truncationIsFloorOrOneLessAndReluFusesIt(TwoParties parties, int l, OtExtension ot) throws Exception {
        int n = 3000;
        int f = 12;
        SplittableRandom r = new SplittableRandom(l * 31L);
        long m = Plain.mask(l);
        long bound = 1L << (l - 2);
        long[] x = new long[n];
        long[] edges = {0, 1, -1, (1L << f) - 1, 1L << f, -(1L << f), bound - 1, -bound + 1};
        for (int i = 0; i < n; i++) {
            x[i] = (i < edges.length ? edges[i] : r.nextLong(-bound + 1, bound)) & m;
        }
        long[][] sh = GcComparisonsTest.share(x, l, 5L * l);
        Object[] got = parties.run(ch -> {
            OtComparisons server = OtComparisons.server(ch, 1, ot);
            return new long[][] {server.truncate(sh[0], l, f), server.relu(sh[0], l, f)};
        }, ch -> {
            OtComparisons client = OtComparisons.client(ch, 1, ot);
            return new long[][] {client.truncate(sh[1], l, f), client.relu(sh[1], l, f)};
        });
        long[][] s = (long[][]) got[0];
        long[][] c = (long[][]) got[1];
        long[] trunc = GcComparisonsTest.reveal(s[0], c[0], l);
        long[] relu = GcComparisonsTest.reveal(s[1], c[1], l);
        int exact = 0;
        int zeros = 0;
        int reluLow = 0;
        for (int i = 0; i < n; i++) {
            long v = Plain.signed(x[i], l);
            long t = Plain.signed(trunc[i], l);
            assertTrue(t == v >> f || t == (v >> f) - 1, "truncate " + v + ": got " + t);
            exact += t == v >> f ? 1 : 0;
            long y = Plain.signed(relu[i], l);
            long want = Math.max(v, 0) >> f;
            if (v <= 0) {
                assertEquals(0, y, "relu>>f of " + v + " is exactly 0");
                zeros++;
            } else {
                assertTrue(y == want || y == want - 1, "relu>>f of " + v + ": got " + y);
                reluLow += y == want - 1 ? 1 : 0;
            }
        }
        System.out.printf(ot.id() + " ot-truncation l=%d: %d of %d exact, the rest one unit low; relu>>f: %d non-positive inputs all 0,"
                + " %d of %d positive ones one unit low%n", l, exact, n, zeros, reluLow, n - zeros);
        assertTrue(zeros > n / 3, "the inputs include negative values: " + zeros);
    }

    /**
     * Each party splits its ReLU, max-pool and comparison batches on its own number of threads: the revealed
     * results equal plaintext and the traffic is byte for byte what one thread on each side sends.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(TwoParties.class)
    void threadsOnEitherSideChangeNeitherResultsNorTraffic(TwoParties parties) throws Exception {
        int[][] configs = parties == TwoParties.TCP ? new int[][] {{1, 1}, {2, 2}} : new int[][] {{1, 1}, {2, 1}, {1, 2}, {2, 2}};
        long[] oneThread = null;
        for (int[] config : configs) {
            long[] traffic = reluMaxPoolAndComparisonOnThreads(parties, config[0], config[1]);
            if (oneThread == null) {
                oneThread = traffic;
            }
            assertArrayEquals(oneThread, traffic, "bytes sent by {server, client} with threads " + Arrays.toString(config));
        }
    }

    /** Checks the results against plaintext and returns the bytes sent by {server, client}. */
    private static long[] reluMaxPoolAndComparisonOnThreads(TwoParties parties, int serverThreads, int clientThreads) throws Exception {
        int l = 32;
        int n = OtComparisons.CHUNK + 4000; // a full chunk, split, and a shorter one
        long[] x = GcComparisonsTest.values(n, l, l);
        long[][] sh = GcComparisonsTest.share(x, l, 17);
        long[] b = new SplittableRandom(5).longs(n).map(v -> v & Plain.mask(l)).toArray();
        Object[] got = parties.run(ch -> {
            OtComparisons server = OtComparisons.server(ch, serverThreads);
            long before = ch.stats().bytesSent();
            Object[] r = {server.relu(sh[0], l), server.maxPool(sh[0], 4, l), server.lessThan(x, l)};
            return new Object[] {r, ch.stats().bytesSent() - before};
        }, ch -> {
            OtComparisons client = OtComparisons.client(ch, clientThreads);
            long before = ch.stats().bytesSent();
            Object[] r = {client.relu(sh[1], l), client.maxPool(sh[1], 4, l), client.lessThan(b, l)};
            return new Object[] {r, ch.stats().bytesSent() - before};
        });
        Object[] s = (Object[]) ((Object[]) got[0])[0];
        Object[] c = (Object[]) ((Object[]) got[1])[0];
        String where = " with threads " + serverThreads + "/" + clientThreads;
        assertArrayEquals(Plain.relu(x, l), GcComparisonsTest.reveal((long[]) s[0], (long[]) c[0], l), "relu" + where);
        long[] max = Plain.max(x, 4, l);
        long[] gotMax = GcComparisonsTest.reveal((long[]) s[1], (long[]) c[1], l);
        for (int i = 0; i < max.length; i++) {
            if (inRange(x, 4 * i, 4, l)) {
                assertEquals(max[i], gotMax[i], "maxpool group " + i + where);
            }
        }
        long[] lt0 = (long[]) s[2];
        long[] lt1 = (long[]) c[2];
        for (int i = 0; i < n; i++) {
            assertEquals(Long.compareUnsigned(x[i], b[i]) < 0 ? 1 : 0, lt0[i] ^ lt1[i], "comparison " + i + where);
        }
        return new long[] {(long) ((Object[]) got[0])[1], (long) ((Object[]) got[1])[1]};
    }
}
