package org.fusionmpc.samples.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.channel.Listener;
import org.fusionmpc.api.channel.TcpChannel;
import org.fusionmpc.api.channel.TcpListener;
import org.fusionmpc.api.channel.TlsChannel;
import org.fusionmpc.api.channel.TlsListener;
import org.fusionmpc.api.random.Prg;
import org.fusionmpc.api.tls.TlsConfig;
import org.fusionmpc.api.tls.TlsIdentity;
import org.fusionmpc.api.tls.TlsProvider;

/**
 * Throughput of each channel for 64 KiB messages and the latency of a ping-pong, each beside a baseline
 * measured in the same run: a plain memory copy for the in-memory channel, a raw NIO socket pair (no framing,
 * no accounting, no TLS, 256 KiB writes like the channel's buffer) for TCP and TLS. Every received message is
 * checked (sequence number and content).
 */
public final class ChannelBench {

    public static final int MESSAGE_BYTES = 64 << 10;

    /** Every figure, baselines included, is the best of this many runs: the machines are shared and noisy. */
    public static final int REPETITIONS = 3;

    private final int messages;
    private final int pings;
    private final Consumer<String> progress;

    /**
     * @param messages 64 KiB messages per throughput measurement (after a warm-up of a quarter as many)
     * @param pings    round trips per latency measurement
     */
    public ChannelBench(int messages, int pings, Consumer<String> progress) {
        this.messages = messages;
        this.pings = pings;
        this.progress = progress;
    }

    private enum Kind { IN_MEMORY, TCP, TLS, TLS_JDK }

    public List<JsonLine> run() throws Exception {
        List<JsonLine> lines = new ArrayList<>();
        progress.accept("baselines: memory copy and raw TCP");
        double memcpy = 0;
        double rawTcp = 0;
        double rawPing = Double.MAX_VALUE;
        for (int r = 0; r < REPETITIONS; r++) {
            memcpy = Math.max(memcpy, memcpyMegabytesPerSecond());
            rawTcp = Math.max(rawTcp, rawTcpMegabytesPerSecond());
            rawPing = Math.min(rawPing, rawTcpPingMicros());
        }
        TlsIdentity server = TlsIdentity.selfSigned("bench-server");
        for (Kind kind : Kind.values()) {
            progress.accept("channel " + name(kind));
            String[] provider = new String[1];
            Throughput t = null;
            for (int r = 0; r < REPETITIONS; r++) {
                Throughput next = throughput(kind, server, provider);
                t = t == null || next.megabytesPerSecond > t.megabytesPerSecond
                        ? new Throughput(next.megabytesPerSecond, next.bytesSent, next.bytesReceived, next.rounds,
                                next.ok && (t == null || t.ok))
                        : new Throughput(t.megabytesPerSecond, t.bytesSent, t.bytesReceived, t.rounds, t.ok && next.ok);
            }
            JsonLine line = new JsonLine("channel-" + name(kind), "MB/s", t.megabytesPerSecond)
                    .baseline(kind == Kind.IN_MEMORY ? "memcpy" : "tcp-raw", kind == Kind.IN_MEMORY ? memcpy : rawTcp)
                    .put("n", messages).put("message_bytes", MESSAGE_BYTES)
                    .put("bytes_sent", t.bytesSent).put("bytes_received", t.bytesReceived).put("rounds", t.rounds)
                    .put("ok", t.ok);
            if (provider[0] != null) {
                line.put("tls_provider", provider[0]);
            }
            lines.add(line);
        }
        for (Kind kind : new Kind[] {Kind.IN_MEMORY, Kind.TCP, Kind.TLS}) {
            progress.accept("ping-pong " + name(kind));
            String[] provider = new String[1];
            Ping p = null;
            for (int r = 0; r < REPETITIONS; r++) {
                Ping next = ping(kind, server, provider);
                p = p == null || next.microsPerRoundTrip < p.microsPerRoundTrip
                        ? new Ping(next.microsPerRoundTrip, next.bytesSent, next.bytesReceived, next.rounds,
                                next.ok && (p == null || p.ok))
                        : new Ping(p.microsPerRoundTrip, p.bytesSent, p.bytesReceived, p.rounds, p.ok && next.ok);
            }
            JsonLine line = new JsonLine("pingpong-" + name(kind), "us", p.microsPerRoundTrip)
                    .baseline("pingpong-tcp-raw", rawPing).put("n", pings)
                    .put("bytes_sent", p.bytesSent).put("bytes_received", p.bytesReceived).put("rounds", p.rounds)
                    .put("ok", p.ok);
            if (provider[0] != null) {
                line.put("tls_provider", provider[0]);
            }
            lines.add(line);
        }
        return lines;
    }

