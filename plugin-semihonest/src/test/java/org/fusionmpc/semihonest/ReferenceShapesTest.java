package org.fusionmpc.semihonest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.he.HeLinearEngine;
import org.fusionmpc.ring.FixedPoint;
import org.fusionmpc.ring.LinearOperator;
import org.fusionmpc.ring.LinearShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every distinct linear shape of ResNet-50 (and MiniONN CIFAR-10) through the RLWE engine, with the network's
 * own weights and uniformly random shares mod 2^37 (edge values first): the two output shares must sum to the
 * plaintext product mod 2^37, computed here by a direct convolution on longs, independent of the engine's
 * encodings and of the explicit pattern that ResNet's largest layers are too big for.
 */
class ReferenceShapesTest {

    static final int L = HeLinearEngine.DEFAULT_PLAIN_BITS;
    static final long MASK = (1L << L) - 1;

    static Stream<Arguments> shapes() {
        Map<LinearShape, Layer.Linear> distinct = new LinkedHashMap<>();
        for (String name : new String[] {"resnet50", "minionn-cifar10"}) {
            Network net = OnnxImporter.load(ReferenceNetworks.onnx(name, ReferenceNetworks.DEFAULT_SEED), name);
            for (Layer l : net.layers()) {
                if (l instanceof Layer.Linear lin) {
                    distinct.putIfAbsent(lin.shape(), lin);
                }
            }
        }
        return distinct.values().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void sharesOfEveryReferenceShapeSumToThePlaintextProduct(Layer.Linear layer) throws Exception {
        LinearOperator op = layer.operator(FixedPoint.defaults());
        LinearShape shape = op.shape();
        SplittableRandom r = new SplittableRandom(shape.hashCode());
        long[] edges = {0, 1, MASK, 1L << (L - 1), (1L << (L - 1)) - 1, MASK - 1};
        long[] x = new long[shape.inputs()];
        long[] serverShare = new long[shape.inputs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i < edges.length ? edges[i] : r.nextLong() & MASK;
            serverShare[i] = r.nextLong() & MASK;
        }
        Object[] got = TwoParties.IN_MEMORY.run(ch -> HeLinearEngine.server(ch, L).server(op, serverShare, 1),
                ch -> HeLinearEngine.client(ch, L).client(shape, x, 1));
        long[] ys = (long[]) got[0];
        long[] yc = (long[]) got[1];
        long[] sum = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            sum[i] = x[i] + serverShare[i];
        }
        long[] want = plain(layer, op.weights(), sum);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i] & MASK, (ys[i] + yc[i]) & MASK, layer + ", output " + i);
        }
    }

    /** W·x mod 2^64 by the definition of a (grouped, strided, padded) convolution or a dense product. */
    static long[] plain(Layer.Linear layer, long[] w, long[] x) {
        int[] g = layer.geometry();
        if (!layer.conv()) {
            long[] y = new long[g[0]];
            for (int o = 0; o < g[0]; o++) {
                long acc = 0;
                for (int k = 0; k < g[1]; k++) {
                    acc += w[o * g[1] + k] * x[k];
                }
                y[o] = acc;
            }
            return y;
        }
        int c = g[0], h = g[1], wd = g[2], o = g[3], kh = g[4], kw = g[5], s = g[6], p = g[7], groups = g[8];
        int oh = (h + 2 * p - kh) / s + 1;
        int ow = (wd + 2 * p - kw) / s + 1;
        int cg = c / groups;
        long[] y = new long[o * oh * ow];
        for (int oc = 0; oc < o; oc++) {
            int first = oc / (o / groups) * cg;
            for (int ci = 0; ci < cg; ci++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        long wt = w[((oc * cg + ci) * kh + u) * kw + v];
                        for (int i = 0; i < oh; i++) {
                            int yy = i * s + u - p;
                            if (yy < 0 || yy >= h) {
                                continue;
                            }
                            int in = ((first + ci) * h + yy) * wd;
                            int out = (oc * oh + i) * ow;
                            for (int j = 0; j < ow; j++) {
                                int xx = j * s + v - p;
                                if (xx >= 0 && xx < wd) {
                                    y[out + j] += wt * x[in + xx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }
}
