package org.fusionmpc.semihonest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.fusionmpc.api.testing.TwoParties;
import org.fusionmpc.ring.FixedPoint;
import org.junit.jupiter.api.Test;

/**
 * The reference networks with random weights: MiniONN CIFAR-10's structure, import against ONNX Runtime and one
 * secure inference; ResNet-50's structure (residual slots, padded max-pool) and import against ONNX Runtime.
 */
class ReferenceNetworksTest {

    static final String NAME = "minionn-cifar10";

    @Test
    void miniOnnCifar10HasThePublishedShapeAndImportsAsOnnxRuntimeComputes() throws Exception {
        byte[] bytes = ReferenceNetworks.onnx(NAME, ReferenceNetworks.DEFAULT_SEED);
        Network net = OnnxImporter.load(bytes, NAME);
        assertArrayEquals(new int[] {3, 32, 32}, net.inputShape());
        assertEquals(10, net.outputSize());
        assertEquals(173_056, net.reluCount(), "MiniONN CIFAR-10 has 173,056 ReLUs");
        assertEquals(7, count(net, Layer.Linear.class) - 1, "seven convolutions and a dense layer");
        assertEquals(2, count(net, Layer.AvgPool.class), "two mean pools, local on shares");
        double[][] x = ReferenceNetworks.randomInputs(NAME, 2, 3);
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(bytes, ReferenceNetworks.inputShape(NAME))) {
            for (double[] input : x) {
                double[] want = ort.logits(input);
                assertArrayEquals(want, net.forward(input), 1e-3 * Math.max(1, Arrays.stream(want).map(Math::abs).max().orElse(1)));
            }
        }
    }

    @Test
    void secureInferenceOnTheRlweEngineMatchesOnnxRuntime() throws Exception {
        byte[] bytes = ReferenceNetworks.onnx(NAME, ReferenceNetworks.DEFAULT_SEED);
        Network net = OnnxImporter.load(bytes, NAME);
        double[][] x = ReferenceNetworks.randomInputs(NAME, 1, 5);
        InferenceServer server = new InferenceServer(net, FixedPoint.defaults(), 1, true);
        Object[] got = TwoParties.IN_MEMORY.run(server::serve, ch -> new InferenceClient(OutputMode.LOGITS, LinearMode.HE).classify(ch, x));
        InferenceResult r = (InferenceResult) got[1];
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(bytes, ReferenceNetworks.inputShape(NAME))) {
            double[] want = ort.logits(x[0]);
            double scale = Math.max(1, Arrays.stream(want).map(Math::abs).max().orElse(1));
            assertArrayEquals(want, r.logits()[0], 0.02 * scale);
            System.out.printf("%s (HE): %.1f s, %.1f MB, logits within %.4f of ONNX Runtime%n", NAME, r.nanos() / 1e9,
                    (r.bytesSent() + r.bytesReceived()) / 1e6, maxError(want, r.logits()[0]));
        }
    }

    @Test
    void generationIsDeterministicPerSeedAndUnknownNamesAreClearErrors() {
        assertArrayEquals(ReferenceNetworks.generate(NAME, 4), ReferenceNetworks.generate(NAME, 4));
        assertFalse(Arrays.equals(ReferenceNetworks.generate(NAME, 4), ReferenceNetworks.generate(NAME, 5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceNetworks.onnx("resnet5", 1));
        assertTrue(e.getMessage().contains("known: cifar-small, minionn-cifar10, resnet50"), e.getMessage());
    }

    @Test
    void resnet50HasThePublishedShapeAndImportsAsOnnxRuntimeComputes() throws Exception {
        byte[] bytes = ReferenceNetworks.onnx("resnet50", ReferenceNetworks.DEFAULT_SEED);
        Network net = OnnxImporter.load(bytes, "resnet50");
        assertArrayEquals(new int[] {3, 224, 224}, net.inputShape());
        assertEquals(1000, net.outputSize());
        assertEquals(53 + 1, count(net, Layer.Linear.class), "53 convolutions and the fully connected layer");
        assertEquals(16, count(net, Layer.AddSaved.class), "one residual addition per bottleneck block");
        assertEquals(1, count(net, Layer.AvgPool.class));
        assertEquals(9_006_592, net.reluCount(), "ReLUs, the stem's moved behind its max-pool");
        Layer.MaxPool pool = (Layer.MaxPool) net.layers().stream().filter(l -> l instanceof Layer.MaxPool).findFirst().orElseThrow();
        assertEquals(new Layer.MaxPool(64, 112, 112, 3, 2, 1), pool);
        assertEquals(net.publicPart().toString(), Network.parse(net.publicPart().describe()).toString());
        double[][] x = ReferenceNetworks.randomInputs("resnet50", 1, 3);
        try (OnnxRuntimeReference ort = new OnnxRuntimeReference(bytes, ReferenceNetworks.inputShape("resnet50"))) {
            double[] want = ort.logits(x[0]);
            assertArrayEquals(want, net.forward(x[0]), 1e-3 * Math.max(1, Arrays.stream(want).map(Math::abs).max().orElse(1)));
        }
    }

    private static long count(Network net, Class<? extends Layer> kind) {
        return net.layers().stream().filter(kind::isInstance).count();
    }

    private static double maxError(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
