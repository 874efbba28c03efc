package org.fusionmpc.samples.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.api.channel.ChannelConfig;
import org.fusionmpc.api.channel.InMemoryChannel;
import org.fusionmpc.api.channel.TcpChannel;
import org.fusionmpc.api.channel.TcpListener;
import org.fusionmpc.gc.BristolFashion;
import org.fusionmpc.gc.CircuitBuilder;
import org.fusionmpc.gc.Circuits;
import org.junit.jupiter.api.Test;

class CircuitTwoPcTest {

    /** A Bristol file with two 64-bit inputs and two outputs: a - b and [a < b signed], written by the SDK's writer. */
    static BristolFashion.Parsed file() {
        CircuitBuilder c = new CircuitBuilder();
        int[] a = c.garblerInput(64);
        int[] b = c.evaluatorInput(64);
        int[] diff = Circuits.subtract(c, a, b);
        int lt = Circuits.lessThanSigned(c, a, b);
        int[] outs = new int[65];
        System.arraycopy(diff, 0, outs, 0, 64);
        outs[64] = lt;
        StringWriter w = new StringWriter();
        BristolFashion.write(c.outputs(outs).build(), w);
        BristolFashion.Parsed flat = BristolFashion.parse(new StringReader(w.toString()), 1);
        // The writer emits one output value; split it as a user's file would declare it.
        return new BristolFashion.Parsed(flat.circuit(), flat.inputWidths(), new int[] {64, 1});
    }

    static Channel[] pair(boolean tcp) throws Exception {
        if (!tcp) {
            return InMemoryChannel.pair();
        }
        try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ChannelConfig.DEFAULT)) {
            CompletableFuture<Channel> a = CompletableFuture.supplyAsync(l::accept);
            Channel c = TcpChannel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), l.port()), ChannelConfig.DEFAULT);
            return new Channel[] {a.get(30, TimeUnit.SECONDS), c};
        }
    }

    @Test
    void outputsEqualPlaintextOverMemoryAndTcpAndBothLearnThemWhenAsked() throws Exception {
        BristolFashion.Parsed f = file();
        SplittableRandom r = new SplittableRandom(3);
        for (boolean tcp : new boolean[] {false, true}) {
            for (long[] ab : new long[][] {{5, 7}, {-1, 1}, {Long.MIN_VALUE, Long.MAX_VALUE}, {r.nextLong(), r.nextLong()}}) {
                BigInteger a = new BigInteger(Long.toUnsignedString(ab[0]));
                BigInteger b = new BigInteger(Long.toUnsignedString(ab[1]));
                Channel[] p = pair(tcp);
                try (Channel g = p[0]; Channel e = p[1]) {
                    CompletableFuture<List<BigInteger>> garbler = CompletableFuture.supplyAsync(() -> CircuitTwoPc.garbler(g, f, 1, List.of(a), true));
                    List<BigInteger> out = CircuitTwoPc.evaluator(e, f, 1, List.of(b), true);
                    assertEquals(new BigInteger(Long.toUnsignedString(ab[0] - ab[1])), out.get(0));
                    assertEquals(BigInteger.valueOf(ab[0] < ab[1] ? 1 : 0), out.get(1));
                    assertEquals(out, garbler.get(30, TimeUnit.SECONDS));
                }
            }
        }
    }

    @Test
    void inputsThatDoNotFitTheFileAreRefusedBeforeAnythingIsSent() {
        BristolFashion.Parsed f = file();
        Channel[] p = InMemoryChannel.pair();
        assertThrows(IllegalArgumentException.class, () -> CircuitTwoPc.toBits(f.inputWidths(), 0, 1, List.of(BigInteger.TWO.pow(64))));
        assertThrows(IllegalArgumentException.class, () -> CircuitTwoPc.toBits(f.inputWidths(), 0, 1, List.of()));
        assertEquals(0, p[0].stats().bytesSent());
    }
}
