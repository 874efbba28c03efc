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

/** MiniONN's CIFAR-10 network with random weights: its structure, its import against ONNX Runtime, one secure inference. */
class ReferenceNetworksTest {

    static final String NAME = "minionn-cifar10";

    @Test
    void miniOnnCifar10HasThePublishedShapeAndImportsAsOnnxRuntimeComputes() throws Exception {
        byte[] bytes = ReferenceNetworks.onnx(NAME, ReferenceNetworks.DEFAULT_SEED);
        Network net = OnnxImporter.load(bytes, NAME);
        assertArrayEquals(new int[] {3, 32, 32}, net.inputShape());
        assertEquals(10, net.outputSize());
        int relus = 0;
        int convs = 0;
        for (Layer l : net.layers()) {
            relus += l instanceof Layer.Relu r ? r.size() : 0;
            convs += l instanceof Layer.Linear lin && lin.conv() ? 1 : 0;
        }
        assertEquals(173_056, relus, "MiniONN CIFAR-10 has 173,056 ReLUs");
        assertEquals(9, convs, "seven convolutions and two mean pools (as depthwise convolutions)");
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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceNetworks.onnx("resnet50", 1));
        assertTrue(e.getMessage().contains("known: minionn-cifar10"), e.getMessage());
        assertTrue(e.getMessage().contains("residual additions"), e.getMessage());
    }

    private static double maxError(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
