package org.fusionmpc.semihonest;

import org.fusionmpc.api.testing.TwoParties;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.fusionmpc.ring.FixedPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every supported operator in a tiny generated model: import and secure inference against ONNX Runtime. */
class OperatorsTest {

    record Case(String name, long[] dims, Supplier<byte[]> model) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("Conv stride 2 pad 1", new long[] {1, 2, 7, 7}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 7, 7);
            return m.node("Conv", List.of(m.weight(3, 2, 3, 3), m.weight(3)), OnnxGraphBuilder.ints("kernel_shape", 3, 3),
                    OnnxGraphBuilder.ints("strides", 2, 2), OnnxGraphBuilder.ints("pads", 1, 1, 1, 1)).build();
        }));
        c.add(new Case("Conv grouped, no bias", new long[] {1, 4, 5, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 4, 5, 5);
            return m.node("Conv", List.of(m.weight(2, 2, 3, 3)), OnnxGraphBuilder.integer("group", 2)).build();
        }));
        c.add(new Case("Flatten Gemm transB", new long[] {1, 2, 3, 3}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 3, 3);
            m.node("Flatten", List.of(), OnnxGraphBuilder.integer("axis", 1));
            return m.node("Gemm", List.of(m.weight(5, 18), m.weight(5)), OnnxGraphBuilder.integer("transB", 1),
                    OnnxGraphBuilder.real("alpha", 0.5f), OnnxGraphBuilder.real("beta", 2f)).build();
        }));
        c.add(new Case("Reshape Gemm", new long[] {1, 2, 2, 2}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 2, 2);
            m.node("Reshape", List.of(m.int64s(1, -1)));
            return m.node("Gemm", List.of(m.weight(8, 4), m.weight(4))).build();
        }));
        c.add(new Case("Flatten MatMul Add", new long[] {1, 1, 3, 4}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 1, 3, 4);
            m.node("Flatten", List.of());
            m.node("MatMul", List.of(m.weight(12, 6)));
            return m.node("Add", List.of(m.weight(6))).build();
        }));
        c.add(new Case("Identity of an initializer as a bias (PyTorch's shared parameter)", new long[] {1, 4}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 4);
            String x = m.current();
            String bias = m.from(m.weight(3)).node("Identity", List.of()).current();
            return m.from(x).node("Gemm", List.of(m.weight(4, 3), bias)).node("Relu", List.of()).build();
        }));
        c.add(new Case("Pad of zero width with attribute pads (opset 10) before AveragePool", new long[] {1, 2, 4, 4}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 4, 4).opset(10);
            m.node("Pad", List.of(), OnnxGraphBuilder.ints("pads", 0, 0, 0, 0, 0, 0, 0, 0));
            return m.node("AveragePool", List.of(), OnnxGraphBuilder.ints("kernel_shape", 2, 2), OnnxGraphBuilder.ints("strides", 2, 2)).build();
        }));
        c.add(new Case("Gemm Relu Gemm LogSoftmax (pytorch/examples' MNIST ending)", new long[] {1, 6}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 6);
            m.node("Gemm", List.of(m.weight(6, 5), m.weight(5))).node("Relu", List.of()).node("Gemm", List.of(m.weight(5, 4), m.weight(4)));
            return m.node("LogSoftmax", List.of(), OnnxGraphBuilder.integer("axis", 1)).build();
        }));
        c.add(new Case("Conv Flatten Gemm Softmax (default axis)", new long[] {1, 1, 4, 4}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 1, 4, 4);
            m.node("Conv", List.of(m.weight(2, 1, 3, 3), m.weight(2))).node("Relu", List.of()).node("Flatten", List.of());
            return m.node("Gemm", List.of(m.weight(8, 3), m.weight(3))).node("Softmax", List.of()).build();
        }));
        c.add(new Case("x.view(x.size(0), -1) exported with a dynamic batch (Shape Gather Unsqueeze Concat Reshape)", new long[] {1, 2, 3, 3}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 3, 3);
            String x = m.node("Conv", List.of(m.weight(2, 2, 3, 3), m.weight(2)), OnnxGraphBuilder.ints("pads", 1, 1, 1, 1)).node("Relu", List.of()).current();
            m.node("Shape", List.of()).node("Gather", List.of(m.int64Scalar(0)), OnnxGraphBuilder.integer("axis", 0));
            String target = m.node("Unsqueeze", List.of(m.int64s(0))).node("Concat", List.of(m.int64s(-1)), OnnxGraphBuilder.integer("axis", 0)).current();
            return m.from(x).node("Reshape", List.of(target)).node("Gemm", List.of(m.weight(18, 4), m.weight(4))).build();
        }));
        c.add(new Case("input normalised as (x - 0.1307) / 0.3081 inside the model, then a padded Conv", new long[] {1, 1, 5, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 1, 5, 5);
            m.node("Sub", List.of(m.tensor(new long[] {1}, new float[] {0.1307f}))).node("Div", List.of(m.tensor(new long[] {1}, new float[] {0.3081f})));
            return m.node("Conv", List.of(m.weight(2, 1, 3, 3), m.weight(2)), OnnxGraphBuilder.ints("pads", 1, 1, 1, 1)).node("Relu", List.of()).build();
        }));
        c.add(new Case("per-channel normalisation, then BatchNormalization on the input, then Conv", new long[] {1, 3, 4, 4}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 3, 4, 4);
            m.node("Sub", List.of(m.tensor(new long[] {1, 3, 1, 1}, new float[] {0.485f, 0.456f, 0.406f})));
            m.node("Mul", List.of(m.tensor(new long[] {3, 1, 1}, new float[] {4.4f, 4.5f, 4.4f})));
            String var = m.tensor(new long[] {3}, new float[] {0.5f, 1.5f, 2f});
            m.node("BatchNormalization", List.of(m.weight(3), m.weight(3), m.weight(3), var));
            return m.node("Conv", List.of(m.weight(2, 3, 3, 3), m.weight(2))).node("Relu", List.of()).build();
        }));
        c.add(new Case("Conv Relu ReduceMean over (2, 3), keepdims 0, Gemm", new long[] {1, 2, 4, 4}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 4, 4);
            m.node("Conv", List.of(m.weight(3, 2, 3, 3), m.weight(3)), OnnxGraphBuilder.ints("pads", 1, 1, 1, 1)).node("Relu", List.of());
            m.node("ReduceMean", List.of(), OnnxGraphBuilder.ints("axes", 2, 3), OnnxGraphBuilder.integer("keepdims", 0));
            return m.node("Gemm", List.of(m.weight(3, 2), m.weight(2))).build();
        }));
        c.add(new Case("Conv Mul 0.5, Relu Div 4 (scalings folded into the Conv)", new long[] {1, 1, 5, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 1, 5, 5);
            m.node("Conv", List.of(m.weight(2, 1, 3, 3), m.weight(2))).node("Mul", List.of(m.tensor(new long[] {}, new float[] {0.5f})));
            m.node("Relu", List.of()).node("Div", List.of(m.tensor(new long[] {1}, new float[] {4f}))).node("Flatten", List.of());
            return m.node("Gemm", List.of(m.weight(18, 3))).build();
        }));
        c.add(new Case("Conv Clip(0, 6) as ReLU6, bounds as inputs (opset 11+)", new long[] {1, 1, 5, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 1, 5, 5);
            m.node("Conv", List.of(m.tensor(new long[] {2, 1, 3, 3}, new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0, 1, -1, 0, 1, -1, 0, 1}), m.weight(2)));
            m.node("Clip", List.of(m.tensor(new long[] {}, new float[] {0f}), m.tensor(new long[] {}, new float[] {6f}))).node("Flatten", List.of());
            return m.node("Gemm", List.of(m.weight(18, 3))).build();
        }));
        c.add(new Case("Gemm Clip(-0.5, 0.5) as Hardtanh, bounds as attributes (opset 10)", new long[] {1, 6}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 6).opset(10);
            m.node("Gemm", List.of(m.weight(6, 5), m.weight(5)));
            return m.node("Clip", List.of(), OnnxGraphBuilder.real("min", -0.5f), OnnxGraphBuilder.real("max", 0.5f)).build();
        }));
        c.add(new Case("Clip with only a max (no min input), then a residual Add", new long[] {1, 4}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 4);
            String x = m.current();
            m.node("Clip", List.of("", m.tensor(new long[] {}, new float[] {0.25f})));
            return m.node("Add", List.of(x)).node("Gemm", List.of(m.weight(4, 2))).build();
        }));
        c.add(new Case("Conv LeakyRelu(0.1) Conv, and LeakyRelu default slope", new long[] {1, 2, 5, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 5, 5);
            m.node("Conv", List.of(m.weight(3, 2, 3, 3), m.weight(3)), OnnxGraphBuilder.ints("pads", 1, 1, 1, 1));
            m.node("LeakyRelu", List.of(), OnnxGraphBuilder.real("alpha", 0.1f));
            m.node("Conv", List.of(m.weight(2, 3, 3, 3), m.weight(2)));
            return m.node("LeakyRelu", List.of()).build();
        }));
        c.add(new Case("Conv Relu BatchNormalization (not after a Conv: a depthwise linear layer) Conv", new long[] {1, 2, 5, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 5, 5);
            m.node("Conv", List.of(m.weight(3, 2, 3, 3), m.weight(3)), OnnxGraphBuilder.ints("pads", 1, 1, 1, 1)).node("Relu", List.of());
            String var = m.tensor(new long[] {3}, new float[] {0.5f, 1.5f, 2f});
            m.node("BatchNormalization", List.of(m.weight(3), m.weight(3), m.weight(3), var));
            return m.node("Conv", List.of(m.weight(2, 3, 3, 3), m.weight(2))).build();
        }));
        c.add(new Case("Gemm Relu BatchNormalization1d (a diagonal dense layer) Gemm", new long[] {1, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 5);
            m.node("Gemm", List.of(m.weight(5, 4), m.weight(4))).node("Relu", List.of());
            String var = m.tensor(new long[] {4}, new float[] {0.5f, 1.5f, 2f, 1f});
            m.node("BatchNormalization", List.of(m.weight(4), m.weight(4), m.weight(4), var));
            return m.node("Gemm", List.of(m.weight(4, 3), m.weight(3))).build();
        }));
        c.add(new Case("Mul -2, Sub 1, Add 0.5 and Div 3 between layers (public scale steps), and 1 - x", new long[] {1, 4}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 4);
            m.node("Gemm", List.of(m.weight(4, 4))).node("Relu", List.of()).node("Mul", List.of(m.tensor(new long[] {1}, new float[] {-2f})));
            m.node("Sub", List.of(m.tensor(new long[] {}, new float[] {1f}))).node("Relu", List.of());
            m.node("Add", List.of(m.tensor(new long[] {1}, new float[] {0.5f}))).node("Div", List.of(m.tensor(new long[] {1}, new float[] {3f})));
            String y = m.current();
            m.from(m.tensor(new long[] {1}, new float[] {1f})).node("Sub", List.of(y));
            return m.node("Gemm", List.of(m.weight(4, 2))).build();
        }));
        c.add(new Case("per-channel Mul and Sub after a ReLU (a depthwise linear layer)", new long[] {1, 2, 3, 3}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 3, 3);
            m.node("Conv", List.of(m.weight(3, 2, 1, 1))).node("Relu", List.of());
            m.node("Mul", List.of(m.tensor(new long[] {3, 1, 1}, new float[] {0.5f, -1.5f, 2f})));
            return m.node("Sub", List.of(m.tensor(new long[] {3, 1, 1}, new float[] {0.1f, 0.2f, -0.3f}))).build();
        }));
        c.add(new Case("Inception-style block: three branches concatenated along the channels, current value not first", new long[] {1, 2, 5, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 5, 5);
            String x = m.node("Relu", List.of()).current();
            String a = m.node("Conv", List.of(m.weight(3, 2, 1, 1), m.weight(3))).node("Relu", List.of()).current();
            String b = m.from(x).node("Conv", List.of(m.weight(2, 2, 3, 3), m.weight(2)), OnnxGraphBuilder.ints("pads", 1, 1, 1, 1)).current();
            String c3 = m.from(x).node("MaxPool", List.of(), OnnxGraphBuilder.ints("kernel_shape", 3, 3), OnnxGraphBuilder.ints("strides", 1, 1),
                    OnnxGraphBuilder.ints("pads", 1, 1, 1, 1)).current();
            m.from(a).node("Concat", List.of(c3, b), OnnxGraphBuilder.integer("axis", 1));
            // The current value (b) is the last input: the concatenation starts from a restored slot.
            return m.node("Conv", List.of(m.weight(2, 7, 1, 1), m.weight(2))).node("Relu", List.of()).build();
        }));
        c.add(new Case("Concat of a flat value with itself and another (axis -1), then Gemm", new long[] {1, 3}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 3);
            String x = m.current();
            String y = m.node("Gemm", List.of(m.weight(3, 2), m.weight(2))).node("Relu", List.of()).current();
            m.from(y).node("Concat", List.of(x, y), OnnxGraphBuilder.integer("axis", -1));
            return m.node("Gemm", List.of(m.weight(7, 2), m.weight(2))).build();
        }));
        c.add(new Case("Conv Relu", new long[] {1, 1, 5, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 1, 5, 5);
            m.node("Conv", List.of(m.weight(2, 1, 3, 3), m.weight(2)));
            return m.node("Relu", List.of()).build();
        }));
        c.add(new Case("MaxPool 3x3 stride 2", new long[] {1, 2, 7, 7}, () ->
                new OnnxGraphBuilder(1, 2, 7, 7).node("MaxPool", List.of(), OnnxGraphBuilder.ints("kernel_shape", 3, 3), OnnxGraphBuilder.ints("strides", 2, 2)).build()));
        c.add(new Case("AveragePool 2x2", new long[] {1, 3, 6, 6}, () ->
                new OnnxGraphBuilder(1, 3, 6, 6).node("AveragePool", List.of(), OnnxGraphBuilder.ints("kernel_shape", 2, 2), OnnxGraphBuilder.ints("strides", 2, 2)).build()));
        c.add(new Case("GlobalAveragePool", new long[] {1, 3, 4, 4}, () -> new OnnxGraphBuilder(1, 3, 4, 4).node("GlobalAveragePool", List.of()).build()));
        c.add(new Case("Conv BatchNormalization", new long[] {1, 2, 5, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 5, 5);
            m.node("Conv", List.of(m.weight(3, 2, 3, 3), m.weight(3)));
            String var = m.tensor(new long[] {3}, new float[] {0.5f, 1.5f, 2f});
            return m.node("BatchNormalization", List.of(m.weight(3), m.weight(3), m.weight(3), var), OnnxGraphBuilder.real("epsilon", 1e-3f)).build();
        }));
        c.add(new Case("Relu MaxPool 3x3 stride 2 pad 1", new long[] {1, 2, 7, 7}, () ->
                new OnnxGraphBuilder(1, 2, 7, 7).node("Relu", List.of()).node("MaxPool", List.of(), OnnxGraphBuilder.ints("kernel_shape", 3, 3),
                        OnnxGraphBuilder.ints("strides", 2, 2), OnnxGraphBuilder.ints("pads", 1, 1, 1, 1)).build()));
        c.add(new Case("residual block, identity shortcut", new long[] {1, 2, 5, 5}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 5, 5);
            String x = m.node("Relu", List.of()).current();
            m.node("Conv", List.of(m.weight(2, 2, 3, 3), m.weight(2)), OnnxGraphBuilder.ints("pads", 1, 1, 1, 1)).node("Relu", List.of());
            m.node("Conv", List.of(m.weight(2, 2, 1, 1), m.weight(2)));
            return m.node("Add", List.of(x)).node("Relu", List.of()).build();
        }));
        c.add(new Case("residual block, strided projection shortcut, shortcut first in Add", new long[] {1, 2, 6, 6}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 2, 6, 6);
            String x = m.node("Relu", List.of()).current();
            String branch = m.node("Conv", List.of(m.weight(3, 2, 3, 3), m.weight(3)), OnnxGraphBuilder.ints("pads", 1, 1, 1, 1),
                    OnnxGraphBuilder.ints("strides", 2, 2)).current();
            String shortcut = m.from(x).node("Conv", List.of(m.weight(3, 2, 1, 1)), OnnxGraphBuilder.ints("strides", 2, 2)).current();
            m.from(shortcut).node("Add", List.of(branch));
            return m.node("Relu", List.of()).build();
        }));
        c.add(new Case("two residual blocks, value added twice", new long[] {1, 3}, () -> {
            OnnxGraphBuilder m = new OnnxGraphBuilder(1, 3);
            String x = m.current();
            m.node("Gemm", List.of(m.weight(3, 3), m.weight(3))).node("Relu", List.of());
            String y = m.node("Add", List.of(x)).current();
            m.node("Gemm", List.of(m.weight(3, 3))).node("Add", List.of(y)).node("Add", List.of(x));
            return m.node("Relu", List.of()).build();
        }));
        return c;
    }

    static Stream<Arguments> all() {
        return cases().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void secureOutputEqualsOnnxRuntime(Case c) throws Exception {
        byte[] bytes = c.model().get();
        Network net = OnnxImporter.load(bytes, c.name());
        SplittableRandom r = new SplittableRandom(c.name().hashCode());
        double[][] inputs = new double[3][net.inputSize()];
        for (double[] x : inputs) {
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextDouble() * 4 - 2;
            }
        }
        InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 16, true);
        for (TwoParties parties : TwoParties.values()) {
          for (LinearMode linear : LinearMode.values()) {
           for (ComparisonMode cmp : ComparisonMode.values()) {
            Object[] got = parties.run(server::serve, ch -> new InferenceClient(OutputMode.LOGITS, linear, cmp).classify(ch, inputs));
            InferenceResult res = (InferenceResult) got[1];
            try (OnnxRuntimeReference ort = new OnnxRuntimeReference(bytes, c.dims())) {
                for (int i = 0; i < inputs.length; i++) {
                    double[] want = ort.logits(inputs[i]);
                    assertArrayEquals(want, net.forward(inputs[i]), 1e-4, c + ": import, input " + i);
                    assertArrayEquals(want, res.logits()[i], 0.01, c + " over " + parties + ", " + linear + " linear layers, "
                            + cmp + " comparisons: secure, input " + i);
                }
            }
           }
          }
        }
    }

    @ParameterizedTest(name = "k = {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 8})
    void everySoftSpokenKGivesTheSameLogits(int k) throws Exception {
        Case c = residualBlock();
        byte[] bytes = c.model().get();
        Network net = OnnxImporter.load(bytes, c.name());
        double[][] inputs = {new SplittableRandom(k).doubles(net.inputSize(), -2, 2).toArray()};
        InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 16, true);
        Object[] got = TwoParties.IN_MEMORY.run(server::serve,
                ch -> new InferenceClient(OutputMode.LOGITS, LinearMode.HE, ComparisonMode.OT).withOtK(k).classify(ch, inputs));
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(bytes, c.dims())) {
            assertArrayEquals(ort.logits(inputs[0]), ((InferenceResult) got[1]).logits()[0], 0.01, "k = " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> new InferenceClient(OutputMode.LOGITS).withOtK(3));
    }

    /** The residual block with an identity shortcut: small, and it has every kind of step. */
    private static Case residualBlock() {
        return cases().stream().filter(x -> x.name().startsWith("residual block, identity")).findFirst().orElseThrow();
    }

    /** Server and client each pick their threads: the logits, and the bytes either side sends, do not change. */
    @Test
    void threadCountsOnEitherSideChangeNeitherLogitsNorTraffic() throws Exception {
        Case c = residualBlock();
        byte[] bytes = c.model().get();
        Network net = OnnxImporter.load(bytes, c.name());
        double[][] inputs = {new SplittableRandom(3).doubles(net.inputSize(), -2, 2).toArray()};
        long[] first = null;
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(bytes, c.dims())) {
            for (int[] t : new int[][] {{1, 1}, {2, 1}, {1, 2}, {2, 2}}) {
                InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 16, true).withThreads(t[0]);
                Object[] got = TwoParties.IN_MEMORY.run(server::serve,
                        ch -> new InferenceClient(OutputMode.LOGITS, LinearMode.HE, ComparisonMode.OT).withThreads(t[1]).classify(ch, inputs));
                InferenceResult r = (InferenceResult) got[1];
                assertArrayEquals(ort.logits(inputs[0]), r.logits()[0], 0.01, "threads " + Arrays.toString(t));
                long[] traffic = {r.bytesSent(), r.bytesReceived()};
                if (first == null) {
                    first = traffic;
                }
                assertArrayEquals(first, traffic, "bytes with threads " + Arrays.toString(t));
            }
        }
        var provider = org.fusionmpc.api.spi.Protocols.byName("semi-honest", InferenceClient.class, InferenceServer.class);
        assertEquals(2, provider.newClient(org.fusionmpc.api.spi.PartyOptions.of(java.util.Map.of("threads", "2"))).threads());
        assertEquals(1, provider.newClient(org.fusionmpc.api.spi.PartyOptions.of(java.util.Map.of())).threads());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.newClient(org.fusionmpc.api.spi.PartyOptions.of(java.util.Map.of("threads", "9"))));
        assertTrue(e.getMessage().contains("threads must be 1..8, got 9"), e.getMessage());
    }

    /**
     * ℓ is a session setting: with exact truncation (garbled circuits) the logits are the same for every ℓ the
     * values fit, bit for bit, and the comparisons' traffic shrinks with ℓ (shares and OT messages go packed to ℓ
     * bits); the OT engine agrees with ONNX Runtime at either end of the range.
     */
    @Test
    void ringBitsChangeTheTrafficButNotTheResult() throws Exception {
        Case c = residualBlock();
        byte[] bytes = c.model().get();
        Network net = OnnxImporter.load(bytes, c.name());
        double[][] inputs = {new SplittableRandom(11).doubles(net.inputSize(), -2, 2).toArray()};
        InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 16, true);
        double[] first = null;
        long previous = 0;
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(bytes, c.dims())) {
            double[] want = ort.logits(inputs[0]);
            for (int bits : new int[] {32, 37, 41}) {
                for (ComparisonMode cmp : ComparisonMode.values()) {
                    Object[] got = TwoParties.IN_MEMORY.run(server::serve,
                            ch -> new InferenceClient(OutputMode.LOGITS, LinearMode.HE, cmp).withRingBits(bits).classify(ch, inputs));
                    InferenceResult r = (InferenceResult) got[1];
                    assertArrayEquals(want, r.logits()[0], 0.01, "l = " + bits + ", " + cmp);
                    if (cmp == ComparisonMode.GC) {
                        if (first == null) {
                            first = r.logits()[0];
                        }
                        assertArrayEquals(first, r.logits()[0], 0.0, "exact at l = " + bits);
                    } else {
                        long traffic = r.bytesSent() + r.bytesReceived();
                        assertTrue(traffic > previous, "l = " + bits + " sends more than a narrower ring: " + traffic + " vs " + previous);
                        previous = traffic;
                    }
                }
            }
        }
        IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class, () -> new InferenceClient(OutputMode.LABEL).withRingBits(31));
        assertEquals("the he linear engine runs on shares of 32..41 bits, not 31", narrow.getMessage());
        IllegalArgumentException ot = assertThrows(IllegalArgumentException.class,
                () -> new InferenceClient(OutputMode.LABEL, LinearMode.OT).withRingBits(37));
        assertEquals("the ot linear engine runs on shares of 64 bits, not 37", ot.getMessage());
        assertEquals(37, new InferenceClient(OutputMode.LABEL).ringBits(), "37 by default");
    }

    @Test
    void automaticKIsEightForAMillionReLUsAndFourBelow() {
        Network small = OnnxImporter.load(new OnnxGraphBuilder(1, 4).node("Relu", List.of()).build(), "t");
        Network large = new Network("large", new int[] {InferenceClient.LARGE_NETWORK_RELUS}, List.of(new Layer.Relu(InferenceClient.LARGE_NETWORK_RELUS)));
        assertEquals(4, InferenceClient.resolveOtK(InferenceClient.AUTO_OT_K, small));
        assertEquals(8, InferenceClient.resolveOtK(InferenceClient.AUTO_OT_K, large));
        assertEquals(2, InferenceClient.resolveOtK(2, large), "an explicit k is kept");
        assertEquals(InferenceClient.AUTO_OT_K, new InferenceClient(OutputMode.LABEL).otK(), "automatic by default");
        var provider = org.fusionmpc.api.spi.Protocols.byName("semi-honest", InferenceClient.class, InferenceServer.class);
        assertEquals(8, provider.newClient(org.fusionmpc.api.spi.PartyOptions.of(java.util.Map.of("ot-k", "8"))).otK());
        assertEquals(InferenceClient.AUTO_OT_K, provider.newClient(org.fusionmpc.api.spi.PartyOptions.of(java.util.Map.of("ot-k", "auto"))).otK());
    }

    @Test
    void unsupportedOperatorNamesTheNodeAndTheSupportedOnes() {
        OnnxGraphBuilder m = new OnnxGraphBuilder(1, 4);
        byte[] bytes = m.node("Sigmoid", List.of()).build();
        ModelException e = assertThrows(ModelException.class, () -> OnnxImporter.load(bytes, "t"));
        assertTrue(e.getMessage().contains("node 'Sigmoid1' (Sigmoid) is not supported; supported operators: Conv"), e.getMessage());
    }

    /**
     * Every unsupported node in one error, each named as the user wrote it where the exporter split it (GELU is
     * Div, Erf, Add, Mul; SiLU is Sigmoid and Mul), with a hint, before anything is imported.
     */
    @Test
    void everyUnsupportedNodeIsNamedInOneErrorWithAHint() {
        OnnxGraphBuilder m = new OnnxGraphBuilder(1, 4);
        byte[] two = m.node("Sigmoid", List.of()).node("Softmax", List.of()).node("Tanh", List.of()).build();
        ModelException e = assertThrows(ModelException.class, () -> OnnxImporter.load(two, "t"));
        assertTrue(e.getMessage().contains("3 nodes are not supported: node 'Sigmoid1' (Sigmoid), node 'Softmax2' (Softmax), node 'Tanh3' (Tanh)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Tanh is an activation other than ReLU")
                && e.getMessage().contains("Softmax is taken only as the model's last node"), e.getMessage());

        OnnxGraphBuilder g = new OnnxGraphBuilder(1, 4);
        String x = g.current();
        String sqrt2 = g.tensor(new long[] {1}, new float[] {1.4142135f});
        String one = g.tensor(new long[] {1}, new float[] {1f});
        String half = g.tensor(new long[] {1}, new float[] {0.5f});
        g.node("Div", List.of(sqrt2)).node("Erf", List.of()).node("Add", List.of(one)).node("Mul", List.of(x));
        byte[] gelu = g.node("Mul", List.of(half)).build();
        e = assertThrows(ModelException.class, () -> OnnxImporter.load(gelu, "t"));
        assertTrue(e.getMessage().contains("GELU (nn.GELU, exported as Div, Erf, Add, Mul) is an activation other than ReLU"), e.getMessage());
        assertTrue(e.getMessage().contains("node 'Erf2' (Erf)"), e.getMessage());

        OnnxGraphBuilder s = new OnnxGraphBuilder(1, 4);
        String in = s.current();
        byte[] silu = s.node("Sigmoid", List.of()).node("Mul", List.of(in)).build();
        e = assertThrows(ModelException.class, () -> OnnxImporter.load(silu, "t"));
        assertTrue(e.getMessage().contains("SiLU/Swish"), e.getMessage());

        byte[] padded = new OnnxGraphBuilder(1, 2, 4, 4).opset(10).node("Pad", List.of(), OnnxGraphBuilder.ints("pads", 0, 0, 1, 1, 0, 0, 1, 1)).build();
        e = assertThrows(ModelException.class, () -> OnnxImporter.load(padded, "t"));
        assertTrue(e.getMessage().contains("only a Pad that pads nothing is supported"), e.getMessage());
    }

    /** A final softmax travels in the architecture the client receives; labels ignore it, logits get it in the clear. */
    @Test
    void theOutputActivationTravelsWithTheArchitectureAndNothingElseIsTaken() {
        OnnxGraphBuilder m = new OnnxGraphBuilder(1, 3);
        Network net = OnnxImporter.load(m.node("Gemm", List.of(m.weight(3, 4))).node("LogSoftmax", List.of()).build(), "t");
        assertEquals(OutputActivation.LOG_SOFTMAX, net.output());
        Network received = Network.parse(net.publicPart().describe());
        assertEquals(OutputActivation.LOG_SOFTMAX, received.output());
        byte[] d = net.publicPart().describe();
        d[d.length - 5] = 7; // the activation byte, before the input normalisation's channel count (0: none)
        ModelException e = assertThrows(ModelException.class, () -> Network.parse(d));
        assertTrue(e.getMessage().contains("unknown output activation 7"), e.getMessage());
        double[] probabilities = OutputActivation.SOFTMAX.apply(new double[] {1000, 1000, -1000});
        assertArrayEquals(new double[] {0.5, 0.5, 0}, probabilities, 1e-12, "stable at large logits");
        OnnxGraphBuilder wrongAxis = new OnnxGraphBuilder(1, 2, 3, 3);
        byte[] channels = wrongAxis.node("Relu", List.of()).node("Softmax", List.of(), OnnxGraphBuilder.integer("axis", 1)).build();
        e = assertThrows(ModelException.class, () -> OnnxImporter.load(channels, "t"));
        assertTrue(e.getMessage().contains("over the classes of a flat output only"), e.getMessage());
    }

    @Test
    void corruptAndTruncatedFilesAreClearErrors() {
        byte[] good = new OnnxGraphBuilder(1, 2, 3, 3).node("Relu", List.of()).build();
        byte[] garbage = new byte[500];
        new SplittableRandom(1).nextBytes(garbage);
        for (byte[] bad : new byte[][] {Arrays.copyOf(good, good.length / 2), garbage, "hello, not a model".getBytes(), new byte[0]}) {
            ModelException e = assertThrows(ModelException.class, () -> OnnxImporter.load(bad, "t"));
            assertTrue(e.getMessage().startsWith("not an ONNX model"), e.getMessage());
        }
    }

    @Test
    void nanWeightsAndAffineMapsThatAreNotLinearOnSharesAreRefused() {
        OnnxGraphBuilder m = new OnnxGraphBuilder(1, 3);
        byte[] nan = m.node("Gemm", List.of(m.tensor(new long[] {2, 3}, new float[] {1, 2, Float.NaN, 4, 5, 6}))).build();
        ModelException e = assertThrows(ModelException.class, () -> OnnxImporter.load(nan, "t"));
        assertTrue(e.getMessage().contains("is NaN"), e.getMessage());

        OnnxGraphBuilder bn = new OnnxGraphBuilder(1, 2, 3);
        bn.node("Relu", List.of());
        byte[] lone = bn.node("BatchNormalization", List.of(bn.weight(2), bn.weight(2), bn.weight(2), bn.weight(2))).build();
        e = assertThrows(ModelException.class, () -> OnnxImporter.load(lone, "t"));
        assertTrue(e.getMessage().contains("is taken on an image (c×h×w) or a flat vector") && e.getMessage().contains("[2, 3]"), e.getMessage());
        OnnxGraphBuilder inv = new OnnxGraphBuilder(1, 4);
        String x = inv.node("Gemm", List.of(inv.weight(4, 4))).current();
        byte[] inverse = inv.from(inv.tensor(new long[] {1}, new float[] {1f})).node("Div", List.of(x)).build();
        e = assertThrows(ModelException.class, () -> OnnxImporter.load(inverse, "t"));
        assertTrue(e.getMessage().contains("divides a constant by a computed value"), e.getMessage());
        OnnxGraphBuilder wide = new OnnxGraphBuilder(1, 2, 2, 2);
        byte[] broadcast = wide.node("Relu", List.of()).node("Mul", List.of(wide.weight(2, 2, 2))).build();
        e = assertThrows(ModelException.class, () -> OnnxImporter.load(broadcast, "t"));
        assertTrue(e.getMessage().contains("does not broadcast as one scalar or one value per channel"), e.getMessage());
    }

    @Test
    void paddedMaxPoolWithoutAReluBeforeItAndBroadcastAddsAreRefused() {
        byte[] padded = new OnnxGraphBuilder(1, 1, 4, 4).node("MaxPool", List.of(), OnnxGraphBuilder.ints("kernel_shape", 2, 2),
                OnnxGraphBuilder.ints("pads", 1, 1, 1, 1)).build();
        ModelException e = assertThrows(ModelException.class, () -> OnnxImporter.load(padded, "t"));
        assertTrue(e.getMessage().contains("padded max-pooling is supported only right after a ReLU"), e.getMessage());
        OnnxGraphBuilder m = new OnnxGraphBuilder(1, 4);
        String x = m.current();
        byte[] broadcast = m.node("Gemm", List.of(m.weight(4, 2))).node("Add", List.of(x)).build();
        e = assertThrows(ModelException.class, () -> OnnxImporter.load(broadcast, "t"));
        assertTrue(e.getMessage().contains("adds shapes [2] and [4]"), e.getMessage());
    }

    @Test
    void wrongInputShapeIsRefusedBeforeAnySecretDependentMessage() throws Exception {
        Network net = OnnxImporter.load(new OnnxGraphBuilder(1, 4).node("Relu", List.of()).build(), "t");
        InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 16, true);
        var pair = TwoParties.IN_MEMORY.pair();
        var s = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                server.serve(pair[0]);
            } catch (RuntimeException expected) {
                // the client hangs up after refusing its own input
            }
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InferenceClient(OutputMode.LABEL).classify(pair[1], new double[][] {{1, 2, 3}}));
        assertTrue(e.getMessage().contains("takes an input of shape [4] (4 values), got 3 values"), e.getMessage());
        // What the client sent: the handshake only; no batch request, no OT.
        assertTrue(pair[1].stats().bytesSent() < 64, pair[1].stats().toString());
        pair[1].close();
        s.get(10, java.util.concurrent.TimeUnit.SECONDS);
        double[][] nan = {{1, Double.NaN, 0, 0}};
        var pair2 = TwoParties.IN_MEMORY.pair();
        var s2 = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                server.serve(pair2[0]);
            } catch (RuntimeException expected) {
                // as above
            }
        });
        e = assertThrows(IllegalArgumentException.class, () -> new InferenceClient(OutputMode.LABEL).classify(pair2[1], nan));
        assertTrue(e.getMessage().contains("input value 1 is NaN"), e.getMessage());
        pair2[1].close();
        s2.get(10, java.util.concurrent.TimeUnit.SECONDS);
        var pair3 = TwoParties.IN_MEMORY.pair();
        var s3 = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                server.serve(pair3[0]);
            } catch (RuntimeException expected) {
                // as above
            }
        });
        e = assertThrows(IllegalArgumentException.class,
                () -> new InferenceClient(OutputMode.LABEL).classify(pair3[1], new double[][] {{1, 2, 1e300, 0}}));
        assertTrue(e.getMessage().contains("outside the fixed-point range"), e.getMessage());
        assertTrue(pair3[1].stats().bytesSent() < 64, "only the handshake left the client: " + pair3[1].stats());
        pair3[1].close();
        s3.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, 0);
    }
}
