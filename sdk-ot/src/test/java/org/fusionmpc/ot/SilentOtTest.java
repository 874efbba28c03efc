package org.fusionmpc.ot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.testing.TwoParties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The silent extension against its definition: every COT satisfies t_i = q_i ⊕ r_i·Δ, across rounds and for call
 * sizes that straddle them, in memory and over TCP; the derived random and chosen OTs deliver the chosen message;
 * the bytes per round are what the parameters say; a peer with another parameter set is refused on both sides.
 */
class SilentOtTest {

    static final FerretParams TINY = FerretParams.INSECURE_TINY_FOR_TESTS;
    static final SecureRandom RANDOM = new SecureRandom();

    /** Calls of these sizes cross the bootstrap round's end and several main rounds (3,200 COTs each). */
    static final int[] CALLS = {1, 63, 64, 777, 3_199, 3_200, 3_201, 12_345, 100_000};

    @ParameterizedTest
    @EnumSource(TwoParties.class)
    void everyRandomChoiceCotSatisfiesTheCorrelationAcrossRounds(TwoParties parties) throws Exception {
        Object[] r = parties.run(ch -> {
            SilentOtSender s = SilentOtSender.setup(ch, RANDOM, TINY);
            long[][] qs = new long[CALLS.length][];
            for (int c = 0; c < CALLS.length; c++) {
                qs[c] = new long[2 * CALLS[c]];
                s.correlatedRandomChoices(CALLS[c], qs[c]);
            }
            return new Object[] {s.delta(), qs};
        }, ch -> {
            SilentOtReceiver v = SilentOtReceiver.setup(ch, RANDOM, TINY);
            long[][] ts = new long[CALLS.length][];
            long[][] bits = new long[CALLS.length][];
            for (int c = 0; c < CALLS.length; c++) {
                ts[c] = new long[2 * CALLS[c]];
                bits[c] = new long[Bits.words(CALLS[c])];
                v.correlatedRandomChoices(CALLS[c], bits[c], ts[c]);
            }
            return new Object[] {ts, bits};
        });
        long[] delta = (long[]) ((Object[]) r[0])[0];
        long[][] qs = (long[][]) ((Object[]) r[0])[1];
        long[][] ts = (long[][]) ((Object[]) r[1])[0];
        long[][] bits = (long[][]) ((Object[]) r[1])[1];
        long ones = 0;
        long total = 0;
        for (int c = 0; c < CALLS.length; c++) {
            for (int i = 0; i < CALLS[c]; i++) {
                boolean b = Bits.get(bits[c], i);
                assertEquals(qs[c][2 * i] ^ (b ? delta[0] : 0), ts[c][2 * i], "call " + c + " OT " + i);
                assertEquals(qs[c][2 * i + 1] ^ (b ? delta[1] : 0), ts[c][2 * i + 1], "call " + c + " OT " + i);
                ones += b ? 1 : 0;
                total++;
            }
        }
        // The choices are LPN samples: about half are 1 (a broken code or noise would show here).
        double fraction = (double) ones / total;
        assertTrue(Math.abs(fraction - 0.5) < 0.01, "fraction of 1 choices " + fraction);
    }

    @ParameterizedTest
    @EnumSource(TwoParties.class)
    void chosenChoicesRandomAndChosenMessagesDeliverTheChosenOnes(TwoParties parties) throws Exception {
        int n = 5_000;
        SplittableRandom g = new SplittableRandom(7);
        long[] choices = new long[Bits.words(n)];
        for (int i = 0; i < choices.length; i++) {
            choices[i] = g.nextLong();
        }
        long[] x0 = new long[3 * n];
        long[] x1 = new long[3 * n];
        for (int i = 0; i < 3 * n; i++) {
            x0[i] = g.nextLong();
            x1[i] = g.nextLong();
        }
        Object[] r = parties.run(ch -> {
            SilentOtSender s = SilentOtSender.setup(ch, RANDOM, TINY);
            long[] q = new long[2 * n];
            s.correlated(n, q);
            long[] m0 = new long[2 * n];
            long[] m1 = new long[2 * n];
            s.random(n, m0, m1);
            s.chosen(n, x0, x1, 3);
            s.chosenBits(n, x0, x1, 37);
            return new Object[] {s.delta(), q, m0, m1};
        }, ch -> {
            SilentOtReceiver v = SilentOtReceiver.setup(ch, RANDOM, TINY);
            long[] t = new long[2 * n];
            v.correlated(n, choices, t);
            long[] m = new long[2 * n];
            v.random(n, choices, m);
            long[] chosen = new long[3 * n];
            v.chosen(n, choices, chosen, 3);
            long[] shortOnes = new long[n];
            v.chosenBits(n, choices, shortOnes, 37);
            return new Object[] {t, m, chosen, shortOnes};
        });
        Object[] s = (Object[]) r[0];
        Object[] v = (Object[]) r[1];
        long[] delta = (long[]) s[0];
        long[] q = (long[]) s[1];
        long[] m0 = (long[]) s[2];
        long[] m1 = (long[]) s[3];
        long[] t = (long[]) v[0];
        long[] m = (long[]) v[1];
        long[] chosen = (long[]) v[2];
        long[] shortOnes = (long[]) v[3];
        int differ = 0;
        for (int i = 0; i < n; i++) {
            boolean c = Bits.get(choices, i);
            assertEquals(q[2 * i] ^ (c ? delta[0] : 0), t[2 * i]);
            assertEquals(q[2 * i + 1] ^ (c ? delta[1] : 0), t[2 * i + 1]);
            long[] want = c ? m1 : m0;
            assertEquals(want[2 * i], m[2 * i]);
            assertEquals(want[2 * i + 1], m[2 * i + 1]);
            differ += m0[2 * i] != m1[2 * i] ? 1 : 0;
            long[] x = c ? x1 : x0;
            assertArrayEquals(new long[] {x[3 * i], x[3 * i + 1], x[3 * i + 2]}, new long[] {chosen[3 * i], chosen[3 * i + 1], chosen[3 * i + 2]});
            assertEquals(x[i] & ((1L << 37) - 1), shortOnes[i], "short message " + i);
        }
        assertEquals(n, differ, "random OT messages are hashed apart");
    }

