package org.fusionmpc.api.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-process delay decorator: k round trips cost k·rtt (no less, and less than 1.5 times) when each end holds its flushes rtt/2. */
class FlightDelayTest {

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(org.fusionmpc.api.testing.TwoParties.class)
    void pingPongTakesRoundsTimesRtt(org.fusionmpc.api.testing.TwoParties parties) throws Exception {
        long rtt = 20_000_000L;
        Channel[] raw = parties.pair();
        Channel a = FlightDelay.wrap(raw[0], rtt / 2);
        Channel b = FlightDelay.wrap(raw[1], rtt / 2);
        int rounds = 20;
        long t0 = System.nanoTime();
        CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
            long[] v = new long[1];
            for (int i = 0; i < rounds; i++) {
                b.receive(v, 0, 1);
                b.send(v);
                b.send(v); // two messages, one flight, one flush
                b.flush();
            }
        });
        long[] v = new long[1];
        for (int i = 0; i < rounds; i++) {
            a.send(new long[] {i});
            // no explicit flush: the receive's own flush is held
            a.receive(v, 0, 1);
            assertEquals(i, v[0]);
            a.receive(v, 0, 1);
            assertEquals(i, v[0]);
        }
        echo.get(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        a.close();
        b.close();
        double expected = rounds * rtt / 1e9;
        System.out.printf("flight delay ping-pong: %.3f s, expected %.3f s%n", seconds, expected);
        // Never less than the rounds' delays; scheduling on a shared machine may add to them, but a flight held twice
        // (2x) would not pass.
        assertTrue(seconds >= 0.95 * expected && seconds < 1.5 * expected, seconds + " s for " + expected + " s of delays");
        assertEquals(2L * rounds, a.stats().messagesReceived(), "the decorator forwards every message");
        assertEquals(rounds, ((FlightDelay) a).heldFlushes(), "one held flush per flight");
        assertEquals(rounds, ((FlightDelay) b).heldFlushes(), "one held flush per flight, though it flushed explicitly");
    }

    /**
     * A flight that flushes many times (a streamed layer) pays one delay, not one per flush: each part still arrives
     * at least one delay after it was made, and the whole exchange costs its rounds' delays, not its flushes'.
     */
    @Test
    void aFlightOfManyFlushesPaysOneDelay() throws Exception {
        long rtt = 40_000_000L;
        Channel[] raw = InMemoryChannel.pair();
        Channel a = FlightDelay.wrap(raw[0], rtt / 2);
        Channel b = FlightDelay.wrap(raw[1], rtt / 2);
        int rounds = 5;
        int parts = 20;
        long t0 = System.nanoTime();
        CompletableFuture<long[]> echo = CompletableFuture.supplyAsync(() -> {
            long[] v = new long[1];
            long[] firstArrival = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                for (int p = 0; p < parts; p++) {
                    b.receive(v, 0, 1);
                    if (p == 0) {
                        firstArrival[i] = System.nanoTime();
                    }
                }
                b.send(v);
                b.flush();
            }
            return firstArrival;
        });
        long[] v = new long[1];
        long[] firstSent = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            for (int p = 0; p < parts; p++) {
                if (p == 0) {
                    firstSent[i] = System.nanoTime();
                }
                a.send(new long[] {p});
                a.flush(); // twenty flushes in one flight
            }
            a.receive(v, 0, 1);
        }
        long[] arrived = echo.get(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double expected = rounds * rtt / 1e9;
        for (int i = 0; i < rounds; i++) {
            assertTrue(arrived[i] - firstSent[i] >= rtt / 2, "flight " + i + "'s first part arrived after "
                    + (arrived[i] - firstSent[i]) / 1e6 + " ms, before one delay");
        }
        assertTrue(seconds >= 0.95 * expected && seconds < 1.5 * expected, seconds + " s for " + expected + " s of delays");
        assertEquals(rounds, ((FlightDelay) a).heldFlushes(), "one held flush per flight of twenty flushes");
        a.close();
        b.close();
    }

    @Test
    void flushingNothingCostsNothingAndANegativeDelayIsRefused() {
        Channel[] raw = InMemoryChannel.pair();
        Channel a = FlightDelay.wrap(raw[0], 5_000_000_000L);
        long t0 = System.nanoTime();
        a.flush(); // nothing pending: no wait
        assertEquals(0, (System.nanoTime() - t0) / 1_000_000_000L);
        assertThrows(IllegalArgumentException.class, () -> FlightDelay.wrap(raw[1], -1));
    }
}
