package org.fusionmpc.ot;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SoftSpokenOtTest {

    enum Pattern { RANDOM, ZEROS, ONES }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (TwoParties parties : TwoParties.values()) {
            for (int n : new int[] {1, 63, 64, 127, 128, 129, 1000, 1 << 20}) {
                for (Pattern p : Pattern.values()) {
                    cases.add(Arguments.of(parties, SoftSpoken.DEFAULT_K, n, p));
                }
            }
            // k = 1 is IKNP; k = 2 and 8 the other widths; n crosses the chunk boundary.
            for (int k : new int[] {1, 2, 8}) {
                for (int n : new int[] {1, 129, 1000, 3 * Iknp.CHUNK + 5}) {
                    cases.add(Arguments.of(parties, k, n, Pattern.RANDOM));
                }
            }
        }
        return cases.stream();
    }

    static long[] choices(int n, Pattern p, long seed) {
        long[] c = new long[Bits.words(n) + 1];
        switch (p) {
            case RANDOM -> {
                SplittableRandom r = new SplittableRandom(seed);
                for (int i = 0; i < c.length; i++) {
                    c[i] = r.nextLong();
                }
            }
            case ONES -> Arrays.fill(c, -1L);
            case ZEROS -> { }
        }
        return c;
    }

    @ParameterizedTest(name = "{0} k={1} n={2} {3}")
    @MethodSource("cases")
    void everyOutputSatisfiesItsOtRelation(TwoParties parties, int k, int n, Pattern pattern) throws Exception {
        long[] c = choices(n, pattern, n);
        int longs = 3;
        SplittableRandom r = new SplittableRandom(99);
        long[] x0 = r.longs((long) n * longs).toArray();
        long[] x1 = r.longs((long) n * longs).toArray();
        Object[] out = parties.run(ch -> {
            SoftSpokenOtSender s = SoftSpokenOtSender.setup(ch, new SecureRandom(), k);
            long[] q = new long[2 * n];
            s.correlated(n, q);
            long[] m0 = new long[2 * n];
            long[] m1 = new long[2 * n];
            s.random(n, m0, m1);
            s.chosen(n, x0, x1, longs);
            return new long[][] {s.delta(), q, m0, m1};
        }, ch -> {
            SoftSpokenOtReceiver rc = SoftSpokenOtReceiver.setup(ch, new SecureRandom(), k);
            long[] t = new long[2 * n];
            rc.correlated(n, c, t);
            long[] m = new long[2 * n];
            rc.random(n, c, m);
            long[] x = new long[n * longs];
            rc.chosen(n, c, x, longs);
            return new long[][] {t, m, x};
        });
        long[][] s = (long[][]) out[0];
        long[][] rv = (long[][]) out[1];
        long[] delta = s[0];
        for (int i = 0; i < n; i++) {
            boolean ci = Bits.get(c, i);
            // COT: t = q XOR (c AND delta)
            assertEquals(s[1][2 * i] ^ (ci ? delta[0] : 0), rv[0][2 * i], "COT " + i);
            assertEquals(s[1][2 * i + 1] ^ (ci ? delta[1] : 0), rv[0][2 * i + 1], "COT " + i);
            // ROT: m = m_c, and m_0 != m_1
            long[] want = ci ? s[3] : s[2];
            assertEquals(want[2 * i], rv[1][2 * i], "ROT " + i);
            assertEquals(want[2 * i + 1], rv[1][2 * i + 1], "ROT " + i);
            assertTrue(s[2][2 * i] != s[3][2 * i] || s[2][2 * i + 1] != s[3][2 * i + 1]);
            long[] xs = ci ? x1 : x0;
            for (int w = 0; w < longs; w++) {
                assertEquals(xs[i * longs + w], rv[2][i * longs + w], "OT " + i + " long " + w);
            }
        }
    }

    /** SHA1PRNG seeded before first use is deterministic: two runs then share Δ and every base-OT seed. */
    private static SecureRandom fixed(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void streamingInChunksEqualsOneBatch() throws Exception {
        int n = 3 * Iknp.CHUNK + 640;
        long[] c = choices(n, Pattern.RANDOM, 5);
        int[] pieces = {128, Iknp.CHUNK - 128, 2 * Iknp.CHUNK, 640};
        Object[] whole = TwoParties.IN_MEMORY.run(ch -> {
            long[] q = new long[2 * n];
            SoftSpokenOtSender.setup(ch, fixed(1)).correlated(n, q);
            return q;
        }, ch -> {
            long[] t = new long[2 * n];
            SoftSpokenOtReceiver.setup(ch, fixed(2)).correlated(n, c, t);
            return t;
        });
        Object[] streamed = TwoParties.IN_MEMORY.run(ch -> {
            SoftSpokenOtSender s = SoftSpokenOtSender.setup(ch, fixed(1));
            long[] q = new long[2 * n];
            int at = 0;
            for (int p : pieces) {
                long[] part = new long[2 * p];
                s.correlated(p, part);
                System.arraycopy(part, 0, q, 2 * at, 2 * p);
                at += p;
            }
            return q;
        }, ch -> {
            SoftSpokenOtReceiver rc = SoftSpokenOtReceiver.setup(ch, fixed(2));
            long[] t = new long[2 * n];
            int at = 0;
            for (int p : pieces) {
                long[] part = new long[2 * p];
                long[] bits = new long[Bits.words(p)];
                for (int i = 0; i < p; i++) {
                    Bits.set(bits, i, Bits.get(c, at + i));
                }
                rc.correlated(p, bits, part);
                System.arraycopy(part, 0, t, 2 * at, 2 * p);
                at += p;
            }
            return t;
        });
        assertArrayEquals((long[]) whole[0], (long[]) streamed[0]);
        assertArrayEquals((long[]) whole[1], (long[]) streamed[1]);
    }

    @Test
    void aMatrixOfTheWrongLengthIsAClearError() throws Exception {
        InMemoryChannel[] pair = InMemoryChannel.pair();
        CompletableFuture<Void> cheater = CompletableFuture.runAsync(() -> {
            SoftSpokenOtReceiver.setup(pair[1], new SecureRandom());
            pair[1].send(new long[100]); // a real receiver (k = 4) sends 32 x 128 bits = 64 longs for 128 OTs
            pair[1].flush();
        });
        SoftSpokenOtSender s = SoftSpokenOtSender.setup(pair[0], new SecureRandom());
        cheater.get(30, TimeUnit.SECONDS);
        ChannelException e = assertThrows(ChannelException.class, () -> s.correlated(128, new long[256]));
        assertEquals(ChannelException.Kind.MESSAGE_SIZE, e.kind());
        assertTrue(e.getMessage().contains("800 bytes where 512 bytes were expected"), e.getMessage());
    }

    @ParameterizedTest(name = "k={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 4, 8})
    void theReceiverSends128OverKBitsPerOt(int k) throws Exception {
        int n = 5 * Iknp.CHUNK;
        long[] c = choices(n, Pattern.RANDOM, 7);
        long[] sent = new long[2];
        TwoParties.IN_MEMORY.run(ch -> {
            SoftSpokenOtSender.setup(ch, new SecureRandom(), k).correlated(n, new long[2 * n]);
            return null;
        }, ch -> {
            SoftSpokenOtReceiver rc = SoftSpokenOtReceiver.setup(ch, new SecureRandom(), k);
            sent[0] = ch.stats().bytesSent();
            rc.correlated(n, c, new long[2 * n]);
            sent[1] = ch.stats().bytesSent();
            return null;
        });
        assertEquals((long) n * 16 / k, sent[1] - sent[0]);
    }

    @ParameterizedTest(name = "k={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 4, 8})
    void twoThreadsGiveWhatOneGives(int k) throws Exception {
        int n = 2 * Iknp.CHUNK + 77;
        long[] c = choices(n, Pattern.RANDOM, 3);
        long[][][] runs = new long[2][][];
        for (int threads = 1; threads <= 2; threads++) {
            int t = threads;
            // Correlated, random (whose hashes the lanes split) and short chosen OTs, one after another.
            Object[] got = TwoParties.IN_MEMORY.run(ch -> {
                long[] q = new long[2 * n];
                long[] m0 = new long[2 * n];
                long[] m1 = new long[2 * n];
                SoftSpokenOtSender s = SoftSpokenOtSender.setup(ch, fixed(11), k).withThreads(t);
                s.correlated(n, q);
                s.random(n, m0, m1);
                long[] x0 = new long[n];
                long[] x1 = new long[n];
                for (int i = 0; i < n; i++) {
                    x0[i] = i;
                    x1[i] = ~i;
                }
                s.chosenBits(n, x0, x1, 40);
                return new long[][] {q, m0, m1};
            }, ch -> {
                long[] tt = new long[2 * n];
                long[] m = new long[2 * n];
                long[] x = new long[n];
                SoftSpokenOtReceiver rc = SoftSpokenOtReceiver.setup(ch, fixed(12), k).withThreads(t);
                rc.correlated(n, c, tt);
                rc.random(n, c, m);
                rc.chosenBits(n, c, x, 40);
                return new long[][] {tt, m, x};
            });
            long[][] snd = (long[][]) got[0];
            long[][] rcv = (long[][]) got[1];
            for (int i = 0; i < n; i++) {
                boolean ci = Bits.get(c, i);
                long[] want = ci ? snd[2] : snd[1];
                assertEquals(want[2 * i], rcv[1][2 * i], "random OT " + i);
                assertEquals(want[2 * i + 1], rcv[1][2 * i + 1], "random OT " + i);
                assertEquals((ci ? ~i : i) & ((1L << 40) - 1), rcv[2][i], "chosen OT " + i);
            }
            runs[threads - 1] = new long[][] {snd[0], rcv[0], snd[1], rcv[1]};
        }
        assertArrayEquals(runs[0][0], runs[1][0], "sender");
        assertArrayEquals(runs[0][1], runs[1][1], "receiver");
        assertArrayEquals(runs[0][2], runs[1][2], "sender's random OTs");
        assertArrayEquals(runs[0][3], runs[1][3], "receiver's random OTs");
        Object[] ends = TwoParties.IN_MEMORY.run(ch -> SoftSpokenOtSender.setup(ch, new SecureRandom(), k),
                ch -> SoftSpokenOtReceiver.setup(ch, new SecureRandom(), k));
        assertThrows(IllegalArgumentException.class, () -> ((SoftSpokenOtReceiver) ends[1]).withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> ((SoftSpokenOtSender) ends[0]).withThreads(9));
    }

    /**
     * Each side's own error, not whichever one a two-party runner happens to surface: the side that refuses first
     * closes the channel, so the other may see that close instead (which TwoParties.run would then report alone).
     * At least one side names both parameter sets, and every side fails with a ChannelException.
     */
    @Test
    void sidesWithDifferentKAreAClearError() throws Exception {
        InMemoryChannel[] pair = InMemoryChannel.pair();
        CompletableFuture<Object> sender = CompletableFuture.supplyAsync(() -> SoftSpokenOtSender.setup(pair[0], new SecureRandom(), 4));
        CompletableFuture<Object> receiver = CompletableFuture.supplyAsync(() -> SoftSpokenOtReceiver.setup(pair[1], new SecureRandom(), 2));
        List<String> messages = new ArrayList<>();
        for (CompletableFuture<Object> side : List.of(sender, receiver)) {
            Exception e = assertThrows(Exception.class, () -> side.get(30, TimeUnit.SECONDS));
            Throwable cause = e;
            while (!(cause instanceof ChannelException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertTrue(cause instanceof ChannelException, String.valueOf(cause));
            messages.add(cause.getMessage());
        }
        assertTrue(messages.stream().anyMatch(m -> m.contains("the peer runs SoftSpokenOT with parameters [2]; this side runs SoftSpokenOT with k = 4")
                || m.contains("the peer runs SoftSpokenOT with parameters [4]; this side runs SoftSpokenOT with k = 2")), messages.toString());
    }

    @Test
    void aKThatDoesNotDivide128IsRefused() {
        InMemoryChannel[] pair = InMemoryChannel.pair();
        assertThrows(IllegalArgumentException.class, () -> SoftSpokenOtSender.setup(pair[0], new SecureRandom(), 3));
        assertThrows(IllegalArgumentException.class, () -> SoftSpokenOtReceiver.setup(pair[1], new SecureRandom(), 16));
        assertEquals(0, pair[0].stats().bytesSent());
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() {
        InMemoryChannel[] pair = InMemoryChannel.pair();
        assertThrows(IllegalArgumentException.class, () -> Iknp.checkBlocks("q", new long[3], 2));
        assertThrows(IllegalArgumentException.class, () -> Iknp.checkChoices(new long[1], 65));
        assertThrows(IllegalArgumentException.class, () -> Iknp.checkMessages(new long[5], 2, 3));
        assertEquals(0, pair[0].stats().bytesSent());
    }
}