    @Test
    void aMainRoundCostsExactlyItsTreeMessage() throws Exception {
        Ferret.Shape pre = SilentOt.bootstrapShape(TINY);
        int firstHandOut = pre.n() - TINY.reserve();
        Object[] r = TwoParties.IN_MEMORY.run(ch -> {
            SilentOtSender s = SilentOtSender.setup(ch, RANDOM, TINY);
            long[] q = new long[2 * (firstHandOut + TINY.perRound())];
            long before = ch.stats().bytesSent();
            s.correlatedRandomChoices(firstHandOut, q);
            long afterBootstrapOutput = ch.stats().bytesSent();
            s.correlatedRandomChoices(TINY.perRound(), q);
            long afterOneRound = ch.stats().bytesSent();
            s.correlatedRandomChoices(1, q);
            long afterTwo = ch.stats().bytesSent();
            return new long[] {afterBootstrapOutput - before, afterOneRound - afterBootstrapOutput, afterTwo - afterOneRound};
        }, ch -> {
            SilentOtReceiver v = SilentOtReceiver.setup(ch, RANDOM, TINY);
            long[] t = new long[2 * (firstHandOut + TINY.perRound())];
            long[] c = new long[Bits.words(t.length / 2)];
            long before = ch.stats().bytesSent();
            v.correlatedRandomChoices(firstHandOut, c, t);
            v.correlatedRandomChoices(TINY.perRound(), c, t);
            v.correlatedRandomChoices(1, c, t);
            return ch.stats().bytesSent() - before;
        });
        long[] sent = (long[]) r[0];
        assertArrayEquals(new long[] {0, TINY.bytesPerRound(), TINY.bytesPerRound()}, sent);
        assertEquals(0L, r[1], "random-choice COTs cost the receiver nothing");
    }

