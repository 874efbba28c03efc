package org.fusionmpc.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.ChannelException;
import org.fusionmpc.api.channel.TcpListener;

/**
 * Fuzzes the frame decoder and the handshake parser: random bytes and mutations of a committed corpus
 * (src/test/resources/fuzz/frames.txt) arrive on a real TCP channel, and the receiving side must end in a
 * {@link ChannelException} (or, for input that starts with a valid session, succeed), never another
 * exception, never a hang or a large allocation. A seeded mutation loop: {@code -Dfusion.fuzz.tries=N} runs
 * longer, {@code -Dfusion.fuzz.seed=S} reproduces a run.
 */
class FrameFuzzTest {

    static final ProtocolId ECHO = new ProtocolId("echo-sum", 1);
    static final ChannelConfig CONFIG = ChannelConfig.DEFAULT.withIoTimeout(Duration.ofMillis(300)).withMaxFrameBytes(1 << 16);
    static TcpListener listener;

    static final int TRIES = Integer.getInteger("fusion.fuzz.tries", 300);
    static final long SEED = Long.getLong("fusion.fuzz.seed", 20261125L);

    @BeforeAll
    static void listen() {
        listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONFIG);
    }

    @AfterAll
    static void close() {
        listener.close();
    }

    static List<byte[]> corpus() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        try (InputStream in = FrameFuzzTest.class.getResourceAsStream("/fuzz/frames.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    seeds.add(HexFormat.of().parseHex(line.split(" ")[1].strip()));
                }
            }
        }
        return seeds;
    }

    /** The next input: a seed, a mutated seed (one to four mutations), or random bytes. */
    static byte[] next(List<byte[]> seeds, SplittableRandom r) {
        int kind = r.nextInt(4);
        if (kind == 0) {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            return b;
        }
        byte[] b = seeds.get(r.nextInt(seeds.size()));
        for (int m = 0; m < kind; m++) {
            b = mutate(b, r.nextInt(1 << 20), r.nextInt(4));
        }
        return b;
    }

    /** Flip a byte, truncate, or duplicate a prefix, chosen and placed by {@code r}. */
    static byte[] mutate(byte[] s, int r, int how) {
        if (s.length == 0) {
            return new byte[] {(byte) r};
        }
        byte[] b = s.clone();
        int at = r % b.length;
        switch (how) {
            case 0 -> b[at] ^= (byte) (1 << (r % 8));
            case 1 -> b = java.util.Arrays.copyOf(b, at);
            case 2 -> {
                byte[] d = new byte[b.length + at];
                System.arraycopy(b, 0, d, 0, b.length);
                System.arraycopy(b, 0, d, b.length, at);
                b = d;
            }
            default -> b[at] = (byte) r;
        }
        return b;
    }

    @Test
    void anyBytesEndInAChannelErrorOrAValidSession() throws Exception {
        List<byte[]> seeds = corpus();
        SplittableRandom r = new SplittableRandom(SEED);
        for (int t = 0; t < TRIES; t++) {
            byte[] bytes = t < seeds.size() ? seeds.get(t) : next(seeds, r);
            try {
                feed(bytes);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("input " + t + " (" + HexFormat.of().formatHex(bytes) + "), seed " + SEED + ": " + e, e);
            }
        }
    }

    static void feed(byte[] bytes) throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
            OutputStream out = raw.getOutputStream();
            out.write(bytes);
            out.flush();
            raw.shutdownOutput();
            try (Channel ch = listener.accept()) {
                Session.open(ch, Role.SERVER, ECHO);
                long[] x = new long[4];
                ch.receive(x, 0, 4);
                // Only input that starts with the valid hello frame and a 32-byte message gets this far.
                byte[] valid = corpus().get(0);
                assertEquals(HexFormat.of().formatHex(valid, 0, 28), HexFormat.of().formatHex(bytes, 0, 28));
                assertEquals(true, bytes.length >= 60);
            } catch (ChannelException expected) {
                // the decoder or the handshake refused the bytes, as it must
            }
        }
    }
}
