package org.fusionmpc.api.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The in-process WAN link: a known transfer takes bytes/rate + rounds·rtt: at least 90% of it and less than 1.5 times it
 * (scheduling on a shared machine only adds time; a link that charged twice would not pass).
 */
class ShapedLinkTest {

    @Test
    void bulkTransferTakesBytesOverRatePlusHalfARoundTrip() throws Exception {
        ShapedLink.Spec spec = ShapedLink.Spec.parse("100mbit:20ms");
        Channel[] raw = InMemoryChannel.pair();
        Channel[] ch = ShapedLink.wrap(raw[0], raw[1], spec);
        int messages = 8;
        byte[] chunk = new byte[1 << 20];
        long t0 = System.nanoTime();
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < messages; i++) {
                ch[0].send(chunk);
                ch[0].flush();
            }
        });
        byte[] in = new byte[chunk.length];
        for (int i = 0; i < messages; i++) {
            ch[1].receive(in, 0, in.length);
        }
        sender.get(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double expected = (double) messages * chunk.length / spec.bytesPerSecond() + spec.rttNanos() / 2e9;
        System.out.printf("shaped bulk: %.3f s, expected %.3f s%n", seconds, expected);
        assertTrue(seconds >= 0.9 * expected && seconds < 1.5 * expected, seconds + " s, expected " + expected + " s");
    }

    @Test
    void pingPongTakesRoundsTimesRtt() throws Exception {
        ShapedLink.Spec spec = ShapedLink.Spec.parse("1gbit:20ms");
        Channel[] raw = InMemoryChannel.pair();
        Channel[] ch = ShapedLink.wrap(raw[0], raw[1], spec);
        int rounds = 20;
        long t0 = System.nanoTime();
        CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
            long[] v = new long[1];
            for (int i = 0; i < rounds; i++) {
                ch[1].receive(v, 0, 1);
                ch[1].send(v);
                ch[1].flush();
            }
        });
        long[] v = new long[1];
        for (int i = 0; i < rounds; i++) {
            ch[0].send(new long[] {i});
            ch[0].flush();
            ch[0].receive(v, 0, 1);
            assertEquals(i, v[0]);
        }
        echo.get(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double expected = rounds * spec.rttNanos() / 1e9 + 2.0 * rounds * 8 / spec.bytesPerSecond();
        System.out.printf("shaped ping-pong: %.3f s, expected %.3f s%n", seconds, expected);
        assertTrue(seconds >= 0.9 * expected && seconds < 1.5 * expected, seconds + " s, expected " + expected + " s");
    }

    @Test
    void specsParseAndBadOnesAreClearErrors() {
        ShapedLink.Spec s = ShapedLink.Spec.parse("100mbit:20ms");
        assertEquals(12.5e6, s.bytesPerSecond(), 1e-6);
        assertEquals(20_000_000L, s.rttNanos());
        assertEquals(6.25e7, ShapedLink.Spec.parse("0.5gbit:300us").bytesPerSecond(), 1e-3);
        assertEquals(300_000L, ShapedLink.Spec.parse("0.5gbit:300us").rttNanos());
        for (String bad : new String[] {"100mbit", "fast:20ms", "100mbit:soon", "-1mbit:2ms", "0bit:1ms"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShapedLink.Spec.parse(bad), bad);
            assertTrue(e.getMessage().contains("WAN spec") || e.getMessage().contains("rate"), e.getMessage());
        }
    }
}
