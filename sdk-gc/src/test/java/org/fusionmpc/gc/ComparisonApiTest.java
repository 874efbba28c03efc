package org.fusionmpc.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.testing.TwoParties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The comparison API on additive shares, for both engines over both channels, against plaintext: the XOR of the two
 * parties' result bits is [x &lt; y], [x &gt; y], [x ≥ y], [x = y] and [x ≥ 0] for random and edge values in the range
 * the API states, and B2A turns those bits into additive shares that sum to them.
 */
class ComparisonApiTest {

    record Engine(String name, Function<Channel, ComparisonEngine> server, Function<Channel, ComparisonEngine> client) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        Engine gc = new Engine("gc", GcComparisons::server, GcComparisons::client);
        Engine ot = new Engine("ot", OtComparisons::server, OtComparisons::client);
        return Stream.of(gc, ot).flatMap(e -> Stream.of(TwoParties.values()).flatMap(p -> Stream.of(37, 64).map(b -> Arguments.of(e, p, b))));
    }

    @ParameterizedTest(name = "{0} over {1}, ℓ = {2}")
    @MethodSource("cases")
    void comparisonsOnSharesMatchPlaintext(Engine engine, TwoParties parties, int bits) throws Exception {
        long m = bits == 64 ? -1L : (1L << bits) - 1;
        long bound = 1L << (bits - 2); // |x|, |y| below 2^(ℓ-2): x - y stays in the signed ℓ-bit range
        SplittableRandom r = new SplittableRandom(bits * 31L + engine.name().hashCode());
        int n = 600;
        long[] x = new long[n];
        long[] y = new long[n];
        long[][] edges = {{0, 0}, {1, 0}, {0, 1}, {-1, 0}, {0, -1}, {-1, -1}, {bound - 1, -(bound - 1)}, {-(bound - 1), bound - 1},
            {bound - 1, bound - 1}, {-bound + 1, -bound + 1}, {5, 5}, {-5, 5}, {bound - 1, bound - 2}};
        for (int i = 0; i < n; i++) {
            if (i < edges.length) {
                x[i] = edges[i][0];
                y[i] = edges[i][1];
            } else {
                x[i] = r.nextLong(-bound + 1, bound);
                y[i] = i % 5 == 0 ? x[i] : i % 7 == 0 ? x[i] + r.nextInt(-2, 3) : r.nextLong(-bound + 1, bound);
                y[i] = Math.max(-bound + 1, Math.min(bound - 1, y[i]));
            }
        }
        // Additive shares of x and y.
        long[] x0 = new long[n];
        long[] x1 = new long[n];
        long[] y0 = new long[n];
        long[] y1 = new long[n];
        for (int i = 0; i < n; i++) {
            x0[i] = r.nextLong() & m;
            x1[i] = (x[i] - x0[i]) & m;
            y0[i] = r.nextLong() & m;
            y1[i] = (y[i] - y0[i]) & m;
        }
        Object[] got = parties.run(ch -> run(engine.server().apply(ch), x0, y0, bits), ch -> run(engine.client().apply(ch), x1, y1, bits));
        long[][] s = (long[][]) got[0];
        long[][] c = (long[][]) got[1];
        for (int i = 0; i < n; i++) {
            String at = "x = " + x[i] + ", y = " + y[i];
            assertEquals(x[i] < y[i] ? 1 : 0, s[0][i] ^ c[0][i], "lessThan, " + at);
            assertEquals(x[i] > y[i] ? 1 : 0, s[1][i] ^ c[1][i], "greaterThan, " + at);
            assertEquals(x[i] >= y[i] ? 1 : 0, s[2][i] ^ c[2][i], "greaterOrEqual, " + at);
            assertEquals(x[i] == y[i] ? 1 : 0, s[3][i] ^ c[3][i], "equal, " + at);
            assertEquals(x[i] >= 0 ? 1 : 0, s[4][i] ^ c[4][i], "drelu, " + at);
            assertEquals(x[i] < y[i] ? 1 : 0, (s[5][i] + c[5][i]) & m, "bitsToArithmetic of lessThan, " + at);
            assertTrue((s[0][i] | c[0][i] | s[3][i] | c[3][i] | s[4][i] | c[4][i]) <= 1, "one bit per element");
        }
        // The result bits are shares, not the answer: the server's alone are about half ones whatever the answers.
        int ones = 0;
        for (int i = 0; i < n; i++) {
            ones += (int) s[0][i];
        }
        assertTrue(ones > n / 4 && ones < 3 * n / 4, "the server's result bits look random: " + ones + " of " + n);
    }

    static long[][] run(ComparisonEngine e, long[] x, long[] y, int bits) {
        long[] lt = e.lessThan(x, y, bits);
        return new long[][] {lt, e.greaterThan(x, y, bits), e.greaterOrEqual(x, y, bits), e.equal(x, y, bits), e.drelu(x, bits),
            e.bitsToArithmetic(lt, bits)};
    }

    @org.junit.jupiter.api.Test
    void vectorsOfDifferentLengthsAreRefused() throws Exception {
        Exception e = assertThrows(Exception.class, () -> TwoParties.IN_MEMORY.run(
                ch -> GcComparisons.server(ch).lessThan(new long[3], new long[2], 32), ch -> GcComparisons.client(ch).lessThan(new long[3], new long[2], 32)));
        Throwable root = e.getCause() == null ? e : e.getCause();
        assertTrue(root.getMessage().contains("compares 3 values with 2"), root.toString());
    }
}