    @Test
    void aPeerWithAnotherParameterSetIsRefusedOnBothSides() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> TwoParties.IN_MEMORY.run(
                ch -> SilentOtSender.setup(ch, RANDOM, TINY), ch -> SilentOtReceiver.setup(ch, RANDOM, FerretParams.REGULAR_2024)));
        Throwable cause = e.getCause();
        assertTrue(cause instanceof ChannelException, cause.toString());
        assertEquals(ChannelException.Kind.PROTOCOL, ((ChannelException) cause).kind());
        assertTrue(cause.getMessage().contains("insecure-tiny-for-tests") || cause.getMessage().contains("regular-2024"), cause.getMessage());
    }

    /**
     * A silent side against a SoftSpokenOT side, each way round, in memory and over TCP: both sides are refused at the
     * first message with what each peer runs, and neither waits for the other.
     */
    @ParameterizedTest
    @EnumSource(TwoParties.class)
    void aPeerRunningTheOtherExtensionIsRefusedOnBothSides(TwoParties parties) throws Exception {
        for (boolean silentSends : new boolean[] {true, false}) {
            Channel[] pair = parties.pair();
            java.util.concurrent.CompletableFuture<Throwable> sender = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    if (silentSends) {
                        SilentOtSender.setup(pair[0], RANDOM, TINY);
                    } else {
                        SoftSpokenOtSender.setup(pair[0], RANDOM);
                    }
                    return null;
                } catch (RuntimeException x) {
                    return x;
                }
            });
            Throwable receiver;
            try {
                if (silentSends) {
                    SoftSpokenOtReceiver.setup(pair[1], RANDOM);
                } else {
                    SilentOtReceiver.setup(pair[1], RANDOM, TINY);
                }
                receiver = null;
            } catch (RuntimeException x) {
                receiver = x;
            }
            Throwable s = sender.get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (Throwable t : new Throwable[] {s, receiver}) {
                assertTrue(t instanceof ChannelException, String.valueOf(t));
                assertEquals(ChannelException.Kind.PROTOCOL, ((ChannelException) t).kind(), t.getMessage());
                assertTrue(t.getMessage().contains("both parties must choose the same OT extension"), t.getMessage());
            }
            String silentSide = silentSends ? s.getMessage() : receiver.getMessage();
            assertTrue(silentSide.startsWith("the peer runs SoftSpokenOT; this side runs the silent OT extension (Ferret) with "
                    + TINY.name()), silentSide);
            String softSide = silentSends ? receiver.getMessage() : s.getMessage();
            assertTrue(softSide.startsWith("the peer runs the silent OT extension (Ferret); this side runs SoftSpokenOT with k = "),
                    softSide);
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void lanesChangeNeitherTheOutputsNorTheWire() throws Exception {
        // Two runs from the same seeds are impossible (SecureRandom); instead both sides of one run use different lane
        // counts, which only works if lanes do not change what each side computes.
        int n = 50_000;
        Object[] r = TwoParties.IN_MEMORY.run(ch -> {
            SilentOtSender s = SilentOtSender.setup(ch, RANDOM, TINY).withThreads(3);
            long[] q = new long[2 * n];
            s.correlatedRandomChoices(n, q);
            return new Object[] {s.delta(), q};
        }, ch -> {
            SilentOtReceiver v = SilentOtReceiver.setup(ch, RANDOM, TINY).withThreads(1);
            long[] t = new long[2 * n];
            long[] c = new long[Bits.words(n)];
            v.correlatedRandomChoices(n, c, t);
            return new Object[] {c, t};
        });
        assertCorrelated((long[]) ((Object[]) r[0])[0], (long[]) ((Object[]) r[0])[1], (long[]) ((Object[]) r[1])[0],
                (long[]) ((Object[]) r[1])[1], n);
    }

    /** t_i = q_i ⊕ c_i·Δ for every i &lt; n; returns how many c_i are 1. */
    static long assertCorrelated(long[] delta, long[] q, long[] c, long[] t, int n) {
        long ones = 0;
        for (int i = 0; i < n; i++) {
            boolean b = Bits.get(c, i);
            ones += b ? 1 : 0;
            if (t[2 * i] != (q[2 * i] ^ (b ? delta[0] : 0)) || t[2 * i + 1] != (q[2 * i + 1] ^ (b ? delta[1] : 0))) {
                throw new AssertionError("COT " + i + " does not satisfy t = q ⊕ r·Δ");
            }
        }
        return ones;
    }

    /** One run of the default parameters, past the first main round: the real shapes (bins of 2^13, k = 589,824). */
    @Test
    void theDefaultParametersProduceValidCotsPastTheFirstRound() throws Exception {
        int n = 10_500_000;
        Object[] r = TwoParties.IN_MEMORY.run(ch -> {
            SilentOtSender s = SilentOtSender.setup(ch, RANDOM).withThreads(2);
            long[] q = new long[2 * n];
            long before = ch.stats().bytesSent();
            s.correlatedRandomChoices(n, q);
            return new Object[] {s.delta(), q, ch.stats().bytesSent() - before};
        }, ch -> {
            SilentOtReceiver v = SilentOtReceiver.setup(ch, RANDOM).withThreads(2);
            long[] t = new long[2 * n];
            long[] c = new long[Bits.words(n)];
            v.correlatedRandomChoices(n, c, t);
            return new Object[] {c, t};
        });
        long sent = (Long) ((Object[]) r[0])[2];
        long ones = assertCorrelated((long[]) ((Object[]) r[0])[0], (long[]) ((Object[]) r[0])[1], (long[]) ((Object[]) r[1])[0],
                (long[]) ((Object[]) r[1])[1], n);
        assertTrue(Math.abs((double) ones / n - 0.5) < 0.001, "fraction of 1 choices " + (double) ones / n);
        assertEquals(2 * FerretParams.REGULAR_2024.bytesPerRound(), sent, "the bootstrap output, then two main rounds");
        System.out.printf("silent OT: %d COTs past the bootstrap, %.3f bits per COT sent by the sender%n", n, 8.0 * sent / n);
    }
}
