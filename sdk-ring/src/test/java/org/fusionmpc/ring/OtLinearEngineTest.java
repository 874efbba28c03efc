package org.fusionmpc.ring;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.fusionmpc.api.channel.Channel;
import org.fusionmpc.ot.OtReceiver;
import org.fusionmpc.ot.OtSender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Secure products against an independent plaintext Z_2^64 computation, for the layer shapes of DESIGN section 5. */
class OtLinearEngineTest {

    enum Values { RANDOM, ZERO, EXTREME }

    /** {name, operator factory from weights, number of weights}; geometry of the reference networks. */
    record Layer(String name, int weights, java.util.function.Function<long[], LinearOperator> make, int batch) {
        @Override
        public String toString() {
            return name + " x" + batch;
        }
    }

    static List<Layer> layers() {
        List<Layer> l = new ArrayList<>();
        l.add(new Layer("secureml-fc1 784->128", 128 * 784, w -> LinearOperator.dense(w, 128, 784), 1));
        l.add(new Layer("secureml-fc2 128->128", 128 * 128, w -> LinearOperator.dense(w, 128, 128), 3));
        l.add(new Layer("secureml-fc3 128->10", 10 * 128, w -> LinearOperator.dense(w, 10, 128), 5));
        l.add(new Layer("minionn-conv1 1x28x28 16@5x5", 16 * 25, w -> LinearOperator.conv2d(w, 1, 28, 28, 16, 5, 5, 1, 0), 1));
        l.add(new Layer("minionn-fc1 256->100", 100 * 256, w -> LinearOperator.dense(w, 100, 256), 2));
        l.add(new Layer("lenet-conv1 1x28x28 6@5x5 pad2", 6 * 25, w -> LinearOperator.conv2d(w, 1, 28, 28, 6, 5, 5, 1, 2), 1));
        l.add(new Layer("lenet-conv2 6x14x14 16@5x5", 16 * 6 * 25, w -> LinearOperator.conv2d(w, 6, 14, 14, 16, 5, 5, 1, 0), 1));
        l.add(new Layer("avgpool 2x2 stride 2 as conv, 2x6x6", 2 * 2 * 4, w -> LinearOperator.conv2d(w, 2, 6, 6, 2, 2, 2, 2, 0), 2));
        l.add(new Layer("depthwise avgpool 2x2 stride 2, 3x6x6", 3 * 4, w -> LinearOperator.conv2d(w, 3, 6, 6, 3, 2, 2, 2, 0, 3), 2));
        l.add(new Layer("grouped conv 4x5x5 6@3x3 groups 2", 6 * 2 * 9, w -> LinearOperator.conv2d(w, 4, 5, 5, 6, 3, 3, 1, 1, 2), 1));
        l.add(new Layer("conv stride 2 pad 1, 3x7x7 4@3x3", 4 * 3 * 9, w -> LinearOperator.conv2d(w, 3, 7, 7, 4, 3, 3, 2, 1), 2));
        return l;
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        for (TwoParties p : TwoParties.values()) {
            for (Layer layer : layers()) {
                c.add(Arguments.of(p, layer, p == TwoParties.IN_MEMORY ? Values.RANDOM : Values.EXTREME));
            }
        }
        c.add(Arguments.of(TwoParties.IN_MEMORY, layers().get(2), Values.ZERO));
        c.add(Arguments.of(TwoParties.IN_MEMORY, layers().get(10), Values.EXTREME));
        return c.stream();
    }

