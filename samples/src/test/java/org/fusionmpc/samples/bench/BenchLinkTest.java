package org.fusionmpc.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.ShapedLink;
import org.fusionmpc.api.channel.TcpListener;
import org.junit.jupiter.api.Test;

/**
 * Every bench line names its shaping; a kernel-shaped link (veth pair to a namespace, tc on both ends, the peer
 * in its own process) charges a known transfer bytes/rate + rounds·rtt (at least 90% of it, under 1.5 times it), where this process may
 * build one, and where it may not, the benches fall back to in-process shaping and say why.
 */
class BenchLinkTest {

    private static final ShapedLink.Spec WAN = ShapedLink.Spec.parse("50mbit:40ms");

    @Test
    void theShapingFieldSaysWhatRanAndWhyNotTheKernel() {
        assertEquals("none", BenchLink.inProcessShaping(null, BenchLink.Shaping.AUTO));
        String forced = BenchLink.inProcessShaping(WAN, BenchLink.Shaping.IN_PROCESS);
        assertEquals("in-process 50.0 Mbit/s, rtt 40.0 ms (kernel shaping: not asked for, --shaping in-process)", forced);
        assertFalse(BenchLink.kernel(WAN, BenchLink.Shaping.IN_PROCESS));
        assertFalse(BenchLink.kernel(null, BenchLink.Shaping.KERNEL));
        assertThrows(IllegalArgumentException.class, () -> BenchLink.Shaping.parse("netem"));
        if (NetnsLink.UNAVAILABLE != null) {
            assertFalse(BenchLink.kernel(WAN, BenchLink.Shaping.AUTO));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> BenchLink.kernel(WAN, BenchLink.Shaping.KERNEL));
            assertTrue(e.getMessage().contains(NetnsLink.UNAVAILABLE), e.getMessage());
            assertTrue(BenchLink.inProcessShaping(WAN, BenchLink.Shaping.AUTO).endsWith("(kernel shaping: " + NetnsLink.UNAVAILABLE + ")"));
        } else {
            assertTrue(BenchLink.kernel(WAN, BenchLink.Shaping.AUTO));
        }
    }

    @Test
    void theQdiscsCarryTheSpecsRateAndHalfItsRtt() {
        assertEquals(List.of("netem", "rate", "50000000bit", "delay", "20000us", "limit", "100000"), NetnsLink.netemArgs(WAN));
        assertEquals(List.of("tbf", "rate", "50000000bit", "burst", "65536", "latency", "100ms"), NetnsLink.tbfArgs(WAN));
        // A fast link's bucket holds 10 ms of its traffic.
        assertEquals("1250000", NetnsLink.tbfArgs(ShapedLink.Spec.parse("1gbit:1ms")).get(4));
    }

    @Test
    void aKnownTransferOverTheKernelShapedLinkTakesBytesOverRatePlusRoundsTimesRtt() throws Exception {
        if (NetnsLink.UNAVAILABLE != null) {
            // What this machine allows is checked: no link can be built, and opening one says why.
            Exception e = assertThrows(Exception.class, () -> NetnsLink.open(WAN).close());
            assertFalse(e.getMessage().isBlank());
            System.out.println("kernel shaping unavailable here: " + NetnsLink.UNAVAILABLE);
            return;
        }
        int bytes = 4 << 20;
        int rounds = 10;
        try (NetnsLink link = NetnsLink.open(WAN);
             TcpListener listener = TcpListener.bind(new InetSocketAddress(link.hostAddress(), 0), ChannelConfig.DEFAULT)) {
            List<String> cmd = new ArrayList<>(NetnsLink.javaCommand(List.of(), LinkPeer.class.getName()));
            cmd.addAll(List.of(link.hostAddress(), Integer.toString(listener.port()), Integer.toString(bytes), Integer.toString(rounds),
                    Long.toString(link.flushDelayNanos())));
            Process peer = new ProcessBuilder(link.inPeerNamespace(cmd)).redirectErrorStream(true).start();
            try (Channel c = link.wrapLocal(listener.accept())) {
                byte[] bulk = new byte[bytes];
                for (int i = 0; i < LinkPeer.WARM_UP; i++) {
                    c.send(new long[] {i});
                    c.receive(bulk, 0, 64 << 10);
                }
                long t0 = System.nanoTime();
                c.send(new long[] {-1});
                c.receive(bulk, 0, bytes);
                long t1 = System.nanoTime();
                long[] v = new long[1];
                for (int i = 0; i < rounds; i++) {
                    c.send(new long[] {2L * i});
                    c.receive(v, 0, 1);
                    assertEquals(2L * i + 1, v[0]);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                for (int i = 0; i < bytes; i++) {
                    assertEquals((byte) (i * 31), bulk[i], "byte " + i);
                }
                // The request and the bulk: one rtt and bytes/rate, where the link carries the payload in 1448-byte
                // segments of 1514 bytes on the wire (Ethernet, IP and TCP with timestamps at MTU 1500); each
                // ping-pong: one rtt.
                double wireBytes = bytes * 1514.0 / 1448;
                double expected = wireBytes / WAN.bytesPerSecond() + (rounds + 1) * WAN.rttNanos() / 1e9;
                System.out.printf("kernel-shaped link (%s): %.3f s (bulk %.3f s), expected %.3f s%n", link.describe(), seconds,
                        (t1 - t0) / 1e9, expected);
                assertTrue(seconds >= 0.9 * expected && seconds < 1.5 * expected, link.describe() + ": " + seconds + " s, expected " + expected + " s");
            }
            assertTrue(peer.waitFor(30, TimeUnit.SECONDS), "the peer process ends");
            assertEquals(0, peer.exitValue(), new String(peer.getInputStream().readAllBytes()));
        }
    }

    /** bench infer over --wan: the server in its own process across the kernel's link where possible, labels checked. */
    @Test
    void benchInferOverAWanRunsTheServerAcrossTheKernelLinkWherePossible() throws Exception {
        byte[] onnx;
        try (var in = BenchLinkTest.class.getResourceAsStream("/org/fusionmpc/samples/models/secureml-mlp.onnx")) {
            onnx = in.readAllBytes();
        }
        var net = org.fusionmpc.semihonest.OnnxImporter.load(onnx, "secureml-mlp");
        List<JsonLine> lines = new InferBench(net, onnx, org.fusionmpc.semihonest.Mnist.testSubset().first(2), false,
                org.fusionmpc.semihonest.LinearMode.DEFAULT, org.fusionmpc.semihonest.ComparisonMode.DEFAULT, s -> { })
                .withWan(ShapedLink.Spec.parse("1gbit:4ms")).run();
        assertEquals(3, lines.size());
        for (JsonLine line : lines.subList(0, 2)) {
            assertTrue(line.ok(), line.toJson());
            String shaping = (String) line.get("shaping");
            if (NetnsLink.UNAVAILABLE == null) {
                assertTrue(shaping.startsWith("kernel: veth to netns ") && "tls".equals(line.get("transport")), line.toJson());
                // Each flush is held once; a flight may flush more than once, never less.
                assertTrue(((Number) line.get("held_flushes")).longValue() >= ((Number) line.get("rounds")).longValue() / 2 - 1, line.toJson());
            } else {
                assertTrue(shaping.startsWith("in-process 1000.0 Mbit/s, rtt 4.0 ms (kernel shaping: "), line.toJson());
            }
        }
        assertTrue(lines.get(2).ok(), lines.get(2).toJson());
    }
}