    private static String name(Kind kind) {
        return switch (kind) {
            case IN_MEMORY -> "inmem";
            case TCP -> "tcp";
            case TLS -> "tls";
            case TLS_JDK -> "tls-jdk";
        };
    }

    // ------------------------------------------------------------------ channels

    private static Channel[] pair(Kind kind, TlsIdentity server, String[] provider) throws Exception {
        ChannelConfig config = ChannelConfig.DEFAULT;
        if (kind == Kind.IN_MEMORY) {
            return InMemoryChannel.pair(config);
        }
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        TlsProvider p = kind == Kind.TLS_JDK ? TlsProvider.JDK : TlsProvider.AUTO;
        try (Listener listener = kind == Kind.TCP ? TcpListener.bind(any, config)
                : TlsListener.bind(any, config, TlsConfig.builder().identity(server).provider(p).build())) {
            CompletableFuture<Channel> accepted = CompletableFuture.supplyAsync(listener::accept);
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.port());
            Channel client = kind == Kind.TCP ? TcpChannel.connect(at, config)
                    : TlsChannel.connect(at, config, TlsConfig.builder().pinPeer(server.fingerprint()).provider(p).build());
            if (client instanceof TlsChannel tls) {
                provider[0] = tls.provider();
            }
            return new Channel[] {client, accepted.get(30, TimeUnit.SECONDS)};
        }
    }

    private record Throughput(double megabytesPerSecond, long bytesSent, long bytesReceived, long rounds, boolean ok) {
    }

    private Throughput throughput(Kind kind, TlsIdentity server, String[] provider) throws Exception {
        Channel[] pair = pair(kind, server, provider);
        try (Channel sender = pair[0]; Channel receiver = pair[1]) {
            byte[] payload = new byte[MESSAGE_BYTES];
            new Prg(new byte[16]).nextBytes(payload);
            int warm = Math.max(1, messages / 4);
            CompletableFuture<Boolean> checked = CompletableFuture.supplyAsync(() -> {
                byte[] in = new byte[MESSAGE_BYTES];
                boolean ok = true;
                for (int i = 0; i < warm + messages; i++) {
                    receiver.receive(in, 0, MESSAGE_BYTES);
                    ok &= sequence(in) == i && in[MESSAGE_BYTES - 1] == payload[MESSAGE_BYTES - 1];
                }
                receiver.send(new byte[] {(byte) (ok ? 1 : 0)});
                receiver.flush();
                return ok;
            });
            for (int i = 0; i < warm; i++) {
                stamp(payload, i);
                sender.send(payload);
            }
            sender.flush();
            long start = System.nanoTime();
            for (int i = warm; i < warm + messages; i++) {
                stamp(payload, i);
                sender.send(payload);
            }
            byte[] ack = new byte[1];
            sender.receive(ack, 0, 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            boolean ok = checked.get(60, TimeUnit.SECONDS) && ack[0] == 1;
            return new Throughput(messages * (double) MESSAGE_BYTES / 1e6 / seconds, sender.stats().bytesSent(),
                    sender.stats().bytesReceived(), sender.stats().rounds(), ok);
        }
    }

    private record Ping(double microsPerRoundTrip, long bytesSent, long bytesReceived, long rounds, boolean ok) {
    }

    private Ping ping(Kind kind, TlsIdentity server, String[] provider) throws Exception {
        Channel[] pair = pair(kind, server, provider);
        try (Channel a = pair[0]; Channel b = pair[1]) {
            int warm = Math.max(100, pings / 4);
            int total = warm + pings;
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                long[] v = new long[1];
                for (int i = 0; i < total; i++) {
                    b.receive(v, 0, 1);
                    v[0]++;
                    b.send(v);
                    b.flush();
                }
            });
            long[] v = new long[1];
            boolean ok = true;
            long start = 0;
            for (int i = 0; i < total; i++) {
                if (i == warm) {
                    start = System.nanoTime();
                }
                v[0] = 2L * i;
                a.send(v);
                a.receive(v, 0, 1);
                ok &= v[0] == 2L * i + 1;
            }
            double micros = (System.nanoTime() - start) / 1e3 / pings;
            echo.get(60, TimeUnit.SECONDS);
            return new Ping(micros, a.stats().bytesSent(), a.stats().bytesReceived(), a.stats().rounds(), ok);
        }
    }

    private static void stamp(byte[] payload, int i) {
        payload[0] = (byte) i;
        payload[1] = (byte) (i >>> 8);
        payload[2] = (byte) (i >>> 16);
        payload[3] = (byte) (i >>> 24);
    }

    private static int sequence(byte[] b) {
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    // ------------------------------------------------------------------ baselines

    /** One thread copying 64 KiB arrays: the floor the in-memory channel (two copies, two threads) is compared with. */
    private double memcpyMegabytesPerSecond() {
        byte[] src = new byte[MESSAGE_BYTES];
        byte[] dst = new byte[MESSAGE_BYTES];
        long sink = 0;
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                src[0] = (byte) i;
                System.arraycopy(src, 0, dst, 0, MESSAGE_BYTES);
                sink += dst[0];
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (round == 1) {
                return sink == Long.MIN_VALUE ? 0 : messages * (double) MESSAGE_BYTES / 1e6 / seconds;
            }
        }
        throw new AssertionError();
    }

    private static SocketChannel[] rawPair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new SocketChannel[] {client, accepted};
        }
    }

    /** Blocking NIO sockets and direct buffers moving the same bytes with no framing at all. */
    private double rawTcpMegabytesPerSecond() throws Exception {
        SocketChannel[] pair = rawPair();
        try (SocketChannel out = pair[0]; SocketChannel in = pair[1]) {
            long warm = (long) Math.max(1, messages / 4) * MESSAGE_BYTES;
            long total = warm + (long) messages * MESSAGE_BYTES;
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(256 << 10);
                try {
                    for (long got = 0; got < total; ) {
                        int n = in.read(buf.clear());
                        if (n < 0) {
                            throw new IOException("raw TCP peer closed early");
                        }
                        got += n;
                    }
                    in.write(ByteBuffer.wrap(new byte[1]));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            ByteBuffer buf = ByteBuffer.allocateDirect(ChannelConfig.DEFAULT.bufferBytes());
            long start = 0;
            for (long sent = 0; sent < total; ) {
                if (start == 0 && sent >= warm) {
                    start = System.nanoTime();
                }
                buf.clear().limit((int) Math.min(buf.capacity(), total - sent));
                while (buf.hasRemaining()) {
                    sent += out.write(buf);
                }
            }
            out.read(ByteBuffer.allocate(1));
            double seconds = (System.nanoTime() - start) / 1e9;
            reader.get(60, TimeUnit.SECONDS);
            return (total - warm) / 1e6 / seconds;
        }
    }

    private double rawTcpPingMicros() throws Exception {
        SocketChannel[] pair = rawPair();
        try (SocketChannel a = pair[0]; SocketChannel b = pair[1]) {
            int warm = Math.max(100, pings / 4);
            int total = warm + pings;
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(8);
                try {
                    for (int i = 0; i < total; i++) {
                        readFully(b, buf.clear());
                        b.write(buf.flip());
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            ByteBuffer buf = ByteBuffer.allocateDirect(8);
            long start = 0;
            for (int i = 0; i < total; i++) {
                if (i == warm) {
                    start = System.nanoTime();
                }
                buf.clear().putLong(0, i);
                a.write(buf);
                readFully(a, buf.clear());
            }
            double micros = (System.nanoTime() - start) / 1e3 / pings;
            echo.get(60, TimeUnit.SECONDS);
            return micros;
        }
    }

    private static void readFully(SocketChannel c, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (c.read(buf) < 0) {
                throw new IOException("raw TCP peer closed early");
            }
        }
    }
}
