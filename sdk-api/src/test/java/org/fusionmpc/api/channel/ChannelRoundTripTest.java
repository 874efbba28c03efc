package org.fusionmpc.api.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChannelRoundTripTest {

    private static final SplittableRandom RANDOM = new SplittableRandom(7);

    /** Runs {@code server} and {@code client} in two threads over a fresh pair and waits for both. */
    static void run(Transport transport, ChannelConfig config, Consumer<Channel> server, Consumer<Channel> client)
            throws Exception {
        Channel[] pair = transport.pair(config);
        try (Channel s = pair[0]; Channel c = pair[1]) {
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> server.accept(s));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> client.accept(c));
            a.get(120, TimeUnit.SECONDS);
            b.get(120, TimeUnit.SECONDS);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static long[] randomLongs(int n) {
        return RANDOM.longs(n).toArray();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyPayloadTypeRoundTripsIncludingEmpty(Transport transport) throws Exception {
        byte[] one = randomBytes(1);
        byte[] bytes = randomBytes(1000);
        long[] longs = randomLongs(777);
        long[] single = {Long.MIN_VALUE};
        ByteBuffer direct = ByteBuffer.allocateDirect(4096);
        UnsafeBuffer directSlice = new UnsafeBuffer(direct);
        directSlice.putBytes(0, randomBytes(4096));
        UnsafeBuffer heapSlice = new UnsafeBuffer(randomBytes(300));

        run(transport, ChannelConfig.DEFAULT, s -> {
            s.send(new byte[0]);
            s.send(one);
            s.send(bytes, 10, 900);
            s.send(new long[0]);
            s.send(longs);
            s.send(single);
            s.send(directSlice, 100, 3000);
            s.send(heapSlice, 0, 300);
            s.send(bytes);
            s.send(longs, 5, 7);
            s.flush();
        }, c -> {
            c.receive(new byte[0], 0, 0);
            byte[] b1 = new byte[1];
            c.receive(b1, 0, 1);
            assertArrayEquals(one, b1);
            byte[] b900 = new byte[910];
            c.receive(b900, 10, 900);
            assertArrayEquals(Arrays.copyOfRange(bytes, 10, 910), Arrays.copyOfRange(b900, 10, 910));
            assertEquals(0, c.receiveLongs(10).length);
            long[] l = new long[777];
            c.receive(l, 0, 777);
            assertArrayEquals(longs, l);
            assertArrayEquals(single, c.receiveLongs(1));
            UnsafeBuffer got = new UnsafeBuffer(ByteBuffer.allocateDirect(3100));
            c.receive(got, 50, 3000);
            byte[] expect = new byte[3000];
            directSlice.getBytes(100, expect);
            byte[] actual = new byte[3000];
            got.getBytes(50, actual);
            assertArrayEquals(expect, actual);
            UnsafeBuffer heapGot = new UnsafeBuffer(new byte[300]);
            c.receive(heapGot, 0, 300);
            assertArrayEquals(heapSlice.byteArray(), heapGot.byteArray());
            assertArrayEquals(bytes, c.receiveBytes());
            assertArrayEquals(Arrays.copyOfRange(longs, 5, 12), c.receiveLongs(7));
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void hundredMegabytePayloadsAreChunkedIntoFramesAndJoined(Transport transport) throws Exception {
        int size = 100_000_000;
        byte[] big = randomBytes(size);
        long[] bigLongs = randomLongs(size / 8);
        // An odd frame bound forces frame boundaries that split longs and buffers at every alignment.
        ChannelConfig config = ChannelConfig.DEFAULT.withMaxFrameBytes((8 << 20) + 3);
        run(transport, config, s -> {
            s.send(big);
            s.send(bigLongs);
            s.flush();
            long frameMax = config.maxFrameBytes() / 8 * 8;
            long expectFrames = (size + config.maxFrameBytes() - 1) / config.maxFrameBytes()
                    + (8L * bigLongs.length + frameMax - 1) / frameMax;
            assertEquals(expectFrames, s.stats().framesSent());
        }, c -> {
            byte[] got = new byte[size];
            c.receive(got, 0, size);
            assertTrue(Arrays.equals(big, got), "100 MB byte payload differs");
            assertTrue(Arrays.equals(bigLongs, c.receiveLongs(size / 8)), "100 MB long payload differs");
            assertEquals(2, c.stats().messagesReceived());
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void twoThreadsExchangeInterleavedMessages(Transport transport) throws Exception {
        int rounds = 300;
        run(transport, ChannelConfig.DEFAULT, s -> {
            long[] one = new long[1];
            for (int i = 0; i < rounds; i++) {
                s.receive(one, 0, 1);
                assertEquals(i, one[0]);
                s.send(new long[] {one[0] * 3 + 1});
                // Both sides also send at once before either reads: buffering must not deadlock.
                s.send(new byte[] {(byte) i});
                byte[] b = new byte[1];
                s.receive(b, 0, 1);
                assertEquals((byte) (i ^ 0x55), b[0]);
            }
        }, c -> {
            long[] one = new long[1];
            for (int i = 0; i < rounds; i++) {
                c.send(new long[] {i});
                c.receive(one, 0, 1);
                assertEquals(3L * i + 1, one[0]);
                c.send(new byte[] {(byte) (i ^ 0x55)});
                byte[] b = new byte[1];
                c.receive(b, 0, 1);
                assertEquals((byte) i, b[0]);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void countersMatchAHandCount(Transport transport) throws Exception {
        ChannelConfig config = ChannelConfig.DEFAULT.withMaxFrameBytes(16);
        ChannelStats[] seen = new ChannelStats[2];
        run(transport, config, s -> {
            s.send(new byte[10]);                 // 1 frame
            s.send(new long[2]);                  // 16 bytes: 1 frame
            s.send(new byte[0]);                  // 1 empty frame
            s.send(new byte[40]);                 // 16 + 16 + 8: 3 frames
            s.receive(new byte[5], 0, 5);
            s.send(new long[3]);                  // 24 bytes: 16 + 8, 2 frames
            s.flush();
            seen[0] = s.stats();
        }, c -> {
            c.receive(new byte[10], 0, 10);
            c.receive(new long[2], 0, 2);
            c.receive(new byte[0], 0, 0);
            c.receive(new byte[40], 0, 40);
            c.send(new byte[5]);
            c.receive(new long[3], 0, 3);
            seen[1] = c.stats();
        });
        ChannelStats server = seen[0];
        ChannelStats client = seen[1];
        assertEquals(new ChannelStats(90, 5, 5, 1, 8, 1, 3), server);
        assertEquals(new ChannelStats(5, 90, 1, 5, 1, 8, 3), client);
        assertEquals(90 + 4 * 8, server.wireBytesSent());
        assertEquals(5 + 4, server.wireBytesReceived());
    }

    @Test
    void statsDifferenceMeasuresOnePhase() {
        ChannelStats a = new ChannelStats(10, 20, 1, 2, 1, 2, 3);
        ChannelStats b = new ChannelStats(15, 26, 2, 3, 2, 4, 5);
        assertEquals(new ChannelStats(5, 6, 1, 1, 1, 2, 2), b.minus(a));
    }
}