    static long[] fill(int n, Values v, SplittableRandom r) {
        long[] x = new long[n];
        long[] extremes = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 1, 0};
        for (int i = 0; i < n; i++) {
            x[i] = switch (v) {
                case RANDOM -> r.nextLong();
                case ZERO -> 0;
                case EXTREME -> i % 3 == 0 ? r.nextLong() : extremes[r.nextInt(extremes.length)];
            };
        }
        return x;
    }

    /** A plain convolution written directly from its definition, independent of LinearShape's pattern. */
    static long[] conv(long[] x, long[] w, int c, int h, int wd, int o, int kh, int kw, int s, int p, int groups, int batch) {
        int cg = c / groups;
        int oh = (h + 2 * p - kh) / s + 1;
        int ow = (wd + 2 * p - kw) / s + 1;
        long[] y = new long[batch * o * oh * ow];
        for (int b = 0; b < batch; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        long acc = 0;
                        for (int ci = oc / (o / groups) * cg; ci < (oc / (o / groups) + 1) * cg; ci++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int yy = i * s + u - p;
                                    int xx = j * s + v - p;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) {
                                        acc += w[((oc * cg + ci % cg) * kh + u) * kw + v] * x[b * c * h * wd + (ci * h + yy) * wd + xx];
                                    }
                                }
                            }
                        }
                        y[b * o * oh * ow + (oc * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
        return y;
    }

    static long[] reference(LinearOperator op, long[] w, long[] x, int batch) {
        LinearShape s = op.shape();
        int[] g = s.geometry();
        if (s.kind() == LinearShape.Kind.CONV2D) {
            return conv(x, w, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[10], batch);
        }
        int m = g[0];
        int n = g[1];
        long[] y = new long[m * batch];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < m; o++) {
                long acc = 0;
                for (int k = 0; k < n; k++) {
                    acc += w[o * n + k] * x[b * n + k];
                }
                y[b * m + o] = acc;
            }
        }
        return y;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void secureProductEqualsPlaintextExactly(TwoParties parties, Layer layer, Values values) throws Exception {
        SplittableRandom r = new SplittableRandom(layer.name().hashCode());
        long[] w = fill(layer.weights(), values, r);
        LinearOperator op = layer.make().apply(w);
        int batch = layer.batch();
        long[] x = fill(op.shape().inputs() * batch, values, r);
        long[] xs = fill(x.length, Values.RANDOM, r);
        long[] xc = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            xc[i] = x[i] - xs[i];
        }
        Object[] got = parties.run(ch -> OtLinearEngine.server(ch).server(op, xs, batch),
                ch -> OtLinearEngine.client(ch).client(op.shape(), xc, batch));
        long[] ys = (long[]) got[0];
        long[] yc = (long[]) got[1];
        long[] y = new long[ys.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = ys[i] + yc[i];
        }
        assertArrayEquals(reference(op, w, x, batch), y, layer.toString());
    }

    @Test
    void trafficIsTheGilboaCountPlusIknpColumns() throws Exception {
        LinearOperator op = LinearOperator.dense(new long[128 * 784], 128, 784);
        Channel[] pair = TwoParties.IN_MEMORY.pair();
        var server = java.util.concurrent.CompletableFuture.supplyAsync(() -> OtLinearEngine.server(pair[0]));
        OtLinearEngine client = OtLinearEngine.client(pair[1]);
        OtLinearEngine s = server.get();
        var before = pair[0].stats();
        var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> s.server(op, new long[784], 1));
        client.client(op.shape(), new long[784], 1);
        run.get();
        var t = pair[0].stats().minus(before);
        long corrections = GilboaProduct.correctionBytesPerColumn(op.shape());
        assertEquals(128L * 784 * 260, corrections);
        assertTrue(t.bytesSent() >= corrections && t.bytesSent() < corrections + 64 * 100, t.toString());
        assertEquals(784L * 64 * 4, t.bytesReceived(), t.toString()); // one SoftSpokenOT correction (k = 4: 4 bytes) per OT
        pair[0].close();
        pair[1].close();
    }

    @Test
    void mismatchedShapesFailBeforeAnyMessage() throws Exception {
        Channel[] pair = TwoParties.IN_MEMORY.pair();
        OtSender noOt = new OtSender() {
            public long[] delta() { throw new AssertionError(); }
            public void correlated(int n, long[] q) { throw new AssertionError("sent"); }
            public void random(int n, long[] m0, long[] m1) { throw new AssertionError("sent"); }
            public void chosen(int n, long[] x0, long[] x1, int l) { throw new AssertionError("sent"); }
        };
        OtReceiver noOtR = new OtReceiver() {
            public void correlated(int n, long[] c, long[] t) { throw new AssertionError("sent"); }
            public void random(int n, long[] c, long[] m) { throw new AssertionError("sent"); }
            public void chosen(int n, long[] c, long[] o, int l) { throw new AssertionError("sent"); }
        };
        LinearOperator op = LinearOperator.dense(new long[6], 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OtLinearEngine.server(pair[0], noOt).server(op, new long[4], 1));
        assertTrue(e.getMessage().contains("takes 3 inputs per column; got 4 values for a batch of 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OtLinearEngine.client(pair[1], noOtR).client(op.shape(), new long[7], 2));
        assertThrows(IllegalArgumentException.class, () -> LinearOperator.dense(new long[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> LinearShape.conv2d(1, 4, 4, 1, 5, 5, 1, 0));
        assertEquals(0, pair[0].stats().bytesSent() + pair[1].stats().bytesSent());
    }
}
